// Compiles a SearchQuery's filters, full-text query and sort keys into SQL over records r and
// the derived search tables (used by SqlStore::search).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "store/search.h"
#include "store/sql/dialect.h"
#include "store/sql/search_sql.h"
#include "store/sql/store_internal.h"

namespace spanloop::store::sql {

constexpr std::size_t kMaxFilters = 50;
constexpr std::size_t kMaxTerms = 250;
constexpr std::size_t kMaxSortKeys = 10;

enum class KeyKind { kInt, kReal, kText };

struct KeyExpr {
  SqlText expr;
  bool desc = false;
  bool nullable = false;
  KeyKind kind = KeyKind::kInt;
};

// "record.status", "suggestion.ner.score", ... for messages and cursor fingerprints.
std::string scope_name(const FilterScope& s);

class SearchCompiler {
 public:
  SearchCompiler(const SearchQuery& q, const DatasetCtx& ctx, const Dialect& d)
      : q_(q), ctx_(ctx), d_(d) {}

  // The records a query matches, as "FROM … WHERE …" over records r. When a condition selects
  // a bounded set of records (full-text matches, the caller's own responses of a status), the
  // query is driven from that set (CROSS JOIN fixes SQLite's join order), instead of letting a
  // planner without statistics walk the dataset's whole index. nullopt: nothing can match.
  std::optional<SqlText> from_where();

  std::vector<KeyExpr> sort_keys();

  // A text query with no other condition whose matches give each record once: the page and the
  // total can come from the full-text index alone (see SqlStore::search and count).
  const std::optional<SqlText>& text_only_matches() const;

 private:
  const Question& question(const std::string& name);

  const MetadataProperty& property(const std::string& name);

  std::optional<std::vector<SqlText>> text_conditions(const TextQuery& t);

  SqlText filter(const Filter& f);

  // response.status: values ORed; "pending" means no response (from the scoped user, or from
  // anyone when unscoped).
  SqlText response_status(const std::vector<std::string>& values);

  // Values of answers: span labels, labels, or ratings (range), through the *_terms tables.
  SqlText answer_terms(std::string_view table, const Question& q, const TermsFilter* terms,
                       const RangeFilter* range, bool responses);

  KeyExpr sort_key(const SortKey& k);

  const SearchQuery& q_;
  const DatasetCtx& ctx_;
  const Dialect& d_;
  std::optional<SqlText> driver_;  // SELECT of record_seq the query is driven from
  bool text_one_row_per_record_ = false;
  bool text_only_ = false;
};

// "after the cursor" for keys referenced by refs (lexicographic, nulls last, seq tiebreak).
SqlText after_cursor(const std::vector<KeyExpr>& keys, const std::vector<SqlText>& refs,
                     const SqlText& seq_ref, const Cursor& cur);

}  // namespace spanloop::store::sql
