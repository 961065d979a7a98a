// Exception -> HTTP error response; internals go to the log only.
#include "server/errors.h"

#include <spdlog/spdlog.h>

namespace spanloop::server {

nlohmann::json error_detail(ErrorKind kind, std::string_view message) {
  return nlohmann::json{{"code", error_kind_name(kind)}, {"message", message}};
}

HttpResponse error_response(ErrorKind kind, std::string_view message) {
  auto res =
      json_response(nlohmann::json{{"detail", error_detail(kind, message)}}, http_status(kind));
  if (kind == ErrorKind::kUnauthenticated) res.set_header("WWW-Authenticate", "Bearer");
  return res;
}

namespace {
HttpResponse internal_error(const std::string& request_id, std::string_view what) {
  spdlog::error("request {}: internal error: {}", request_id, what);
  return error_response(ErrorKind::kInternal,
                        "internal server error (request id " + request_id + ")");
}
}  // namespace

HttpResponse exception_response(std::exception_ptr error, const std::string& request_id) {
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::kInternal) return internal_error(request_id, e.what());
    if (e.kind() == ErrorKind::kUnavailable) {
      // The store's message may name the database; keep it in the log.
      spdlog::warn("request {}: unavailable: {}", request_id, e.what());
      return error_response(e.kind(), "the database is busy or unreachable; retry later");
    }
    return error_response(e.kind(), e.what());
  } catch (const std::exception& e) {
    return internal_error(request_id, e.what());
  } catch (...) {
    return internal_error(request_id, "unknown exception");
  }
}

}  // namespace spanloop::server
