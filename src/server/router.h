// Route table: (method, path pattern) -> handler. Patterns name their parameters in braces:
// "/api/v1/datasets/{dataset_id}/fields". Route families register themselves from their own
// routes_<family>.cpp through one function each (routes.h).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_types.h"

namespace spanloop::server {

class RequestContext;
using Handler = std::function<HttpResponse(RequestContext& ctx)>;
using PathParams = std::map<std::string, std::string, std::less<>>;

// Who may reach a route at all (finer checks are in the handler, permissions.h).
enum class Access {
  kAuthenticated,  // a valid API key or login token (the default)
  kPublic,         // health, version, login
};

struct Route {
  std::string method;
  std::string pattern;
  std::vector<std::string> segments;  // split pattern; "{name}" segments are parameters
  Handler handler;
  Access access = Access::kAuthenticated;
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler,
           Access access = Access::kAuthenticated);
  void get(std::string pattern, Handler h, Access a = Access::kAuthenticated);
  void post(std::string pattern, Handler h, Access a = Access::kAuthenticated);
  void put(std::string pattern, Handler h, Access a = Access::kAuthenticated);
  void patch(std::string pattern, Handler h, Access a = Access::kAuthenticated);
  void del(std::string pattern, Handler h, Access a = Access::kAuthenticated);

  struct Match {
    const Route* route = nullptr;  // null: no route for this method and path
    PathParams params;
    bool path_exists = false;  // some other method serves the path (405 rather than 404)
  };
  // HEAD matches GET routes. Literal segments win over parameters at the same position.
  Match match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace spanloop::server
