// Building blocks for the search SQL: a text+parameters builder and the opaque page cursor.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "store/sql/db.h"

namespace spanloop::store::sql {

// SQL text with its parameters in textual order, so pieces can be concatenated safely.
struct SqlText {
  std::string text;
  Params params;

  SqlText() = default;
  SqlText(std::string t) : text(std::move(t)) {}  // NOLINT: literal SQL pieces
  SqlText(std::string t, Params p) : text(std::move(t)), params(std::move(p)) {}
  SqlText& operator+=(const SqlText& o) {
    text += o.text;
    params.insert(params.end(), o.params.begin(), o.params.end());
    return *this;
  }
  SqlText& operator+=(std::string_view s) {
    text += s;
    return *this;
  }
};
inline SqlText operator+(SqlText a, const SqlText& b) {
  return a += b;
}

// Joins pieces with a separator (" AND ", " OR ", ", ").
SqlText join(const std::vector<SqlText>& parts, std::string_view sep);

// A sort key value at a page boundary: null, integer, real or text.
using CursorValue = std::variant<std::monostate, std::int64_t, double, std::string>;

struct Cursor {
  std::string fingerprint;  // the query shape the cursor belongs to
  std::vector<CursorValue> keys;
  std::int64_t seq = 0;
};

std::string encode_cursor(const Cursor& c);
// nullopt for text that is not a cursor this code wrote.
std::optional<Cursor> decode_cursor(std::string_view text);

Param to_param(const CursorValue& v);

}  // namespace spanloop::store::sql
