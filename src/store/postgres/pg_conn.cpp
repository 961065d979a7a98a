// libpq implementation of sql::Conn: named prepared statements cached per connection, text
// results, binary bytea parameters, and pipeline mode for bulk inserts.
#include "store/postgres/pg_conn.h"

#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <unordered_map>

#include "store/sql/sql_store.h"
#include "text/error.h"

namespace spanloop::store::postgres {
namespace {

std::string quote_ident(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// ? placeholders -> $1, $2, ... (outside quoted literals and identifiers).
std::string number_placeholders(std::string_view sql, int& count) {
  std::string out;
  out.reserve(sql.size() + 16);
  count = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$' + std::to_string(++count);
    } else {
      out += c;
    }
  }
  return out;
}

[[noreturn]] void fail(PGconn* conn, PGresult* res, std::string_view what) {
  const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string msg =
      std::string(what) + ": " + (res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  const std::string code = state ? state : "";
  if (res) PQclear(res);
  if (code == "40001" || code == "40P01" || code == "55P03") throw sql::RetryableError(msg);
  if (code == "23505") throw sql::UniqueViolation(msg);
  if (code == "23503")
    throw Error(ErrorKind::kConflict, "a row this write refers to was deleted meanwhile");
  if (code.rfind("08", 0) == 0 || code == "57P01" || code == "57P02" || code == "57P03" ||
      PQstatus(conn) != CONNECTION_OK)
    throw Error(ErrorKind::kUnavailable, "PostgreSQL unavailable: " + msg);
  throw Error(ErrorKind::kInternal, "PostgreSQL error " + code + ": " + msg);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 0;
}

class PgRows : public sql::RowsImpl {
 public:
  explicit PgRows(PGresult* res) : res_(res), n_(PQntuples(res)) {}
  ~PgRows() override { PQclear(res_); }
  bool next() override { return ++row_ < n_; }
  bool is_null(int col) override { return PQgetisnull(res_, row_, col); }
  std::int64_t i64(int col) override {
    const char* v = PQgetvalue(res_, row_, col);
    if (v[0] == 't') return 1;  // boolean results
    if (v[0] == 'f') return 0;
    return std::strtoll(v, nullptr, 10);
  }
  double f64(int col) override { return std::strtod(PQgetvalue(res_, row_, col), nullptr); }
  std::string text(int col) override {
    return std::string(PQgetvalue(res_, row_, col),
                       static_cast<std::size_t>(PQgetlength(res_, row_, col)));
  }
  std::string blob(int col) override {
    // bytea in text format: \x followed by hex digits.
    const char* v = PQgetvalue(res_, row_, col);
    const int len = PQgetlength(res_, row_, col);
    std::string out;
    if (len >= 2 && v[0] == '\\' && v[1] == 'x') {
      out.reserve(static_cast<std::size_t>(len - 2) / 2);
      for (int i = 2; i + 1 < len; i += 2)
        out += static_cast<char>(hex_value(v[i]) * 16 + hex_value(v[i + 1]));
    }
    return out;
  }

 private:
  PGresult* res_;
  int n_;
  int row_ = -1;
};

// Parameter arrays in the form libpq takes them, kept alive for one call.
struct BoundParams {
  std::vector<std::string> storage;
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;

  explicit BoundParams(const sql::Params& params) {
    storage.reserve(params.size());
    for (const auto& p : params) {
      int format = 0;
      bool null = false;
      if (std::holds_alternative<std::nullptr_t>(p)) {
        null = true;
        storage.emplace_back();
      } else if (auto* i = std::get_if<std::int64_t>(&p)) {
        storage.push_back(std::to_string(*i));
      } else if (auto* d = std::get_if<double>(&p)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", *d);
        storage.emplace_back(buf);
      } else if (auto* s = std::get_if<std::string>(&p)) {
        storage.push_back(*s);
      } else if (auto* b = std::get_if<sql::Blob>(&p)) {
        storage.push_back(b->bytes);
        format = 1;
      }
      lengths.push_back(static_cast<int>(storage.back().size()));
      formats.push_back(format);
      values.push_back(null ? nullptr : reinterpret_cast<const char*>(1));  // patched below
    }
    for (std::size_t i = 0; i < values.size(); ++i)
      if (values[i]) values[i] = storage[i].c_str();
  }
};

class PgConn : public sql::Conn {
 public:
  explicit PgConn(const PgUrl& url) {
    conn_ = PQconnectdb(url.conninfo.c_str());
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(conn_);
      PQfinish(conn_);
      conn_ = nullptr;
      while (!msg.empty() && msg.back() == '\n') msg.pop_back();
      throw Error(ErrorKind::kUnavailable, "cannot connect to PostgreSQL: " + msg);
    }
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
    // Generic plans: writes and single-statement reads are key lookups and inserts whose best
    // plan does not depend on the values, and with plan_cache_mode = auto PostgreSQL kept
    // re-planning some of them at every execution (a fifth of its CPU per submit). Read
    // transactions switch back to value-aware plans (begin()).
    std::string setup =
        "SET client_min_messages = warning; SET TIME ZONE 'UTC'; SET plan_cache_mode = "
        "force_generic_plan;";
    if (!url.schema.empty()) setup += "SET search_path TO " + quote_ident(url.schema) + ";";
    exec_script(setup);
  }
  ~PgConn() override {
    if (conn_) PQfinish(conn_);
  }

  sql::Engine engine() const override { return sql::Engine::kPostgres; }

  void exec_script(std::string_view sql) override {
    std::string text(sql);
    if (!deferred_.empty()) flush_pending();
    if (!pending_begin_.empty()) text = take_pending_begin() + ";" + text;
    PGresult* res = PQexec(conn_, text.c_str());
    const auto st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail(conn_, res, "exec");
    PQclear(res);
  }

  sql::Rows query(std::string_view sql, const sql::Params& params) override {
    return sql::Rows(std::make_unique<PgRows>(run(sql, params)));
  }

  std::int64_t execute(std::string_view sql, const sql::Params& params) override {
    PGresult* res = run(sql, params);
    const std::int64_t n = std::atoll(PQcmdTuples(res));
    PQclear(res);
    return n;
  }

  // One round trip for all rows: every statement is queued in pipeline mode, then synced.
  void execute_many(std::string_view sql, const std::vector<sql::Params>& rows) override {
    if (rows.empty()) return;
    if (rows.size() == 1) {
      execute(sql, rows.front());
      return;
    }
    flush_pending();
    const std::string& name = prepared(sql);
    if (PQenterPipelineMode(conn_) != 1) fail(conn_, nullptr, "pipeline");
    for (const auto& params : rows) {
      BoundParams b(params);
      if (PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(b.values.size()),
                              b.values.data(), b.lengths.data(), b.formats.data(), 0) != 1)
        break;
    }
    PQpipelineSync(conn_);
    PGresult* error = nullptr;
    for (;;) {
      PGresult* res = PQgetResult(conn_);
      if (!res) {  // end of one statement's results, or a dead connection
        if (PQstatus(conn_) != CONNECTION_OK) break;
        continue;
      }
      const auto st = PQresultStatus(res);
      if (st == PGRES_PIPELINE_SYNC) {
        PQclear(res);
        break;
      }
      if (st == PGRES_FATAL_ERROR && !error)
        error = res;
      else
        PQclear(res);
      if (PQstatus(conn_) != CONNECTION_OK) break;
    }
    PQexitPipelineMode(conn_);
    if (error) fail(conn_, error, "bulk statement");
    if (PQstatus(conn_) != CONNECTION_OK) fail(conn_, nullptr, "bulk statement");
  }

