// SqlStore::search: filters, full-text, sorts, counts and pagination compiled to one SQL query
// per page over the records table and the derived search tables.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "store/sql/search_sql.h"
#include "store/sql/sql_store_txn.h"
#include "store/sql/store_internal.h"
#include "store/sql/text_index.h"
#include "store/validation_util.h"

namespace spanloop::store::sql {

namespace {

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

SqlText placeholders(const std::vector<std::string>& values) {
  SqlText out;
  if (values.size() == 1) {
    out.text = " = ?";
  } else {
    out.text = " IN (";
    for (std::size_t i = 0; i < values.size(); ++i) out.text += i ? ", ?" : "?";
    out.text += ")";
  }
  for (const auto& v : values) out.params.push_back(v);
  return out;
}

std::string scope_name(const FilterScope& s) {
  switch (s.entity) {
    case ScopeEntity::kRecord:
      return "record." + s.property;
    case ScopeEntity::kResponse:
      return s.question.empty() ? "response." + s.property
                                : "response." + s.question + "." + s.property;
    case ScopeEntity::kSuggestion:
      return "suggestion." + s.question + "." + s.property;
    case ScopeEntity::kMetadata:
      return "metadata." + s.metadata_property;
  }
  return "?";
}

// Compiles one query against one dataset.
class SearchCompiler {
 public:
  SearchCompiler(const SearchQuery& q, const DatasetCtx& ctx, const Dialect& d)
      : q_(q), ctx_(ctx), d_(d) {}

  // The records a query matches, as "FROM … WHERE …" over records r. When a condition selects
  // a bounded set of records (full-text matches, the caller's own responses of a status), the
  // query is driven from that set (CROSS JOIN fixes SQLite's join order), instead of letting a
  // planner without statistics walk the dataset's whole index. nullopt: nothing can match.
  std::optional<SqlText> from_where() {
    std::vector<SqlText> conditions;
    conditions.push_back(SqlText("r.dataset_seq = ?", {ctx_.seq}));
    if (q_.text) {
      auto text = text_conditions(*q_.text);
      if (!text) return std::nullopt;
      for (auto& t : *text) conditions.push_back(std::move(t));
    }
    for (const auto& f : q_.filters) conditions.push_back(filter(f));
    text_only_ = text_one_row_per_record_ && q_.filters.empty();
    SqlText out("FROM ");
    if (driver_) {
      out += SqlText("(SELECT DISTINCT record_seq FROM (") + *driver_ +
             SqlText(") AS d) AS m CROSS JOIN records r WHERE r.seq = m.record_seq AND ");
    } else {
      out += "records r WHERE ";
    }
    return out + join(conditions, " AND ");
  }

  std::vector<KeyExpr> sort_keys() {
    std::vector<KeyExpr> out;
    for (const auto& s : q_.sort) out.push_back(sort_key(s));
    if (out.empty()) out.push_back(KeyExpr{SqlText("r.seq"), false, false, KeyKind::kInt});
    return out;
  }

  // A text query with no other condition whose matches give each record once: the page and the
  // total can come from the full-text index alone (see SqlStore::search and count).
  const std::optional<SqlText>& text_only_matches() const {
    static const std::optional<SqlText> kNone;
    return text_only_ ? driver_ : kNone;
  }

 private:
  const Question& question(const std::string& name) {
    const Question* q = ctx_.question_by_name(name);
    if (!q) throw_invalid(fmt::format("question {} not found in dataset", quoted(name)));
    return *q;
  }

  const MetadataProperty& property(const std::string& name) {
    const MetadataProperty* p = ctx_.property_by_name(name);
    if (!p) throw_invalid(fmt::format("metadata property {} not found in dataset", quoted(name)));
    return *p;
  }

