// Hub HTTP failures as spanloop errors.
#include "ml/hub/hub_errors.h"

#include <nlohmann/json.hpp>

#include "text/error.h"

namespace spanloop::ml::hub {

std::string hub_error_text(const HttpResponse& response) {
  std::string text;
  const auto json = nlohmann::json::parse(response.body, nullptr, false);
  if (json.is_object() && json.contains("error") && json["error"].is_string()) {
    text = json["error"].get<std::string>();
  } else {
    text = response.body.substr(0, response.body.find('\n'));
  }
  if (text.empty()) text = response.header("x-error-message");
  if (text.size() > 300) text = text.substr(0, 300) + "...";
  return text;
}

void throw_hub_error(const HttpResponse& response, const std::string& what,
                     const std::string& endpoint, bool token_set) {
  if (!response.transport_error.empty()) {
    throw Error(ErrorKind::kUnavailable,
                what + ": cannot reach the Hub at " + endpoint + " (" + response.transport_error +
                    "); check the network or HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to use only "
                    "the local cache");
  }
  const std::string detail = hub_error_text(response);
  const std::string suffix = detail.empty() ? "" : " (" + detail + ")";
  const std::string code = response.header("x-error-code");
  switch (response.status) {
    case 401:
      throw Error(ErrorKind::kUnauthenticated,
                  what + ": HTTP 401 from " + endpoint + suffix +
                      (token_set ? "; the token was refused, or the repository does not exist"
                                 : "; the repository does not exist or is private: set HF_TOKEN "
                                   "to a token that can read it"));
    case 403:
      throw Error(ErrorKind::kPermissionDenied,
                  what + ": HTTP 403 from " + endpoint + suffix +
                      "; the repository is gated or the token lacks access to it");
    case 404:
      if (code == "RevisionNotFound") {
        throw Error(ErrorKind::kNotFound, what + ": revision not found on " + endpoint + suffix);
      }
      if (code == "RepoNotFound") {
        throw Error(ErrorKind::kNotFound, what + ": repository not found on " + endpoint + suffix);
      }
      throw Error(ErrorKind::kNotFound, what + ": HTTP 404 from " + endpoint + suffix);
    default:
      throw Error(ErrorKind::kUnavailable, what + ": HTTP " + std::to_string(response.status) +
                                               " from " + endpoint + suffix);
  }
}

}  // namespace spanloop::ml::hub