  // BEGIN is not sent on its own: it travels with the transaction's first statement (one round
  // trip instead of two); a transaction that ran no statement sends nothing.
  // Read transactions (searches among them) plan with the parameter values; everything else
  // runs the connection's generic plans (see the constructor).
  void begin(bool write) override {
    pending_begin_ = write ? "BEGIN"
                           : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL "
                             "plan_cache_mode = auto";
  }
  void commit() override {
    if (!pending_begin_.empty() && deferred_.empty()) {
      pending_begin_.clear();  // the transaction ran no statement
      return;
    }
    if (!deferred_.empty()) {
      PQclear(pipeline(nullptr, nullptr, "COMMIT"));
      return;
    }
    exec_script("COMMIT");
  }
  void rollback() noexcept override {
    pending_begin_.clear();
    deferred_.clear();
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) return;
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) return;
    PGresult* res = PQexec(conn_, "ROLLBACK");
    PQclear(res);
  }

 private:
  const std::string& prepared(std::string_view sql) {
    auto it = names_.find(std::string(sql));
    if (it != names_.end()) return it->second;
    if (names_.size() >= kMaxPrepared) {
      exec_script("DEALLOCATE ALL");
      names_.clear();
    }
    int count = 0;
    const std::string numbered = number_placeholders(sql, count);
    const std::string name = "s" + std::to_string(++next_name_);
    PGresult* res = PQprepare(conn_, name.c_str(), numbered.c_str(), 0, nullptr);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) fail(conn_, res, "prepare");
    PQclear(res);
    return names_.emplace(std::string(sql), name).first->second;
  }

  std::string take_pending_begin() {
    std::string begin = std::move(pending_begin_);
    pending_begin_.clear();
    return begin;
  }

  void execute_deferred(std::string_view sql, const sql::Params& params) override {
    deferred_.push_back(Deferred{prepared(sql), params});
  }

  // Sends the pending BEGIN, the deferred statements and then the final statement (a prepared
  // one, or final_text) in one pipeline: one round trip. Throws the first failure; returns the
  // final statement's result.
  PGresult* pipeline(const std::string* final_name, const BoundParams* final_params,
                     const char* final_text) {
    const std::string begin = take_pending_begin();
    std::vector<Deferred> deferred = std::move(deferred_);
    deferred_.clear();
    std::vector<BoundParams> bound;
    bound.reserve(deferred.size());
    for (const auto& d : deferred) bound.emplace_back(d.params);
    if (PQenterPipelineMode(conn_) != 1) fail(conn_, nullptr, "pipeline");
    std::vector<std::string> begin_parts;  // the extended protocol takes one statement each
    for (std::size_t from = 0; from < begin.size();) {
      std::size_t end = begin.find("; ", from);
      if (end == std::string::npos) end = begin.size();
      begin_parts.push_back(begin.substr(from, end - from));
      from = end == begin.size() ? end : end + 2;
    }
    for (const auto& part : begin_parts)
      PQsendQueryParams(conn_, part.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0);
    for (std::size_t i = 0; i < deferred.size(); ++i)
      PQsendQueryPrepared(conn_, deferred[i].name.c_str(), static_cast<int>(bound[i].values.size()),
                          bound[i].values.data(), bound[i].lengths.data(), bound[i].formats.data(),
                          0);
    if (final_name)
      PQsendQueryPrepared(conn_, final_name->c_str(), static_cast<int>(final_params->values.size()),
                          final_params->values.data(), final_params->lengths.data(),
                          final_params->formats.data(), 0);
    else if (final_text)
      PQsendQueryParams(conn_, final_text, 0, nullptr, nullptr, nullptr, nullptr, 0);
    PQpipelineSync(conn_);
    const std::size_t steps =
        begin_parts.size() + deferred.size() + (final_name || final_text ? 1 : 0);
    PGresult* error = nullptr;  // the first failure
    PGresult* last = nullptr;   // the final statement's result
    std::size_t index = 0;      // a NULL result ends each statement's results
    for (;;) {
      PGresult* res = PQgetResult(conn_);
      if (!res) {
        if (PQstatus(conn_) != CONNECTION_OK) break;
        ++index;
        continue;
      }
      const auto st = PQresultStatus(res);
      if (st == PGRES_PIPELINE_SYNC) {
        PQclear(res);
        break;
      }
      if (st == PGRES_FATAL_ERROR && !error) {
        error = res;
      } else if ((final_name || final_text) && index + 1 == steps && !last &&
                 (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)) {
        last = res;
      } else {
        PQclear(res);
      }
    }
    PQexitPipelineMode(conn_);
    if (error) {
      if (last) PQclear(last);
      fail(conn_, error, "query");
    }
    if (PQstatus(conn_) != CONNECTION_OK) {
      if (last) PQclear(last);
      fail(conn_, nullptr, "query");
    }
    if ((final_name || final_text) && !last) fail(conn_, nullptr, "query");
    return last;
  }

  // Sends what is pending (BEGIN, deferred statements) before a statement that cannot join it.
  void flush_pending() {
    if (!deferred_.empty() || !pending_begin_.empty()) pipeline(nullptr, nullptr, nullptr);
  }

  PGresult* run(std::string_view sql, const sql::Params& params) {
    const std::string& name = prepared(sql);
    BoundParams b(params);
    PGresult* res = pending_begin_.empty() && deferred_.empty()
                        ? PQexecPrepared(conn_, name.c_str(), static_cast<int>(b.values.size()),
                                         b.values.data(), b.lengths.data(), b.formats.data(), 0)
                        : pipeline(&name, &b, nullptr);
    const auto st = PQresultStatus(res);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fail(conn_, res, "query");
    return res;
  }

  static constexpr std::size_t kMaxPrepared = 512;
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, std::string> names_;
  std::uint64_t next_name_ = 0;
  struct Deferred {
    std::string name;  // prepared statement
    sql::Params params;
  };
  std::string pending_begin_;       // BEGIN to send with the next statement
  std::vector<Deferred> deferred_;  // writes to send with the next statement or COMMIT
};

}  // namespace

