// open_store: picks the engine from the URL and opens a migrated SqlStore on it.
#include <filesystem>

#include "store/sql/sql_store.h"
#include "store/sqlite/sqlite_conn.h"
#include "store/store.h"
#include "text/error.h"
#ifdef SPANLOOP_WITH_POSTGRES
#include "store/postgres/pg_conn.h"
#endif

namespace spanloop::store {

namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::unique_ptr<Store> open_sqlite(const std::string& path, const StoreOptions& options) {
  if (path.empty()) throw_invalid("sqlite URL has no file path (use sqlite:///abs/path/db.sqlite)");
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec)
    throw Error(ErrorKind::kUnavailable,
                "cannot create directory " + parent.string() + ": " + ec.message());
  const auto timeout = options.busy_timeout;
  return std::make_unique<sql::SqlStore>(
      sql::Engine::kSqlite, [path, timeout] { return sqlite::open_sqlite_conn(path, timeout); },
      options);
}

}  // namespace

std::unique_ptr<Store> open_store(const std::string& url, const StoreOptions& options) {
  if (starts_with(url, "sqlite://")) {
    // sqlite:///abs/path -> /abs/path ; sqlite://rel/path -> rel/path
    return open_sqlite(url.substr(std::string_view("sqlite://").size()), options);
  }
  if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
#ifdef SPANLOOP_WITH_POSTGRES
    return postgres::open_postgres_store(url, options);
#else
    throw Error(ErrorKind::kFailedPrecondition,
                "this spanloop was built without PostgreSQL support (SPANLOOP_WITH_POSTGRES=OFF)");
#endif
  }
  throw_invalid("unknown database URL '" + url +
                "': use sqlite:///path/to/db.sqlite or postgresql://user:pass@host:port/db");
}

std::string sqlite_url_for_data_dir(const std::string& data_dir) {
  return "sqlite://" + (std::filesystem::absolute(data_dir) / "spanloop.db").string();
}

RecordStream::RecordStream(Store& store, SearchQuery query, std::int64_t batch_size)
    : store_(store), query_(std::move(query)) {
  query_.limit = batch_size;
  query_.offset = 0;
  query_.cursor.reset();
  query_.with_total = false;
}

bool RecordStream::next(std::vector<Record>& batch) {
  batch.clear();
  if (done_) return false;
  SearchResult page = store_.search(query_);
  for (auto& hit : page.items) batch.push_back(std::move(hit.record));
  if (page.next_cursor)
    query_.cursor = page.next_cursor;
  else
    done_ = true;
  return !batch.empty();
}

}  // namespace spanloop::store
