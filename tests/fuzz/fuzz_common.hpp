// Shared by the libFuzzer targets: a model to import against, a zlib inflater standing in for
// the browser's DecompressionStream, the "nothing lost" project round trip, and a checked
// failure that aborts with a message (libFuzzer then saves the input as a crash).
#pragma once

#include <zlib.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cvc/calculator.hpp"
#include "cvc/json_io.hpp"
#include "cvc/share_link.hpp"
#include "cvc/status.hpp"

namespace cvc::fuzz {

/// Ends the run as a crash: the fuzzer found an input that breaks a stated property.
[[noreturn]] inline void fail(const char* what, const std::string& detail = {}) {
  std::fprintf(stderr, "\nfuzz property violated: %s\n%s\n", what, detail.c_str());
  std::fflush(stderr);
  std::abort();
}

inline std::string describe(const Error& e) {
  return "[" + e.field + "] " + e.message;
}

/// A model with one item on each kind of scale (reverse coding and an amount included) and
/// two segment groups, one with a weight override: imports have something to map onto.
inline constexpr std::string_view kModelJson = R"({
  "schema": "customer-value-model", "version": 1, "name": "Fuzz model", "currency": "EUR",
  "items": [
    {"id": "quality", "label": "Quality", "side": "benefit", "kind": "functional", "weight": 3, "scale": "1-5"},
    {"id": "ease", "label": "Ease of use", "side": "benefit", "kind": "experiential", "weight": 2, "scale": "0-10", "score": 7},
    {"id": "savings", "label": "Savings", "side": "benefit", "kind": "monetary", "weight": 1, "scale": "currency", "reference_amount": 5000},
    {"id": "effort", "label": "Effort", "side": "cost", "kind": "effort", "weight": 4, "scale": "1-7", "reverse": true},
    {"id": "price", "label": "Price", "side": "cost", "kind": "price", "weight": 5, "scale": "1-10"}
  ],
  "segments": [
    {"id": "smb", "label": "SMB", "group": "size", "weights": {"price": 8}},
    {"id": "ent", "label": "Enterprise", "group": "size", "scores": {"quality": 4}},
    {"id": "new", "label": "New", "group": "tenure"}
  ]
})";

inline Calculator calculator_with_model() {
  Calculator calc;
  if (auto s = calc.load_model_json(kModelJson); !s.ok())
    fail("the fuzz model loads", describe(s.error()));
  return calc;
}

/// zlib (RFC 1950) inflate with the page's cap: more than `cap` bytes out is refused, as the
/// page refuses a share link that decompresses past kMaxSharePayloadBytes.
inline Expected<std::string> inflate_capped(std::string_view compressed,
                                            std::size_t cap = kMaxSharePayloadBytes) {
  z_stream z{};
  if (inflateInit(&z) != Z_OK) fail("inflateInit");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  z.avail_in = static_cast<uInt>(compressed.size());
  std::string out;
  char chunk[16384];
  int status = Z_OK;
  while (status == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    status = inflate(&z, Z_NO_FLUSH);
    const std::size_t produced = sizeof chunk - z.avail_out;
    if (out.size() + produced > cap) {
      inflateEnd(&z);
      return Error{"link", "The link's data is too large."};
    }
    out.append(chunk, produced);
  }
  const bool trailing = z.avail_in > 0;  // DecompressionStream refuses data after the end too
  inflateEnd(&z);
  if (status != Z_STREAM_END || trailing) return Error{"link", "The link's data is damaged."};
  return out;
}

inline std::string deflate_bytes(std::string_view bytes) {
  uLongf size = compressBound(static_cast<uLong>(bytes.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size,
                reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uLong>(bytes.size()),
                9) != Z_OK) {
    fail("compress2");
  }
  out.resize(size);
  return out;
}

/// "No result is ever NaN or Infinity" (README): nlohmann would write them as null, so the
/// check is on the documents before they are written.
inline void check_finite(const nlohmann::json& node, const std::string& path) {
  if (node.is_number_float() && !std::isfinite(node.get<double>())) {
    fail("no NaN or Infinity in results", path + " = " + std::to_string(node.get<double>()));
  }
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) check_finite(*it, path + "." + it.key());
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      check_finite(node[i], path + "[" + std::to_string(i) + "]");
    }
  }
}

inline void check_results_finite(Calculator& calc) {
  check_finite(results_to_json(calc.model(), calc.results(), calc.response_rows()), "results");
  check_finite(business_to_json(calc.customers(), calc.model().business, calc.business_results()),
               "business");
}

/// Nothing lost: what a calculator holds saves as a project that loads back into a fresh
/// calculator and saves to the same bytes; the model file does the same; and a share link
/// made of the project decodes to those bytes.
inline void check_project_round_trip(Calculator& calc) {
  if (!calc.has_model()) return;
  const std::string project = calc.project_json();
  Calculator again;
  if (auto s = again.load_project_json(project); !s.ok()) {
    fail("a saved project loads again", describe(s.error()) + "\n" + project);
  }
  const std::string project2 = again.project_json();
  if (project2 != project) fail("save(load(save(p))) == save(p)", project + "\n" + project2);
  if (!(again.model() == calc.model())) fail("the project's model comes back the same", project);
  const std::string model = calc.model_json();
  Calculator model_only;
  if (auto s = model_only.load_model_json(model); !s.ok()) {
    fail("a saved model loads again", describe(s.error()) + "\n" + model);
  }
  if (model_only.model_json() != model) fail("save(load(save(m))) == save(m)", model);
  check_results_finite(again);
}

/// A small deterministic generator (SplitMix64) seeded from the input, for choices such as
/// chunk sizes that should vary with the input without consuming any of it.
class SplitMix {
 public:
  explicit SplitMix(std::uint64_t seed) : state_(seed) {}
  static SplitMix from(std::string_view bytes) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a
    for (const char c : bytes) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return SplitMix(h);
  }
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(next() % n); }

 private:
  std::uint64_t state_;
};

}  // namespace cvc::fuzz
