// Input that the table readers can go through more than once, in chunks: a buffer in memory
// (the page's import), or a file read slice by slice (the command-line runner, which never
// holds a whole file).
#pragma once

#include <string_view>

#include "cvc/csv.hpp"
#include "cvc/status.hpp"

namespace cvc {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  /// The first bytes (all of them for a buffer; at least 64 KiB of a file when it has them):
  /// enough to detect the delimiter and to tell text from binary data.
  virtual std::string_view head() const = 0;
  /// Feeds every byte, in order and in chunks, to `reader`, stopping when the reader stops.
  /// The caller then calls reader.finish(). An error only when the bytes cannot be read.
  virtual Status feed(CsvReader& reader) const = 0;
};

/// Bytes already in memory.
class MemorySource : public ByteSource {
 public:
  explicit MemorySource(std::string_view bytes) : bytes_(bytes) {}
  std::string_view head() const override { return bytes_; }
  Status feed(CsvReader& reader) const override {
    reader.feed(bytes_);
    return Status::success();
  }

 private:
  std::string_view bytes_;
};

}  // namespace cvc