  std::optional<std::vector<SqlText>> text_conditions(const TextQuery& t) {
    if (t.field && std::none_of(ctx_.fields.begin(), ctx_.fields.end(),
                                [&](const Field& f) { return f.name == *t.field; }))
      throw_invalid(fmt::format("field {} not found in dataset", quoted(*t.field)));
    const ParsedTextQuery parsed = parse_text_query(t.q);
    if (parsed.matches_nothing()) return std::nullopt;
    std::optional<std::int64_t> field_index;
    if (t.field)
      field_index = std::find_if(ctx_.fields.begin(), ctx_.fields.end(),
                                 [&](const Field& f) { return f.name == *t.field; }) -
                    ctx_.fields.begin();
    auto match = [&](const ParsedTextQuery& part, bool negated) {
      SqlText seqs(d_.fts_record_seqs(field_index.has_value()),
                   d_.fts_params(part, ctx_.seq, field_index));
      if (!negated && !driver_) {
        driver_ = seqs;
        return SqlText("1 = 1");
      }
      return SqlText(negated ? "r.seq NOT IN (" : "r.seq IN (") + seqs + SqlText(")");
    };
    std::vector<SqlText> out;
    if (t.field || ctx_.fields.size() <= 1) {
      out.push_back(match(parsed, false));
      text_one_row_per_record_ = true;
      return out;
    }
    // Several text fields: each word or phrase may match in any field (as Elasticsearch's
    // simple_query_string over several fields), so each clause is its own subquery.
    std::vector<TextQueryClause> clauses = parsed.clauses;  // positive ones first: one drives
    std::stable_partition(clauses.begin(), clauses.end(),
                          [](const TextQueryClause& c) { return !c.negated; });
    for (const auto& clause : clauses) {
      ParsedTextQuery one;
      one.clauses.push_back(clause);
      one.clauses.back().negated = false;
      out.push_back(match(one, clause.negated));
    }
    return out;
  }

  SqlText filter(const Filter& f) {
    const FilterScope& scope =
        std::visit([](const auto& x) -> const FilterScope& { return x.scope; }, f);
    const auto* terms = std::get_if<TermsFilter>(&f);
    const auto* range = std::get_if<RangeFilter>(&f);
    if (terms && (terms->values.empty() || terms->values.size() > kMaxTerms))
      throw_invalid(fmt::format("filter on {} must list 1..{} values, found {}", scope_name(scope),
                                kMaxTerms, terms->values.size()));
    auto range_sql = [&](std::string_view column) {
      SqlText s;
      std::vector<SqlText> parts;
      if (range->ge) parts.push_back(SqlText(std::string(column) + " >= ?", {*range->ge}));
      if (range->le) parts.push_back(SqlText(std::string(column) + " <= ?", {*range->le}));
      if (parts.empty()) parts.push_back(SqlText(std::string(column) + " IS NOT NULL"));
      return join(parts, " AND ");
    };
    auto unsupported = [&]() -> SqlText {
      throw_invalid(fmt::format("{} filter is not supported on {}", terms ? "terms" : "range",
                                scope_name(scope)));
    };
    switch (scope.entity) {
      case ScopeEntity::kRecord:
        if (scope.property == "status" && terms) {
          for (const auto& v : terms->values)
            if (!parse_record_status(v))
              throw_invalid(fmt::format("unknown record status {}", quoted(v)));
          return SqlText("r.status") + placeholders(terms->values);
        }
        if ((scope.property == "inserted_at" || scope.property == "updated_at") && range)
          return range_sql("r." + scope.property);
        return unsupported();
      case ScopeEntity::kResponse:
        if (scope.question.empty()) {
          if (scope.property != "status" || !terms) return unsupported();
          return response_status(terms->values);
        }
        if (!scope.property.empty() && scope.property != "value") return unsupported();
        return answer_terms("response_terms", question(scope.question), terms, range, true);
      case ScopeEntity::kSuggestion: {
        const Question& q = question(scope.question);
        if (scope.property.empty() || scope.property == "value")
          return answer_terms("suggestion_terms", q, terms, range, false);
        SqlText s("r.seq IN (SELECT s.record_seq FROM suggestions s WHERE s.question_id = ? AND ",
                  {q.id});
        if (scope.property == "agent" && terms) {
          s += SqlText("s.agent") + placeholders(terms->values);
        } else if (scope.property == "type" && terms) {
          for (const auto& v : terms->values)
            if (!parse_suggestion_type(v))
              throw_invalid(fmt::format("unknown suggestion type {}", quoted(v)));
          s += SqlText("s.type") + placeholders(terms->values);
        } else if (scope.property == "score" && range) {
          // score_min/score_max narrow the candidates; the JSON check is exact for lists.
          std::vector<SqlText> parts;
          if (range->ge) parts.push_back(SqlText("s.score_max >= ?", {*range->ge}));
          if (range->le) parts.push_back(SqlText("s.score_min <= ?", {*range->le}));
          parts.push_back(SqlText(d_.json_number_in_range("s.score"),
                                  {range->ge.value_or(-1e308), range->le.value_or(1e308)}));
          s += join(parts, " AND ");
        } else {
          return unsupported();
        }
        s += ")";
        return s;
      }
      case ScopeEntity::kMetadata: {
        const MetadataProperty& p = property(scope.metadata_property);
        SqlText s(
            "r.seq IN (SELECT m.record_seq FROM record_metadata m WHERE m.property_id = ? AND ",
            {p.id});
        const bool is_terms = metadata_type(p.settings) == MetadataType::kTerms;
        if (terms && is_terms)
          s += SqlText("m.term") + placeholders(terms->values);
        else if (range && !is_terms)
          s += range_sql("m.num");
        else
          return unsupported();
        s += ")";
        return s;
      }
    }
    return unsupported();
  }

