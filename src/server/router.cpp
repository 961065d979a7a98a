// Route matching by path segments.
#include "server/router.h"

#include "text/error.h"

namespace spanloop::server {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i <= path.size()) {
    auto slash = path.find('/', i);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > i) out.push_back(path.substr(i, slash - i));
    i = slash + 1;
  }
  return out;
}

bool is_param(std::string_view seg) {
  return seg.size() >= 2 && seg.front() == '{' && seg.back() == '}';
}

// Number of literal segments: more literals means a more specific route.
int literal_count(const Route& r) {
  int n = 0;
  for (const auto& s : r.segments) n += is_param(s) ? 0 : 1;
  return n;
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler, Access access) {
  Route r;
  r.method = std::move(method);
  for (auto seg : split_path(pattern)) r.segments.emplace_back(seg);
  r.pattern = std::move(pattern);
  r.handler = std::move(handler);
  r.access = access;
  for (const auto& existing : routes_) {
    if (existing.method == r.method && existing.segments == r.segments) {
      throw Error(ErrorKind::kInternal, "route registered twice: " + r.method + " " + r.pattern);
    }
  }
  routes_.push_back(std::move(r));
}

void Router::get(std::string p, Handler h, Access a) {
  add("GET", std::move(p), std::move(h), a);
}
void Router::post(std::string p, Handler h, Access a) {
  add("POST", std::move(p), std::move(h), a);
}
void Router::put(std::string p, Handler h, Access a) {
  add("PUT", std::move(p), std::move(h), a);
}
void Router::patch(std::string p, Handler h, Access a) {
  add("PATCH", std::move(p), std::move(h), a);
}
void Router::del(std::string p, Handler h, Access a) {
  add("DELETE", std::move(p), std::move(h), a);
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  if (method == "HEAD") method = "GET";
  auto parts = split_path(path);
  Match best;
  int best_literals = -1;
  for (const auto& r : routes_) {
    if (r.segments.size() != parts.size()) continue;
    PathParams params;
    bool ok = true;
    for (std::size_t i = 0; i < parts.size() && ok; ++i) {
      const std::string& seg = r.segments[i];
      if (is_param(seg)) {
        params.emplace(seg.substr(1, seg.size() - 2), std::string(parts[i]));
      } else {
        ok = seg == parts[i];
      }
    }
    if (!ok) continue;
    if (r.method != method) {
      best.path_exists = true;
      continue;
    }
    int literals = literal_count(r);
    if (literals > best_literals) {
      best_literals = literals;
      best.route = &r;
      best.params = std::move(params);
    }
  }
  return best;
}

}  // namespace spanloop::server
