// Comparing doubles bit for bit (so 0 and -0 differ) in the Catch2 suite.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

namespace cvc::test {

inline std::uint64_t bits_of(double x) {
  std::uint64_t b = 0;
  std::memcpy(&b, &x, sizeof b);
  return b;
}

/// Both empty, or both the same double to the bit; `text` names the case on failure.
inline void check_same(const std::optional<double>& got, const std::optional<double>& want,
                       const std::string& text) {
  CAPTURE(text);
  REQUIRE(got.has_value() == want.has_value());
  if (got) CHECK(bits_of(*got) == bits_of(*want));
}

}  // namespace cvc::test
