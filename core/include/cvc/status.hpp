// Errors as values. The core never throws for anything a user can cause: every fallible call
// returns a Status (or an Expected<T>) naming the field at fault and the reason, so the same
// code behaves identically natively and in WebAssembly built without exception support.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace cvc {

/// A user-facing error: `field` locates the problem (e.g. "items[2].weight", "row 14, column
/// price"), `message` is a complete sentence that already names the field and the reason.
struct Error {
  std::string field;
  std::string message;
};

/// Success, or the first error found. Cheap to return; check with ok().
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT: implicit on purpose

  static Status success() { return Status(); }
  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }

 private:
  std::optional<Error> error_;
};

/// A value or an error.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}      // NOLINT: implicit on purpose
  Expected(Error error) : state_(std::move(error)) {}  // NOLINT: implicit on purpose

  bool ok() const { return std::holds_alternative<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  const Error& error() const { return std::get<Error>(state_); }
  Status status() const { return ok() ? Status() : Status(error()); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace cvc
