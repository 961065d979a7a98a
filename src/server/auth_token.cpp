// JWT (HS256) tokens and the login throttle.
#include "server/auth_token.h"

#include <nlohmann/json.hpp>

#include "server/auth_crypto.h"

namespace spanloop::server {

TokenSigner::TokenSigner(std::string secret, std::chrono::seconds lifetime)
    : secret_(std::move(secret)), lifetime_(lifetime) {}

std::string TokenSigner::password_fingerprint(const store::User& user) {
  return sha256_hex(user.password_hash).substr(0, 16);
}

std::string TokenSigner::issue(const store::User& user, std::int64_t now_s) const {
  static const std::string header = base64url_encode(R"({"alg":"HS256","typ":"JWT"})");
  nlohmann::json payload{{"sub", user.id},
                         {"username", user.username},
                         {"iat", now_s},
                         {"exp", now_s + lifetime_.count()},
                         {"pwd", password_fingerprint(user)}};
  std::string signing_input = header + "." + base64url_encode(payload.dump());
  return signing_input + "." + base64url_encode(hmac_sha256(secret_, signing_input));
}

std::optional<TokenClaims> TokenSigner::verify(std::string_view token, std::int64_t now_s) const {
  auto dot1 = token.find('.');
  if (dot1 == std::string_view::npos) return std::nullopt;
  auto dot2 = token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos) return std::nullopt;
  std::string_view signing_input = token.substr(0, dot2);
  std::string signature;
  if (!base64url_decode(token.substr(dot2 + 1), signature)) return std::nullopt;
  if (!secure_equals(signature, hmac_sha256(secret_, signing_input))) return std::nullopt;
  std::string payload_text;
  if (!base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1), payload_text)) {
    return std::nullopt;
  }
  auto payload = nlohmann::json::parse(payload_text, nullptr, false);
  if (!payload.is_object()) return std::nullopt;
  TokenClaims claims;
  try {
    claims.user_id = payload.at("sub").get<std::string>();
    claims.expires_at = payload.at("exp").get<std::int64_t>();
    claims.password_fingerprint = payload.at("pwd").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
  if (claims.expires_at <= now_s) return std::nullopt;
  return claims;
}

LoginThrottle::LoginThrottle(int max_failures, std::chrono::seconds lockout)
    : max_failures_(max_failures), lockout_(lockout) {}

std::optional<std::int64_t> LoginThrottle::locked_for(const std::string& username,
                                                      std::int64_t now_s) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(username);
  if (it == entries_.end() || it->second.locked_until <= now_s) return std::nullopt;
  return it->second.locked_until - now_s;
}

void LoginThrottle::record_failure(const std::string& username, std::int64_t now_s) {
  std::lock_guard lock(mutex_);
  // Bound memory when someone sprays random usernames: forget everyone not locked out.
  if (entries_.size() > 100000)
    std::erase_if(entries_, [&](const auto& e) { return e.second.locked_until <= now_s; });
  auto& e = entries_[username];
  if (e.locked_until != 0 && e.locked_until <= now_s) e = Entry{};  // lockout over: start again
  if (++e.failures >= max_failures_) e.locked_until = now_s + lockout_.count();
}

void LoginThrottle::record_success(const std::string& username) {
  std::lock_guard lock(mutex_);
  entries_.erase(username);
}

}  // namespace spanloop::server
