// Turning Hub HTTP answers into spanloop::Error with a message that says what to do.
#pragma once

#include <string>

#include "ml/hub/http_client.h"

namespace spanloop::ml::hub {

// Throws the error for a failed response (`what` names the request, e.g. "org/name@main:
// config.json"). Transport failures become kUnavailable, 401 kUnauthenticated, 403
// kPermissionDenied, 404 kNotFound, others kUnavailable. `token_set` tunes the 401 advice.
[[noreturn]] void throw_hub_error(const HttpResponse& response, const std::string& what,
                                  const std::string& endpoint, bool token_set);

// The Hub's short error text from a JSON body ({"error": "..."}), or the body's first line.
std::string hub_error_text(const HttpResponse& response);

}  // namespace spanloop::ml::hub
