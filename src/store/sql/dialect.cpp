// SQLite and PostgreSQL spellings of the few things the store's SQL cannot share.
#include "store/sql/dialect.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

namespace spanloop::store::sql {

std::string Dialect::in_ints(std::string_view column) const {
  if (postgres()) return std::string(column) + " = ANY(?::bigint[])";
  return std::string(column) + " IN (SELECT value FROM json_each(?))";
}

std::string Dialect::in_texts(std::string_view column) const {
  if (postgres()) return std::string(column) + " = ANY(?::text[])";
  return std::string(column) + " IN (SELECT value FROM json_each(?))";
}

Param Dialect::int_list(const std::vector<std::int64_t>& values) const {
  std::string out = postgres() ? "{" : "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(values[i]);
  }
  out += postgres() ? "}" : "]";
  return out;
}

Param Dialect::text_list(const std::vector<std::string>& values) const {
  if (!postgres())
    return nlohmann::json(values).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  // PostgreSQL array literal: every element double-quoted, with " and \ escaped.
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::string_view Dialect::insert_text_sql() const {
  if (postgres())
    return "INSERT INTO record_texts (id, record_seq, field, body, tsv) VALUES (?, ?, ?, ?, "
           "?::tsvector)";
  // The FTS5 row is added later by the indexer (sqlite/fts_indexer.h).
  return "INSERT INTO record_texts (id, record_seq, field, body) VALUES (?, ?, ?, ?)";
}

Params Dialect::insert_text_params(std::int64_t id, std::int64_t record_seq,
                                   const std::string& field, const std::string& body) const {
  Params p{id, record_seq, field, body};
  if (postgres()) p.emplace_back(pg_tsvector_literal(body));
  return p;
}

std::string_view Dialect::queue_text_sql() const {
  return postgres() ? "" : "INSERT INTO fts_queue (text_id) VALUES (?)";
}

// PostgreSQL: the scope column of the full-text GIN index (migration 3, v0003_text_scope.cpp),
// spelled exactly as there so the planner matches it: '#<dataset>' and '#<dataset>.<field>'.
// Words and scope are then both index conditions instead of a heap filter on the text id.
constexpr std::string_view kPgTextScope =
    "('''#' || (rt.id >> 44)::text || ''' ''#' || (rt.id >> 44)::text || '.' || (rt.id & "
    "255)::text || '''')::tsvector";

std::string Dialect::fts_record_seqs(bool one_field) const {
  if (postgres())
    return "SELECT rt.record_seq AS record_seq FROM record_texts rt WHERE rt.tsv @@ ?::tsquery "
           "AND " +
           std::string(kPgTextScope) + " @@ ?::tsquery";
  std::string sql =
      "SELECT (rowid >> 8) & 68719476735 AS record_seq FROM record_texts_fts WHERE "
      "record_texts_fts MATCH ? AND rowid >= ? AND rowid < ?";
  if (one_field) sql += " AND (rowid & 255) = ?";
  return sql;
}

Params Dialect::fts_params(const ParsedTextQuery& q, std::int64_t dataset_seq,
                           std::optional<std::int64_t> field_index) const {
  if (postgres()) {
    // The words, and the scope lexeme of the dataset or of one of its fields.
    std::string scope = "'#" + std::to_string(dataset_seq);
    if (field_index) scope += "." + std::to_string(*field_index);
    return {pg_tsquery_literal(q), scope + "'"};
  }
  Params p{fts5_match_expression(q), text_ids_begin(dataset_seq), text_ids_end(dataset_seq)};
  if (field_index) p.push_back(*field_index);
  return p;
}

std::string Dialect::json_number_in_range(std::string_view column) const {
  const std::string c(column);
  if (postgres())
    return "EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(" + c +
           "::jsonb) = 'array' THEN " + c + "::jsonb ELSE jsonb_build_array(" + c +
           "::jsonb) END) AS e(v) WHERE jsonb_typeof(e.v) = 'number' AND (e.v)::text::float8 >= ? "
           "AND (e.v)::text::float8 <= ?)";
  return "EXISTS (SELECT 1 FROM json_each(" + c +
         ") AS e WHERE e.type IN ('real', 'integer') AND e.value >= ? AND e.value <= ?)";
}

namespace {

// One PostgreSQL array literal element: NULL, a number, or a double-quoted string.
void append_array_element(std::string& out, const Param& p) {
  if (std::holds_alternative<std::nullptr_t>(p)) {
    out += "NULL";
  } else if (auto* i = std::get_if<std::int64_t>(&p)) {
    out += std::to_string(*i);
  } else if (auto* d = std::get_if<double>(&p)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", *d);
    out += buf;
  } else if (auto* s = std::get_if<std::string>(&p)) {
    out += '"';
    for (char c : *s) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  } else {
    throw std::logic_error("insert_rows: blob columns are not supported");
  }
}

}  // namespace

void Dialect::insert_rows(Conn& conn, std::string_view table, const std::vector<Column>& columns,
                          const std::vector<Params>& rows) const {
  if (rows.empty()) return;
  std::string names;
  for (std::size_t i = 0; i < columns.size(); ++i)
    names += (i ? ", " : "") + std::string(columns[i].name);
  if (!postgres()) {
    std::string sql = "INSERT INTO " + std::string(table) + " (" + names + ") VALUES (";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += i ? ", ?" : "?";
    conn.execute_many(sql + ")", rows);
    return;
  }
  std::string sql = "INSERT INTO " + std::string(table) + " (" + names + ") SELECT * FROM unnest(";
  for (std::size_t i = 0; i < columns.size(); ++i)
    sql += (i ? ", ?::" : "?::") + std::string(columns[i].pg_type) + "[]";
  sql += ")";
  constexpr std::size_t kChunk = 2000;
  for (std::size_t begin = 0; begin < rows.size(); begin += kChunk) {
    const std::size_t end = std::min(rows.size(), begin + kChunk);
    Params arrays;
    for (std::size_t col = 0; col < columns.size(); ++col) {
      std::string a = "{";
      for (std::size_t r = begin; r < end; ++r) {
        if (r > begin) a += ',';
        append_array_element(a, rows[r].at(col));
      }
      arrays.emplace_back(a + "}");
    }
    conn.execute(sql, arrays);
  }
}

std::vector<std::int64_t> Dialect::allocate_ids(Conn& conn, std::string_view table,
                                                std::string_view column, std::size_t n) const {
  std::vector<std::int64_t> ids;
  ids.reserve(n);
  if (n == 0) return ids;
  if (postgres()) {
    Rows rows = conn.query("SELECT nextval(pg_get_serial_sequence('" + std::string(table) + "', '" +
                               std::string(column) + "')) FROM generate_series(1, ?)",
                           {static_cast<std::int64_t>(n)});
    while (rows.next()) ids.push_back(rows.i64(0));
    return ids;
  }
  // The caller holds SQLite's write lock. id_sequences remembers the highest key ever handed
  // out, so keys of deleted rows are not reused.
  const std::string name = std::string(table) + "." + std::string(column);
  conn.execute("INSERT INTO id_sequences (name, last_value) SELECT ?, COALESCE(MAX(" +
                   std::string(column) + "), 0) FROM " + std::string(table) +
                   " WHERE 1 ON CONFLICT (name) DO NOTHING",
               {name});
  const std::int64_t last = conn.query_i64(
                                    "UPDATE id_sequences SET last_value = last_value + ? WHERE "
                                    "name = ? RETURNING last_value",
                                    {static_cast<std::int64_t>(n), name})
                                .value();
  for (std::size_t i = 0; i < n; ++i)
    ids.push_back(last - static_cast<std::int64_t>(n) + 1 + static_cast<std::int64_t>(i));
  return ids;
}

}  // namespace spanloop::store::sql
