// Reading fixture files shared by the native, wasm, node and browser tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace cvc::test {

inline std::string read_text(const std::string& relative_path) {
  std::ifstream in(std::string(CVC_SOURCE_DIR) + "/" + relative_path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace cvc::test