  // response.status: values ORed; "pending" means no response (from the scoped user, or from
  // anyone when unscoped).
  SqlText response_status(const std::vector<std::string>& values) {
    std::vector<std::string> statuses;
    bool pending = false;
    for (const auto& v : values) {
      if (v == "pending")
        pending = true;
      else if (parse_response_status(v))
        statuses.push_back(v);
      else
        throw_invalid(fmt::format("unknown response status {}", quoted(v)));
    }
    std::vector<SqlText> any;
    const bool scoped = q_.user_id.has_value();
    if (!statuses.empty()) {
      SqlText seqs("SELECT x.record_seq FROM responses x WHERE x.dataset_seq = ?", {ctx_.seq});
      if (scoped) seqs += SqlText(" AND x.user_id = ?", {*q_.user_id});
      seqs += SqlText(" AND x.status") + placeholders(statuses);
      // One user's answered records are few: drive from them (the Submitted / Draft tabs).
      if (scoped && !pending && !driver_) {
        driver_ = seqs;
        return SqlText("1 = 1");
      }
      any.push_back(SqlText("r.seq IN (") + seqs + SqlText(")"));
    }
    if (pending) {
      SqlText s("r.seq NOT IN (SELECT x.record_seq FROM responses x WHERE x.dataset_seq = ?",
                {ctx_.seq});
      if (scoped) s += SqlText(" AND x.user_id = ?", {*q_.user_id});
      s += ")";
      any.push_back(std::move(s));
    }
    if (any.size() == 1) return any.front();
    return SqlText("(") + join(any, " OR ") + SqlText(")");
  }

  // Values of answers: span labels, labels, or ratings (range), through the *_terms tables.
  SqlText answer_terms(std::string_view table, const Question& q, const TermsFilter* terms,
                       const RangeFilter* range, bool responses) {
    const QuestionType type = question_type(q.settings);
    if (type == QuestionType::kText)
      throw_invalid(fmt::format("text question {} cannot be filtered", quoted(q.name)));
    if (range && type != QuestionType::kRating)
      throw_invalid(fmt::format("range filter needs a rating question; {} is a {} question",
                                quoted(q.name), to_string(type)));
    SqlText s(
        "r.seq IN (SELECT t.record_seq FROM " + std::string(table) + " t WHERE t.question_id = ?",
        {q.id});
    if (responses && q_.user_id) s += SqlText(" AND t.user_id = ?", {*q_.user_id});
    if (terms) {
      s += SqlText(" AND t.term") + placeholders(terms->values);
    } else {
      if (range->ge) s += SqlText(" AND t.num >= ?", {*range->ge});
      if (range->le) s += SqlText(" AND t.num <= ?", {*range->le});
    }
    s += ")";
    return s;
  }

