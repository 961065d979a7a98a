// Full-text search words and queries, defined once so SQLite FTS5 and PostgreSQL tsvector agree.
// A word is a maximal run of code points of Unicode categories L*, N*, M* or Co (SQLite's
// unicode61 tokenizer with categories 'L* N* Co M*'), lowercased; everything else separates.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace spanloop::store::sql {

std::vector<std::string> fts_words(std::string_view text);

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