PgUrl parse_pg_url(const std::string& url) {
  PgUrl out;
  const auto q = url.find('?');
  if (q == std::string::npos) {
    out.conninfo = url;
    return out;
  }
  std::string kept;
  std::string_view rest = std::string_view(url).substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view param = rest.substr(0, amp);
    if (param.substr(0, 7) == "schema=")
      out.schema = std::string(param.substr(7));
    else if (!param.empty())
      kept += (kept.empty() ? "" : "&") + std::string(param);
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  out.conninfo = url.substr(0, q) + (kept.empty() ? "" : "?" + kept);
  for (char c : out.schema)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_'))
      throw_invalid("PostgreSQL schema name '" + out.schema +
                    "' may hold only letters, digits and '_'");
  return out;
}

std::unique_ptr<sql::Conn> open_pg_conn(const PgUrl& url) {
  return std::make_unique<PgConn>(url);
}

std::unique_ptr<Store> open_postgres_store(const std::string& url, const StoreOptions& options) {
  const PgUrl parsed = parse_pg_url(url);
  if (!parsed.schema.empty()) {
    PgConn admin(PgUrl{parsed.conninfo, ""});
    try {
      admin.exec_script("CREATE SCHEMA IF NOT EXISTS " + quote_ident(parsed.schema));
    } catch (const sql::UniqueViolation&) {
      // Two openers racing on CREATE SCHEMA: the loser sees a unique violation; the schema exists.
    }
  }
  return std::make_unique<sql::SqlStore>(
      sql::Engine::kPostgres, [parsed] { return open_pg_conn(parsed); }, options);
}

void drop_pg_schema(const std::string& url, const std::string& schema) {
  PgConn admin(PgUrl{parse_pg_url(url).conninfo, ""});
  admin.exec_script("DROP SCHEMA IF EXISTS " + quote_ident(schema) + " CASCADE");
}

}  // namespace spanloop::store::postgres
