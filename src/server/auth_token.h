// UI login tokens (JWT, HS256) and the failed-login throttle.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "store/model.h"

namespace spanloop::server {

struct TokenClaims {
  std::string user_id;
  std::int64_t expires_at = 0;       // Unix seconds
  std::string password_fingerprint;  // changes when the password changes: old tokens die
};

// Issues and checks signed, expiring tokens: header.payload.signature in JWT form, so any JWT
// tool can read them. The secret never leaves the server.
class TokenSigner {
 public:
  TokenSigner(std::string secret, std::chrono::seconds lifetime);
  std::string issue(const store::User& user, std::int64_t now_s) const;
  // nullopt for a bad signature, malformed token or expired token.
  std::optional<TokenClaims> verify(std::string_view token, std::int64_t now_s) const;
  // What a token carries of the user's password hash (first 16 hex of its SHA-256).
  static std::string password_fingerprint(const store::User& user);
  std::chrono::seconds lifetime() const { return lifetime_; }

 private:
  std::string secret_;
  std::chrono::seconds lifetime_;
};

// Locks a username out for `lockout` after `max_failures` failed logins in a row.
class LoginThrottle {
 public:
  LoginThrottle(int max_failures, std::chrono::seconds lockout);
  // Seconds left while locked out; nullopt when a login may be tried.
  std::optional<std::int64_t> locked_for(const std::string& username, std::int64_t now_s);
  void record_failure(const std::string& username, std::int64_t now_s);
  void record_success(const std::string& username);

 private:
  struct Entry {
    int failures = 0;
    std::int64_t locked_until = 0;
  };
  int max_failures_;
  std::chrono::seconds lockout_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace spanloop::server
