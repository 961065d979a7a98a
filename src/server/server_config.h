// Settings of one server instance (filled by `spanloop serve` from flags and SPANLOOP_* vars).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace spanloop::server {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 6900;      // 0: any free port (Server::port() tells which)
  int threads = 0;      // worker threads; 0: max(64, 8 x hardware threads)
  std::string web_dir;  // serve the UI from this folder instead of the embedded assets
  // Largest accepted request body (a 500-record bulk of long patent claims is a few MB).
  std::size_t max_body_bytes = 32u << 20;
  std::chrono::seconds read_timeout{60};
  std::chrono::seconds write_timeout{60};
  // HMAC key of UI login tokens (random bytes kept in the data directory; see auth.h).
  std::string auth_secret;
  std::chrono::seconds token_lifetime{86400};
  // Failed logins of one username before it is locked out, and for how long.
  int login_max_failures = 5;
  std::chrono::seconds login_lockout{300};
  // How long the user behind an API key or login token is reused without a store read
  // (user_cache.h); 0 disables. Changes through this server apply at once; changes by another
  // process on the same database (offline `spanloop user`) within this time.
  std::chrono::milliseconds auth_cache_ttl{1000};
};

}  // namespace spanloop::server
