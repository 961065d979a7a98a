// spanloop::Error: the one exception type, with a kind that maps to HTTP status and exit codes.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace spanloop {

enum class ErrorKind {
  kInvalidArgument,
  kNotFound,
  kConflict,
  kPermissionDenied,
  kUnauthenticated,
  kFailedPrecondition,
  kUnavailable,
  kCancelled,
  kInternal,
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }

 private:
  ErrorKind kind_;
};

// Stable snake_case name of a kind, used as the "code" of API error bodies.
std::string_view error_kind_name(ErrorKind kind);
// The HTTP status an API answers with for an error of this kind.
int http_status(ErrorKind kind);

// Shorthands that read like the sentence they throw.
[[noreturn]] void throw_invalid(const std::string& message);
[[noreturn]] void throw_not_found(const std::string& message);

}  // namespace spanloop
