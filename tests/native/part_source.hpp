// A part of a file in memory as the page's import workers read one (PreviewPart, StagePart):
// the bytes [begin, end), fed in chunks of random sizes, with the file's start as its head.
#pragma once

#include <algorithm>
#include <random>
#include <string_view>

#include "cvc/byte_source.hpp"

namespace cvc_test {

class PartSource : public cvc::ByteSource {
 public:
  PartSource(std::string_view file, std::size_t begin, std::size_t end, unsigned seed)
      : file_(file), begin_(begin), end_(end), seed_(seed) {}
  std::string_view head() const override { return file_.substr(0, 65536); }
  cvc::Status feed(cvc::CsvReader& reader) const override {
    std::mt19937 rng(seed_);
    for (std::size_t at = begin_; at < end_;) {
      const std::size_t n = std::min<std::size_t>(end_ - at, 1 + rng() % 300);
      if (!reader.feed(file_.substr(at, n))) break;
      at += n;
    }
    return cvc::Status::success();
  }

 private:
  std::string_view file_;
  std::size_t begin_;
  std::size_t end_;
  unsigned seed_;
};

}  // namespace cvc_test
