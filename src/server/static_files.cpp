// Serving the UI from embedded assets or a folder, with cache and CSP headers.
#include "server/static_files.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#ifdef SPANLOOP_HAVE_WEBUI
#include "webui/assets.h"
#endif

namespace spanloop::server {
namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

HttpResponse asset_response(std::string body, std::string content_type, bool immutable) {
  HttpResponse res;
  res.body = std::move(body);
  res.content_type = std::move(content_type);
  // Hashed file names never change content; index.html must be revalidated to pick them up.
  res.set_header("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
  res.set_header("Content-Security-Policy", "default-src 'self'");
  res.set_header("X-Content-Type-Options", "nosniff");
  return res;
}

// A request path that cannot leave the web folder: no "..", no NUL, no backslash.
bool safe_path(const std::string& path) {
  if (path.find('\0') != std::string::npos || path.find('\\') != std::string::npos) return false;
  std::filesystem::path p(path);
  for (const auto& part : p) {
    if (part == "..") return false;
  }
  return true;
}

}  // namespace

std::string content_type_for(const std::string& path) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
  };
  for (const auto& [ext, type] : kTypes) {
    if (ends_with(path, ext)) return std::string(type);
  }
  return "application/octet-stream";
}

StaticFiles::StaticFiles(std::string web_dir) : web_dir_(std::move(web_dir)) {}

bool StaticFiles::available() const {
  if (!web_dir_.empty()) return true;
#ifdef SPANLOOP_HAVE_WEBUI
  return webui::find_asset("/index.html") != nullptr || webui::find_asset("index.html") != nullptr;
#else
  return false;
#endif
}

std::optional<HttpResponse> StaticFiles::lookup(const std::string& path) const {
  if (!web_dir_.empty()) {
    if (!safe_path(path)) return std::nullopt;
    std::filesystem::path file = std::filesystem::path(web_dir_) / path.substr(1);
    std::error_code ec;
    if (!std::filesystem::is_regular_file(file, ec)) return std::nullopt;
    std::ifstream in(file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    bool immutable = path.rfind("/assets/", 0) == 0;  // Vite puts hashed names there
    return asset_response(ss.str(), content_type_for(path), immutable);
  }
#ifdef SPANLOOP_HAVE_WEBUI
  const webui::Asset* asset = webui::find_asset(path);
  if (!asset) asset = webui::find_asset(std::string_view(path).substr(1));
  if (asset) {
    return asset_response(std::string(asset->body), std::string(asset->content_type),
                          asset->immutable);
  }
#endif
  return std::nullopt;
}

std::optional<HttpResponse> StaticFiles::serve(const HttpRequest& request) const {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  std::string path = request.path.empty() || request.path == "/" ? "/index.html" : request.path;
  if (path.front() != '/') return std::nullopt;
  if (auto res = lookup(path)) return res;
  // Client-side routes (/datasets/123/annotate) have no extension: give the app shell.
  auto last = path.substr(path.rfind('/') + 1);
  if (last.find('.') == std::string::npos) {
    if (auto index = lookup("/index.html")) return index;
  }
  return std::nullopt;
}

}  // namespace spanloop::server
