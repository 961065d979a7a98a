// Cursor encoding (JSON in base64url) and SQL text joining for the search builder.
#include "store/sql/search_sql.h"

#include <nlohmann/json.hpp>

namespace spanloop::store::sql {

SqlText join(const std::vector<SqlText>& parts, std::string_view sep) {
  SqlText out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string b64url_encode(std::string_view in) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += kB64[v >> 18];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
    out += kB64[v & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += kB64[v >> 18];
    out += kB64[(v >> 12) & 63];
  } else if (i + 2 == in.size()) {
    const unsigned v =
        (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += kB64[v >> 18];
    out += kB64[(v >> 12) & 63];
    out += kB64[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> b64url_decode(std::string_view in) {
  std::string out;
  unsigned buf = 0;
  int bits = 0;
  for (char ch : in) {
    const char* p = std::char_traits<char>::find(kB64, 64, ch);
    if (!p) return std::nullopt;
    buf = (buf << 6) | static_cast<unsigned>(p - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buf >> bits) & 0xFF);
    }
  }
  return out;
}

}  // namespace

std::string encode_cursor(const Cursor& c) {
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& k : c.keys)
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::monostate>)
            keys.push_back(nullptr);
          else
            keys.push_back(v);
        },
        k);
  const nlohmann::json j{{"v", 1}, {"f", c.fingerprint}, {"k", keys}, {"s", c.seq}};
  return b64url_encode(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::optional<Cursor> decode_cursor(std::string_view text) {
  auto raw = b64url_decode(text);
  if (!raw) return std::nullopt;
  const auto j = nlohmann::json::parse(*raw, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("v", 0) != 1 || !j.contains("f") ||
      !j["f"].is_string() || !j.contains("k") || !j["k"].is_array() || !j.contains("s") ||
      !j["s"].is_number_integer())
    return std::nullopt;
  Cursor c;
  c.fingerprint = j["f"].get<std::string>();
  c.seq = j["s"].get<std::int64_t>();
  for (const auto& k : j["k"]) {
    if (k.is_null())
      c.keys.emplace_back(std::monostate{});
    else if (k.is_number_integer())
      c.keys.emplace_back(k.get<std::int64_t>());
    else if (k.is_number())
      c.keys.emplace_back(k.get<double>());
    else if (k.is_string())
      c.keys.emplace_back(k.get<std::string>());
    else
      return std::nullopt;
  }
  return c;
}

Param to_param(const CursorValue& v) {
  if (auto* i = std::get_if<std::int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  return nullptr;
}

}  // namespace spanloop::store::sql
