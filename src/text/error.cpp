// The one table from error kinds to names and HTTP statuses.
#include "text/error.h"

namespace spanloop {

std::string_view error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument: return "invalid_argument";
    case ErrorKind::kNotFound: return "not_found";
    case ErrorKind::kConflict: return "conflict";
    case ErrorKind::kPermissionDenied: return "permission_denied";
    case ErrorKind::kUnauthenticated: return "unauthenticated";
    case ErrorKind::kFailedPrecondition: return "failed_precondition";
    case ErrorKind::kUnavailable: return "unavailable";
    case ErrorKind::kCancelled: return "cancelled";
    case ErrorKind::kInternal: return "internal";
  }
  return "internal";
}

int http_status(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument: return 422;
    case ErrorKind::kNotFound: return 404;
    case ErrorKind::kConflict: return 409;
    case ErrorKind::kPermissionDenied: return 403;
    case ErrorKind::kUnauthenticated: return 401;
    case ErrorKind::kFailedPrecondition: return 422;
    case ErrorKind::kUnavailable: return 503;
    case ErrorKind::kCancelled: return 499;
    case ErrorKind::kInternal: return 500;
  }
  return 500;
}

void throw_invalid(const std::string& message) { throw Error(ErrorKind::kInvalidArgument, message); }
void throw_not_found(const std::string& message) { throw Error(ErrorKind::kNotFound, message); }

}  // namespace spanloop