  KeyExpr sort_key(const SortKey& k) {
    const bool desc = k.order == SortOrder::kDesc;
    const FilterScope& scope = k.scope;
    switch (scope.entity) {
      case ScopeEntity::kRecord:
        // inserted_at sorts by insertion order (the record key, assigned with the timestamp).
        if (scope.property == "inserted_at")
          return KeyExpr{SqlText("r.seq"), desc, false, KeyKind::kInt};
        if (scope.property == "updated_at")
          return KeyExpr{SqlText("r.updated_at"), desc, false, KeyKind::kInt};
        break;
      case ScopeEntity::kMetadata: {
        const MetadataProperty& p = property(scope.metadata_property);
        const bool is_terms = metadata_type(p.settings) == MetadataType::kTerms;
        return KeyExpr{
            SqlText(
                std::string("(SELECT MIN(m.") + (is_terms ? "term" : "num") +
                    ") FROM record_metadata m WHERE m.record_seq = r.seq AND m.property_id = ?)",
                {p.id}),
            desc, true, is_terms ? KeyKind::kText : KeyKind::kReal};
      }
      case ScopeEntity::kSuggestion:
        if (scope.property == "score") {
          const Question& q = question(scope.question);
          return KeyExpr{
              SqlText("(SELECT s.score_max FROM suggestions s WHERE s.record_seq = r.seq AND "
                      "s.question_id = ?)",
                      {q.id}),
              desc, true, KeyKind::kReal};
        }
        break;
      case ScopeEntity::kResponse:
        if (!scope.question.empty() && (scope.property.empty() || scope.property == "value")) {
          const Question& q = question(scope.question);
          if (question_type(q.settings) != QuestionType::kRating)
            throw_invalid(fmt::format(
                "sorting by response value needs a rating question; {} is a {} question",
                quoted(q.name), to_string(question_type(q.settings))));
          SqlText e(
              "(SELECT MAX(t.num) FROM response_terms t WHERE t.record_seq = r.seq AND "
              "t.question_id = ?",
              {q.id});
          if (q_.user_id) e += SqlText(" AND t.user_id = ?", {*q_.user_id});
          e += ")";
          return KeyExpr{e, desc, true, KeyKind::kReal};
        }
        break;
    }
    throw_invalid(fmt::format("sorting by {} is not supported", scope_name(scope)));
  }

  const SearchQuery& q_;
  const DatasetCtx& ctx_;
  const Dialect& d_;
  std::optional<SqlText> driver_;  // SELECT of record_seq the query is driven from
  bool text_one_row_per_record_ = false;
  bool text_only_ = false;
};

// "after the cursor" for keys referenced by refs (lexicographic, nulls last, seq tiebreak).
SqlText after_cursor(const std::vector<KeyExpr>& keys, const std::vector<SqlText>& refs,
                     const SqlText& seq_ref, const Cursor& cur) {
  std::vector<SqlText> any;
  std::vector<SqlText> equal_so_far;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const CursorValue& v = cur.keys[i];
    const bool null = std::holds_alternative<std::monostate>(v);
    const std::string op = keys[i].desc ? " < ?" : " > ?";
    if (!null) {
      SqlText gt = keys[i].nullable ? SqlText("(") + refs[i] + SqlText(" IS NULL OR ") + refs[i] +
                                          SqlText(op, {to_param(v)}) + SqlText(")")
                                    : refs[i] + SqlText(op, {to_param(v)});
      std::vector<SqlText> parts = equal_so_far;
      parts.push_back(gt);
      any.push_back(SqlText("(") + join(parts, " AND ") + SqlText(")"));
      equal_so_far.push_back(refs[i] + SqlText(" = ?", {to_param(v)}));
    } else {
      equal_so_far.push_back(refs[i] + SqlText(" IS NULL"));
    }
  }
  std::vector<SqlText> parts = equal_so_far;
  parts.push_back(seq_ref + SqlText(keys.front().desc ? " < ?" : " > ?", {cur.seq}));
  any.push_back(SqlText("(") + join(parts, " AND ") + SqlText(")"));
  SqlText out = SqlText("(") + join(any, " OR ") + SqlText(")");
  // A plain bound on the first key lets an index seek to the cursor instead of filtering from
  // the start (the OR above is not a range an index can use).
  if (!keys.front().nullable && !std::holds_alternative<std::monostate>(cur.keys.front()))
    out = refs.front() +
          SqlText(keys.front().desc ? " <= ?" : " >= ?", {to_param(cur.keys.front())}) +
          SqlText(" AND ") + out;
  return out;
}

enum class Order { kSorted, kShuffleHash, kShuffleRotation };

std::string fingerprint(const SearchQuery& q, Order order) {
  std::string shape = q.dataset_id + "|";
  if (order == Order::kShuffleHash) shape += "shuffle-hash:" + q.user_id.value_or("");
  if (order == Order::kShuffleRotation) shape += "shuffle-rotation:" + q.user_id.value_or("");
  for (const auto& s : q.sort)
    shape += "|" + scope_name(s.scope) + (s.order == SortOrder::kDesc ? ":desc" : ":asc");
  return fmt::format("{:08x}", shuffle_key(shape));
}

CursorValue read_key(Rows& r, int col, KeyKind kind) {
  if (r.is_null(col)) return std::monostate{};
  switch (kind) {
    case KeyKind::kInt:
      return r.i64(col);
    case KeyKind::kReal:
      return r.f64(col);
    case KeyKind::kText:
      return r.text(col);
  }
  return std::monostate{};
}

struct PageRow {
  std::int64_t seq;
  std::vector<CursorValue> keys;
};

}  // namespace

