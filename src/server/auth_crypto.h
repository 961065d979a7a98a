// Secrets: Argon2id password hashes, random API keys stored as SHA-256, HMAC, base64url.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace spanloop::server {

// 422 unless 8..100 characters (the reference's rule).
void validate_password(std::string_view password);
// Encoded Argon2id string ($argon2id$v=19$m=...,t=...,p=...$salt$hash) with a random salt.
std::string hash_password(std::string_view password);
// False for a wrong password or a malformed hash.
bool verify_password(const std::string& encoded_hash, std::string_view password);

// n cryptographically random bytes (OpenSSL RAND_bytes).
std::string random_bytes(std::size_t n);
// A new API key: "sl_" + 32 random bytes in base64url (the only time it exists in clear).
std::string new_api_key();
// What the store keeps of an API key: lowercase hex SHA-256.
std::string hash_api_key(std::string_view key);
// A random password for generated owners (20 base64url characters).
std::string new_password();

std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string base64url_encode(std::string_view bytes);                  // no padding
// nullopt-like: returns false for invalid input.
bool base64url_decode(std::string_view text, std::string& out);
// Constant-time comparison of equal-length secrets.
bool secure_equals(std::string_view a, std::string_view b);

// The token-signing secret of a data directory: DIR/auth_secret (created with 64 random bytes
// and mode 0600 on first use), so tokens survive restarts.
std::string load_or_create_secret(const std::filesystem::path& data_dir);

}  // namespace spanloop::server
