// The one mapping from exceptions to API error responses (DESIGN.md "Errors").
#pragma once

#include <nlohmann/json.hpp>

#include <exception>
#include <string>
#include <string_view>

#include "server/http_types.h"
#include "text/error.h"

namespace spanloop::server {

// {"code": "not_found", "message": "..."}: the value of "detail" in error bodies (also used
// for per-item errors of bulk answers).
nlohmann::json error_detail(ErrorKind kind, std::string_view message);
// {"detail": {...}} with the kind's status (401/403/404/409/422/503...).
HttpResponse error_response(ErrorKind kind, std::string_view message);
// Maps any exception: spanloop::Error by kind; kInternal and every other exception are logged
// with the request id and answered with a generic 500 naming only the request id.
HttpResponse exception_response(std::exception_ptr error, const std::string& request_id);

}  // namespace spanloop::server
