// The web UI's built files (web/dist), embedded in the binary at build time.
#pragma once

#include <span>
#include <string_view>

namespace spanloop::webui {

struct Asset {
  std::string_view path;          // relative to web/dist, no leading '/': "assets/index-AbC123.js"
  std::string_view body;          // the file's bytes
  std::string_view content_type;  // "text/javascript; charset=utf-8", ...
  bool immutable;                 // content-hashed file under assets/: cache forever
};

// The asset at `path` ("/index.html", "assets/x.js"; "" or "/" mean index.html), or nullptr.
// Returns nullptr for every path when the binary was built without web/dist.
const Asset* find_asset(std::string_view path);

// Every embedded asset, sorted by path (empty without web/dist).
std::span<const Asset> all_assets();

}  // namespace spanloop::webui