SearchResult SqlStore::search(const SearchQuery& q) {
  if (q.limit < 1 || q.limit > 1000)
    throw_invalid(fmt::format("limit must be in 1..1000, found {}", q.limit));
  if (q.offset < 0) throw_invalid(fmt::format("offset must not be negative, found {}", q.offset));
  if (q.cursor && q.offset != 0) throw_invalid("offset must be 0 when a cursor is given");
  if (q.filters.size() > kMaxFilters)
    throw_invalid(
        fmt::format("at most {} filters are allowed, found {}", kMaxFilters, q.filters.size()));
  if (q.sort.size() > kMaxSortKeys)
    throw_invalid(
        fmt::format("at most {} sort keys are allowed, found {}", kMaxSortKeys, q.sort.size()));
  if (q.shuffle && !q.user_id) throw_invalid("a shuffled order needs the user it is shuffled for");
  std::optional<Cursor> cursor;
  if (q.cursor) {
    cursor = decode_cursor(*q.cursor);
    if (!cursor)
      throw_invalid(
          "cursor is not valid for this query (it belongs to another query or is corrupt)");
  }

  if (q.text) fts_catch_up();
  return read([&](Conn& c) {
    SearchResult result;
    auto [seq, dataset] = require_dataset(c, q.dataset_id);
    const DatasetCtx ctx = load_ctx(c, seq, std::move(dataset));
    Order order = Order::kSorted;
    if (q.shuffle && q.sort.empty()) {
      const std::int64_t records =
          c.query_i64("SELECT COALESCE(SUM(records), 0) FROM dataset_stats WHERE dataset_seq = ?",
                      {seq})
              .value_or(0);
      order = records <= shuffle_hash_max_records_ ? Order::kShuffleHash : Order::kShuffleRotation;
    }
    const std::string fp = fingerprint(q, order);
    SearchCompiler compiler(q, ctx, dialect_);
    const auto matched = compiler.from_where();
    if (!matched) return result;
    const SqlText& where = *matched;  // "FROM … WHERE …"
    std::vector<KeyExpr> keys;
    if (order == Order::kSorted) {
      keys = compiler.sort_keys();
    } else if (order == Order::kShuffleHash) {
      // shuffle_rank() in 64-bit integer SQL: (key * multiplier) mod 2^32 split in 16-bit halves
      // of the multiplier so nothing overflows, then XOR mix as a + b - 2 * (a & b).
      const std::int64_t mul = user_shuffle_offset(*q.user_id) | 1u,
                         mix = user_shuffle_mix(*q.user_id);
      const std::int64_t lo = mul & 0xFFFF, hi = mul >> 16;
      const std::string product =
          "(((r.shuffle_key * ?) + (((r.shuffle_key * ?) & 65535) << 16)) & 4294967295)";
      keys.push_back(
          KeyExpr{SqlText(product + " + ? - 2 * (" + product + " & ?)", {lo, hi, mix, lo, hi, mix}),
                  false, false, KeyKind::kInt});
    }
    const bool shuffled = order == Order::kShuffleRotation;
    if (cursor &&
        (cursor->fingerprint != fp || cursor->keys.size() != (shuffled ? 2 : keys.size())))
      throw_invalid(
          "cursor is not valid for this query (it belongs to another query or is corrupt)");

    // The page: limit + 1 rows tell whether another page follows.
    std::vector<PageRow> rows;
    SqlText page;
    if (shuffled) {
      // The user's rotation of the shared shuffled order: keys from the user's offset upwards,
      // then the ones below it. Each arm is its own query so it reads records_queue in index
      // order and stops at the limit (a UNION ALL made SQLite sort each arm).
      const std::int64_t offset = user_shuffle_offset(*q.user_id);
      std::int64_t need = q.limit + 1, skip = q.offset;
      for (std::int64_t part = 0; part < 2 && need > 0; ++part) {
        if (cursor && std::get<std::int64_t>(cursor->keys[0]) > part) continue;
        SqlText arm = where;
        arm += SqlText(part == 0 ? " AND r.shuffle_key >= ?" : " AND r.shuffle_key < ?", {offset});
        if (cursor && std::get<std::int64_t>(cursor->keys[0]) == part)
          arm += SqlText(" AND (r.shuffle_key > ? OR (r.shuffle_key = ? AND r.seq > ?))",
                         {to_param(cursor->keys[1]), to_param(cursor->keys[1]), cursor->seq});
        const SqlText page_sql =
            SqlText("SELECT r.seq, r.shuffle_key ") + arm +
            SqlText(" ORDER BY r.shuffle_key, r.seq LIMIT ? OFFSET ?", {need, skip});
        std::int64_t got = 0;
        Rows r = c.query(page_sql.text, page_sql.params);
        while (r.next()) {
          rows.push_back(PageRow{r.i64(0), {part, r.i64(1)}});
          ++got;
        }
        need -= got;
        if (need > 0 && skip > 0) {
          // This arm ended inside or before the offset: the rest of the offset applies to the next.
          if (got > 0) {
            skip = 0;
          } else {
            const SqlText count_sql = SqlText("SELECT COUNT(*) ") + arm;
            skip = std::max<std::int64_t>(
                0, skip - c.query_i64(count_sql.text, count_sql.params).value_or(0));
          }
        }
      }
    } else if (const auto& text = compiler.text_only_matches();
               text && q.sort.empty() && !q.shuffle) {
      // Text only, insertion order: FTS5 / the text ids already come in record order, so the
      // page is read from the full-text index itself and stops at the limit.
      const std::string id_column(dialect_.text_id_column());
      SqlText page_sql = *text;
      if (cursor)
        page_sql +=
            SqlText(" AND " + id_column + " > ?", {text_id(seq, cursor->seq, kMaxTextFields - 1)});
      page_sql += SqlText(" ORDER BY " + id_column + " LIMIT ? OFFSET ?", {q.limit + 1, q.offset});
      Rows r = c.query(page_sql.text, page_sql.params);
      while (r.next()) rows.push_back(PageRow{r.i64(0), {r.i64(0)}});
    } else {
      const bool flat =
          std::none_of(keys.begin(), keys.end(), [](const KeyExpr& k) { return k.nullable; });
      std::vector<SqlText> refs;
      for (std::size_t i = 0; i < keys.size(); ++i)
        refs.push_back(flat ? keys[i].expr : SqlText("t.k" + std::to_string(i)));
      const SqlText seq_ref(flat ? "r.seq" : "t.seq");
      std::vector<SqlText> order;
      for (std::size_t i = 0; i < keys.size(); ++i) {
        if (keys[i].nullable) order.push_back(refs[i] + SqlText(" IS NULL"));
        order.push_back(refs[i] + SqlText(keys[i].desc ? " DESC" : " ASC"));
      }
      order.push_back(seq_ref + SqlText(keys.front().desc ? " DESC" : " ASC"));
      if (flat) {
        std::vector<SqlText> cols{SqlText("r.seq")};
        for (const auto& k : keys) cols.push_back(k.expr);
        page = SqlText("SELECT ") + join(cols, ", ") + SqlText(" ") + where;
        if (cursor) page += SqlText(" AND ") + after_cursor(keys, refs, seq_ref, *cursor);
      } else {
        std::vector<SqlText> cols{SqlText("r.seq AS seq")};
        for (std::size_t i = 0; i < keys.size(); ++i)
          cols.push_back(keys[i].expr + SqlText(" AS k" + std::to_string(i)));
        std::vector<SqlText> outer{SqlText("t.seq")};
        for (std::size_t i = 0; i < keys.size(); ++i) outer.push_back(refs[i]);
        page = SqlText("SELECT ") + join(outer, ", ") + SqlText(" FROM (SELECT ") +
               join(cols, ", ") + SqlText(" ") + where + SqlText(") t");
        if (cursor) page += SqlText(" WHERE ") + after_cursor(keys, refs, seq_ref, *cursor);
      }
      page += SqlText(" ORDER BY ") + join(order, ", ") +
              SqlText(" LIMIT ? OFFSET ?", {q.limit + 1, q.offset});
      Rows r = c.query(page.text, page.params);
      while (r.next()) {
        PageRow row{r.i64(0), {}};
        for (std::size_t i = 0; i < keys.size(); ++i)
          row.keys.push_back(read_key(r, static_cast<int>(i) + 1, keys[i].kind));
        rows.push_back(std::move(row));
      }
    }

    if (static_cast<std::int64_t>(rows.size()) > q.limit) {
      rows.pop_back();
      result.next_cursor = encode_cursor(Cursor{fp, rows.back().keys, rows.back().seq});
    }
    std::vector<std::int64_t> seqs;
    for (const auto& row : rows) seqs.push_back(row.seq);
    for (auto& rec : load_records(c, dialect_, ctx, seqs, q.include))
      result.items.push_back(SearchHit{std::move(rec), 1.0});

    if (q.with_total) result.total = count(c, q, ctx, where, compiler.text_only_matches());
    return result;
  });
}

