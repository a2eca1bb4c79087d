// `cvc`: the native command-line runner (see score.hpp and README).
#include <cstdio>
#include <string>
#include <vector>

#include "score.hpp"

int main(int argc, char** argv) {
  const cvc::cli::Outcome outcome = cvc::cli::run(std::vector<std::string>(argv + 1, argv + argc));
  std::fwrite(outcome.out.data(), 1, outcome.out.size(), stdout);
  std::fwrite(outcome.err.data(), 1, outcome.err.size(), stderr);
  return std::fflush(stdout) == 0 ? outcome.exit_code : cvc::cli::kBadInput;
}
