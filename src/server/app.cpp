// Request pipeline: request id -> route (or static UI) -> authentication -> handler -> errors ->
// access log.
#include "server/app.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "server/auth_crypto.h"
#include "server/context.h"
#include "server/errors.h"
#include "server/routes.h"
#include "server/static_files.h"
#include "store/store.h"
#include "text/error.h"

namespace spanloop::server {

std::int64_t unix_seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

App::App(store::Store& store, ServerConfig config)
    : store_(store),
      config_(std::move(config)),
      tokens_(config_.auth_secret.empty() ? random_bytes(64) : config_.auth_secret,
              config_.token_lifetime),
      throttle_(config_.login_max_failures, config_.login_lockout),
      users_(config_.auth_cache_ttl),
      static_files_(std::make_unique<StaticFiles>(config_.web_dir)),
      id_prefix_(sha256_hex(random_bytes(16)).substr(0, 8)) {
  register_all_routes(router_);
}

App::~App() = default;

std::string App::next_request_id() {
  return id_prefix_ + "-" + std::to_string(++request_counter_);
}

std::optional<store::User> App::authenticate(const HttpRequest& request) {
  std::string api_key = request.header("x-argilla-api-key");
  std::string authorization = request.header("authorization");
  if (api_key.empty() && authorization.empty()) return std::nullopt;
  if (api_key.empty()) {
    constexpr std::string_view kBearer = "bearer ";
    if (authorization.size() <= kBearer.size() ||
        !std::equal(kBearer.begin(), kBearer.end(), authorization.begin(), [](char a, char b) {
          return a == std::tolower(static_cast<unsigned char>(b));
        })) {
      throw Error(ErrorKind::kUnauthenticated,
                  "unsupported Authorization header; send `Authorization: Bearer <token or API "
                  "key>` or `X-Argilla-Api-Key: <API key>`");
    }
    std::string credential = authorization.substr(kBearer.size());
    if (std::count(credential.begin(), credential.end(), '.') == 2) {
      auto claims = tokens_.verify(credential, unix_seconds_now());
      if (!claims) throw Error(ErrorKind::kUnauthenticated, "invalid or expired token");
      // The generation is read before the lookup, so a change committed meanwhile drops it.
      const std::string key = "u:" + claims->user_id;
      const std::uint64_t generation = store_.accounts_generation();
      auto user = users_.find(key, generation);
      if (!user) {
        user = store_.get_user(claims->user_id);
        if (user) users_.put(key, *user, generation);
      }
      if (!user || TokenSigner::password_fingerprint(*user) != claims->password_fingerprint) {
        throw Error(ErrorKind::kUnauthenticated, "invalid or expired token");
      }
      return user;
    }
    api_key = credential;
  }
  const std::string key = "k:" + hash_api_key(api_key);
  const std::uint64_t generation = store_.accounts_generation();
  auto user = users_.find(key, generation);
  if (user) return user;
  user = store_.find_user_by_api_key_hash(key.substr(2));
  if (user) users_.put(key, *user, generation);
  if (!user) throw Error(ErrorKind::kUnauthenticated, "invalid API key");
  return user;
}

HttpResponse App::dispatch(const HttpRequest& request, const std::string& request_id,
                           std::string& username) {
  auto match = router_.match(request.method, request.path);
  if (!match.route) {
    bool api = request.path == "/api" || request.path.rfind("/api/", 0) == 0;
    if (!api) {
      if (auto res = static_files_->serve(request)) return *res;
    }
    if (match.path_exists) {
      return json_response(
          nlohmann::json{
              {"detail",
               {{"code", "method_not_allowed"},
                {"message", "method " + request.method + " is not allowed on " + request.path}}}},
          405);
    }
    return error_response(ErrorKind::kNotFound, "no route " + request.method + " " + request.path);
  }
  RequestContext ctx(*this, request, std::move(match.params), request_id);
  try {
    auto user = authenticate(request);
    if (user) {
      username = user->username;
      ctx.set_user(std::move(*user));
    } else if (match.route->access == Access::kAuthenticated) {
      throw Error(ErrorKind::kUnauthenticated,
                  "authentication required: send `X-Argilla-Api-Key: <API key>` or "
                  "`Authorization: Bearer <token>`");
    }
  } catch (const Error& e) {
    // A public route ignores bad credentials (the UI may hold an expired token at login).
    if (match.route->access == Access::kAuthenticated || e.kind() != ErrorKind::kUnauthenticated) {
      return exception_response(std::current_exception(), request_id);
    }
  } catch (...) {
    return exception_response(std::current_exception(), request_id);
  }
  try {
    return match.route->handler(ctx);
  } catch (...) {
    return exception_response(std::current_exception(), request_id);
  }
}

HttpResponse App::handle(const HttpRequest& request) {
  auto start = std::chrono::steady_clock::now();
  std::string request_id = next_request_id();
  std::string username = "-";
  HttpResponse res;
  try {
    res = dispatch(request, request_id, username);
  } catch (...) {
    res = exception_response(std::current_exception(), request_id);
  }
  res.set_header("X-Request-Id", request_id);
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  spdlog::info("{} {} {} {} {} {:.2f}ms user={}", request_id, request.remote_addr, request.method,
               request.path, res.status, ms, username);
  return res;
}

}  // namespace spanloop::server
