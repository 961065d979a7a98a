// The web UI: assets embedded in the binary (target spanloop_webui, when built) or read from
// --web-dir. Non-API GETs that name no file fall back to index.html (the UI routes itself).
#pragma once

#include <optional>
#include <string>

#include "server/http_types.h"

namespace spanloop::server {

class StaticFiles {
 public:
  // Empty web_dir: the embedded assets (if this build has them).
  explicit StaticFiles(std::string web_dir);
  // nullopt when the request is not a UI request or there is nothing to serve (the caller
  // answers 404).
  std::optional<HttpResponse> serve(const HttpRequest& request) const;
  // Whether any UI is available (embedded or from disk).
  bool available() const;

 private:
  std::optional<HttpResponse> lookup(const std::string& path) const;
  std::string web_dir_;
};

// Content type for a file name by its extension (application/octet-stream when unknown).
std::string content_type_for(const std::string& path);

}  // namespace spanloop::server
