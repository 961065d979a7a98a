// Full-text search words and queries, defined once so SQLite FTS5 and PostgreSQL tsvector agree.
// A word is a maximal run of code points of Unicode categories L*, N*, M* or Co (SQLite's
// unicode61 tokenizer with categories 'L* N* Co M*'), lowercased; everything else separates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace spanloop::store::sql {

std::vector<std::string> fts_words(std::string_view text);

// record_texts.id (also the FTS5 rowid) packs dataset, record and field position:
// dataset_seq << 44 | record_seq << 8 | field_index. A dataset's texts are one id range and a
// full-text match gives its record without a lookup. Limits: 2^19 datasets, 2^36 records,
// 256 fields per dataset.
inline constexpr std::int64_t kMaxTextDatasets = std::int64_t{1} << 19;
inline constexpr std::int64_t kMaxTextFields = 256;
inline constexpr std::int64_t kTextRecordMask = (std::int64_t{1} << 36) - 1;
inline std::int64_t text_id(std::int64_t dataset_seq, std::int64_t record_seq,
                            std::int64_t field_index) {
  return (dataset_seq << 44) | ((record_seq & kTextRecordMask) << 8) | field_index;
}
inline std::int64_t text_ids_begin(std::int64_t dataset_seq) {
  return dataset_seq << 44;
}
inline std::int64_t text_ids_end(std::int64_t dataset_seq) {
  return (dataset_seq + 1) << 44;
}

// A PostgreSQL tsvector literal of text's words with their positions ('w':1,4 'x':2).
std::string pg_tsvector_literal(std::string_view text);

// simple_query_string-like query: words ANDed, "phrases", word* prefixes, -word exclusions.
struct TextQueryClause {
  std::vector<std::string> words;  // more than one: a phrase
  bool prefix = false;             // the last word is a prefix
  bool negated = false;
};
struct ParsedTextQuery {
  std::vector<TextQueryClause> clauses;
  bool matches_nothing() const;  // no positive clause with words
};
ParsedTextQuery parse_text_query(std::string_view q);

// FTS5 MATCH expression and PostgreSQL tsquery literal of a query (not matches_nothing()).
std::string fts5_match_expression(const ParsedTextQuery& q);
std::string pg_tsquery_literal(const ParsedTextQuery& q);

}  // namespace spanloop::store::sql