// The number of records matching; the queue shapes the UI asks for on every page come from the
// dataset counters and the user's own responses instead of a scan.
std::int64_t SqlStore::count(Conn& c, const SearchQuery& q, const DatasetCtx& ctx,
                             const SqlText& where, const std::optional<SqlText>& text_only) {
  if (text_only) {
    const SqlText sql = SqlText("SELECT COUNT(*) FROM (") + *text_only + SqlText(") AS d");
    return c.query_i64(sql.text, sql.params).value_or(0);
  }
  auto is_terms = [](const Filter& f, ScopeEntity e, std::string_view property,
                     std::string_view value) {
    const auto* t = std::get_if<TermsFilter>(&f);
    return t && t->scope.entity == e && t->scope.question.empty() &&
           t->scope.property == property && t->values.size() == 1 && t->values[0] == value;
  };
  auto stats = [&](std::string_view column) {
    return c
        .query_i64("SELECT COALESCE(SUM(" + std::string(column) +
                       "), 0) FROM dataset_stats WHERE dataset_seq = ?",
                   {ctx.seq})
        .value_or(0);
  };
  if (!q.text) {
    const auto& f = q.filters;
    if (f.empty()) return stats("records");
    if (f.size() == 1 && is_terms(f[0], ScopeEntity::kRecord, "status", "completed"))
      return stats("completed");
    if (f.size() == 1 && is_terms(f[0], ScopeEntity::kRecord, "status", "pending"))
      return stats("records - completed");
    if (q.user_id && (f.size() == 1 || f.size() == 2)) {
      const bool mine_pending = std::any_of(f.begin(), f.end(), [&](const Filter& x) {
        return is_terms(x, ScopeEntity::kResponse, "status", "pending");
      });
      const bool record_pending = std::any_of(f.begin(), f.end(), [&](const Filter& x) {
        return is_terms(x, ScopeEntity::kRecord, "status", "pending");
      });
      if (mine_pending && (f.size() == 1 || record_pending)) {
        std::string sql = "SELECT COUNT(*) FROM responses x";
        if (record_pending) sql += " JOIN records r ON r.seq = x.record_seq";
        sql += " WHERE x.dataset_seq = ? AND x.user_id = ?";
        if (record_pending) sql += " AND r.status = 'pending'";
        const std::int64_t answered = c.query_i64(sql, {ctx.seq, *q.user_id}).value_or(0);
        return stats(record_pending ? "records - completed" : "records") - answered;
      }
    }
  }
  SqlText sql = SqlText("SELECT COUNT(*) ") + where;
  return c.query_i64(sql.text, sql.params).value_or(0);
}

}  // namespace spanloop::store::sql
