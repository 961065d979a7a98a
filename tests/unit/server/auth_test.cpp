// Auth primitives: Argon2id, API key hashes, base64url, signed tokens, login throttle.
#include <gtest/gtest.h>

#include <vector>

#include "server/auth_crypto.h"
#include "server/auth_token.h"
#include "support/test_support.h"

namespace spanloop::server {
namespace {

TEST(AuthCryptoTest, PasswordsHashWithArgon2idAndVerify) {
  auto h = hash_password("correct horse");
  EXPECT_EQ(h.rfind("$argon2id$", 0), 0u) << h;
  EXPECT_NE(h, hash_password("correct horse"));  // random salt
  EXPECT_TRUE(verify_password(h, "correct horse"));
  EXPECT_FALSE(verify_password(h, "correct horsE"));
  EXPECT_FALSE(verify_password("not a hash", "x"));
}

TEST(AuthCryptoTest, PasswordLengthIsCountedInCharacters) {
  EXPECT_ERROR_KIND(validate_password("short"), ErrorKind::kInvalidArgument, "between 8 and 100");
  EXPECT_NO_THROW(validate_password("κκκκκκκκ"));  // 8 characters, 16 bytes
  EXPECT_ERROR_KIND(validate_password(std::string(101, 'a')), ErrorKind::kInvalidArgument, "100");
}

TEST(AuthCryptoTest, ApiKeysAreRandomAndStoredAsSha256) {
  auto a = new_api_key(), b = new_api_key();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("sl_", 0), 0u);
  EXPECT_EQ(hash_api_key("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(AuthCryptoTest, Base64UrlRoundTrips) {
  for (const std::string& s :
       std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\xff\x00\x10", 3)}) {
    std::string out;
    ASSERT_TRUE(base64url_decode(base64url_encode(s), out));
    EXPECT_EQ(out, s);
  }
  std::string out;
  EXPECT_FALSE(base64url_decode("a+b/", out));
}

TEST(AuthCryptoTest, SecretIsCreatedOnceAndPrivate) {
  testing::TempDir dir;
  auto s1 = load_or_create_secret(dir.path());
  auto s2 = load_or_create_secret(dir.path());
  EXPECT_EQ(s1, s2);
  EXPECT_GE(s1.size(), 64u);
  auto perms = std::filesystem::status(dir.path() / "auth_secret").permissions();
  EXPECT_EQ(perms & std::filesystem::perms::group_read, std::filesystem::perms::none);
}

store::User user_with(std::string id, std::string hash) {
  store::User u;
  u.id = std::move(id);
  u.username = "u";
  u.password_hash = std::move(hash);
  return u;
}

TEST(TokenSignerTest, IssuesVerifiableExpiringTokens) {
  TokenSigner signer("secret-secret-secret-secret-secret", std::chrono::seconds(100));
  auto user = user_with("user-1", "hash-1");
  auto token = signer.issue(user, 1000);
  auto claims = signer.verify(token, 1050);
  ASSERT_TRUE(claims);
  EXPECT_EQ(claims->user_id, "user-1");
  EXPECT_EQ(claims->password_fingerprint, TokenSigner::password_fingerprint(user));
  EXPECT_FALSE(signer.verify(token, 1100));  // expired
  TokenSigner other("another-secret-another-secret-xx", std::chrono::seconds(100));
  EXPECT_FALSE(other.verify(token, 1050));  // wrong key
  std::string tampered = token;
  tampered[tampered.find('.') + 3] ^= 1;
  EXPECT_FALSE(signer.verify(tampered, 1050));
  EXPECT_FALSE(signer.verify("a.b", 1050));
  EXPECT_NE(TokenSigner::password_fingerprint(user),
            TokenSigner::password_fingerprint(user_with("user-1", "hash-2")));
}

TEST(LoginThrottleTest, LocksOutAfterRepeatedFailuresThenForgives) {
  LoginThrottle t(3, std::chrono::seconds(60));
  t.record_failure("bob", 100);
  t.record_failure("bob", 101);
  EXPECT_FALSE(t.locked_for("bob", 102));
  t.record_failure("bob", 102);
  ASSERT_TRUE(t.locked_for("bob", 103));
  EXPECT_EQ(*t.locked_for("bob", 103), 59);
  EXPECT_FALSE(t.locked_for("alice", 103));
  EXPECT_FALSE(t.locked_for("bob", 162));
  t.record_failure("bob", 163);  // a new round after the lockout
  EXPECT_FALSE(t.locked_for("bob", 163));
  t.record_success("bob");
  EXPECT_FALSE(t.locked_for("bob", 164));
}

}  // namespace
}  // namespace spanloop::server
