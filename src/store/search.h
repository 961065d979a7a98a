// Record search: text query, filters, sorts and pagination (the reference's SearchRecordsQuery).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "store/model.h"

namespace spanloop::store {

enum class ScopeEntity { kRecord, kResponse, kSuggestion, kMetadata };

// What a filter or sort applies to, as in the API's "scope" objects:
//   record:     property "status" (terms) | "inserted_at" | "updated_at" (sort, range in µs)
//   response:   property "status" (terms: draft | submitted | discarded | pending);
//               question "q" with empty property or "value": the answer's labels (terms on span
//               labels, label and multi-label values) or rating (terms and range)
//   suggestion: question "q", property "value" (terms, as for responses) | "agent" (terms) |
//               "type" (terms: model | human) | "score" (range, sort)
//   metadata:   metadata_property "name" (terms for terms properties, range and sort for numbers;
//               sort for terms too)
struct FilterScope {
  ScopeEntity entity = ScopeEntity::kRecord;
  std::string property;
  std::string question;
  std::string metadata_property;
};

// Matches when the scoped value is any of values (values are ORed).
struct TermsFilter {
  FilterScope scope;
  std::vector<std::string> values;  // 1..250
};

// Matches when ge <= value <= le (either bound optional). For a list of suggestion scores, when
// any score is in range.
struct RangeFilter {
  FilterScope scope;
  std::optional<double> ge;
  std::optional<double> le;
};

using Filter = std::variant<TermsFilter, RangeFilter>;

enum class SortOrder { kAsc, kDesc };

// Missing values (no metadata, no suggestion) sort last in both orders. Suggestion score lists
// sort by their highest score.
struct SortKey {
  FilterScope scope;
  SortOrder order = SortOrder::kAsc;
};

// Words are ANDed; "quoted phrases" match consecutive words; a trailing * makes a word a prefix;
// a leading - excludes a word (needs at least one positive word). Matching is case-insensitive
// on words made of letters, digits and marks (code points of Unicode categories L, N, M); other
// characters (punctuation, symbols, emoji) only separate words.
struct TextQuery {
  std::string q;
  std::optional<std::string> field;  // a text field name; all text fields when absent
};

struct SearchQuery {
  std::string dataset_id;
  std::optional<TextQuery> text;
  std::vector<Filter> filters;  // ANDed, <= 50
  std::vector<SortKey> sort;    // <= 10; default: inserted_at ascending
  // /me searches: response filters and sorts see only this user's response, and response status
  // "pending" means no response from this user (without it: no response from anyone).
  std::optional<std::string> user_id;
  // Order by this user's shuffled order (model.h) when no sort is given; needs user_id.
  bool shuffle = false;
  RecordInclude include;
  std::int64_t offset = 0;
  std::int64_t limit = 50;  // 1..1000
  // Opaque position returned as next_cursor by the previous page of the same query; when set,
  // offset must be 0 and paging continues after that position (no depth limit).
  std::optional<std::string> cursor;
  bool with_total = true;  // false skips counting (exports)
};

struct SearchHit {
  Record record;
  double query_score = 1.0;  // 1.0: results are ordered by the sort keys, not by relevance
};

struct SearchResult {
  std::vector<SearchHit> items;
  std::int64_t total = 0;  // matches of the whole query (0 when with_total is false)
  // Cursor for the page after this one; absent when this page is the last.
  std::optional<std::string> next_cursor;
};

}  // namespace spanloop::store
