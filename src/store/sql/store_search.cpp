// SqlStore::search: filters, full-text, sorts, counts and pagination compiled to one SQL query
// per page over the records table and the derived search tables.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "store/sql/search_compiler.h"
#include "store/sql/search_sql.h"
#include "store/sql/sql_store_txn.h"
#include "store/sql/store_internal.h"
#include "store/sql/text_index.h"
#include "store/validation_util.h"

namespace spanloop::store::sql {

namespace {

enum class Order { kSorted, kShuffleHash, kShuffleRotation };

// Two statements: SQLite answers a lone MIN or MAX with one index seek, both at once with a scan.
constexpr std::string_view kFirstSeqSql = "SELECT MIN(seq) FROM records WHERE dataset_seq = ?";
constexpr std::string_view kLastSeqSql = "SELECT MAX(seq) FROM records WHERE dataset_seq = ?";

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

bool all_integers(const std::vector<CursorValue>& values) {
  return std::all_of(values.begin(), values.end(),
                     [](const CursorValue& v) { return std::holds_alternative<std::int64_t>(v); });
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
        (cursor->fingerprint != fp || cursor->keys.size() != (shuffled ? 3 : keys.size()) ||
         (shuffled && !all_integers(cursor->keys))))
      throw_invalid(
          "cursor is not valid for this query (it belongs to another query or is corrupt)");

    // The page: limit + 1 rows tell whether another page follows.
    std::vector<PageRow> rows;
    std::optional<std::int64_t> total;  // when the page query counted the matches too
    SqlText page;
    if (shuffled) {
      // The user's rotation of the shared order (model.h): queue positions (bucket, seq) from
      // the user's start upwards, then the ones below it. Each arm is its own query so it reads
      // records_queue in index order and stops at the limit (a UNION ALL made SQLite sort each
      // arm). A cursor keeps the start it was issued with, so pages do not shift when records
      // are added in between.
      const QueuePosition start =
          cursor ? QueuePosition{queue_bucket(user_shuffle_offset(*q.user_id)),
                                 std::get<std::int64_t>(cursor->keys[2])}
                 : queue_start(*q.user_id, c.query_i64(kFirstSeqSql, {seq}).value_or(0),
                               c.query_i64(kLastSeqSql, {seq}).value_or(0));
      std::int64_t need = q.limit + 1, skip = q.offset;
      for (std::int64_t part = 0; part < 2 && need > 0; ++part) {
        if (cursor && std::get<std::int64_t>(cursor->keys[0]) > part) continue;
        // One lower bound per arm: given two, SQLite seeks by the first and filters by the other.
        SqlText arm = where;
        if (cursor && std::get<std::int64_t>(cursor->keys[0]) == part)
          arm += SqlText(" AND (r.queue_bucket, r.seq) > (?, ?)",
                         {to_param(cursor->keys[1]), cursor->seq});
        else if (part == 0)
          arm += SqlText(" AND (r.queue_bucket, r.seq) >= (?, ?)", {start.bucket, start.seq});
        if (part == 1)
          arm += SqlText(" AND (r.queue_bucket, r.seq) < (?, ?)", {start.bucket, start.seq});
        const SqlText page_sql =
            SqlText("SELECT r.seq, r.queue_bucket ") + arm +
            SqlText(" ORDER BY r.queue_bucket, r.seq LIMIT ? OFFSET ?", {need, skip});
        std::int64_t got = 0;
        Rows r = c.query(page_sql.text, page_sql.params);
        while (r.next()) {
          rows.push_back(PageRow{r.i64(0), {part, r.i64(1), start.seq}});
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
      if (dialect_.postgres() && q.with_total && !cursor) {
        // PostgreSQL counts a match by visiting its heap row, so the page and the total come
        // from one pass over the matches: the window counts them all before LIMIT (one text per
        // record here, so record order is text id order). MATERIALIZED keeps the planner from
        // walking an index in record order through the whole table to avoid the small sort.
        const SqlText page_sql =
            SqlText("WITH d AS MATERIALIZED (") + *text +
            SqlText(
                ") SELECT record_seq, COUNT(*) OVER () FROM d ORDER BY record_seq LIMIT ? "
                "OFFSET ?",
                {q.limit + 1, q.offset});
        Rows r = c.query(page_sql.text, page_sql.params);
        while (r.next()) {
          rows.push_back(PageRow{r.i64(0), {r.i64(0)}});
          total = r.i64(1);
        }
      } else {
        SqlText page_sql = *text;
        if (cursor)
          page_sql += SqlText(" AND " + id_column + " > ?",
                              {text_id(seq, cursor->seq, kMaxTextFields - 1)});
        page_sql +=
            SqlText(" ORDER BY " + id_column + " LIMIT ? OFFSET ?", {q.limit + 1, q.offset});
        Rows r = c.query(page_sql.text, page_sql.params);
        while (r.next()) rows.push_back(PageRow{r.i64(0), {r.i64(0)}});
      }
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

    if (q.with_total)
      result.total = total ? *total : count(c, q, ctx, where, compiler.text_only_matches());
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
