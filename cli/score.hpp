// The native command-line runner, `cvc`, as a function the tests can call:
//
//   cvc score SURVEY.csv --model MODEL.json [--mapping MAPPING.json]
//             [--max-problems N] [--strict]
//
// prints the same results JSON as calc.results() would after importing the file in the page,
// reading the CSV in chunks without keeping its rows (see README, "Data beyond a browser tab").
#pragma once

#include <string>
#include <vector>

namespace cvc::cli {

enum ExitCode { kOk = 0, kBadInput = 1, kUsage = 2 };

struct Outcome {
  int exit_code = kOk;
  std::string out;  // what goes to stdout
  std::string err;  // what goes to stderr
};

/// Runs the command with `args` (argv without the program name).
Outcome run(const std::vector<std::string>& args);

}  // namespace cvc::cli
