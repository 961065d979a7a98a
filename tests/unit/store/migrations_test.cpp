// Migrations: an existing version-1 database (with data) upgrades in place to the current schema.
#include "store/migrations/migrations.h"

#include <random>
#include <thread>

#include "store/sqlite/sqlite_conn.h"
#include "store_fixture.h"
#ifdef SPANLOOP_WITH_POSTGRES
#include "store/postgres/pg_conn.h"
#endif

namespace spanloop::store::testing {
namespace {

// A fresh database of the engine under test, reachable both raw (Conn) and as a store URL.
class MigrationsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      dir_ = std::make_unique<spanloop::testing::TempDir>();
      const std::string path = (dir_->path() / "old.db").string();
      url_ = "sqlite://" + path;
      raw_ = [path] { return sqlite::open_sqlite_conn(path, std::chrono::milliseconds(5000)); };
      return;
    }
#ifdef SPANLOOP_WITH_POSTGRES
    const char* base = std::getenv("SPANLOOP_TEST_PG_URL");
    if (!base || !*base)
      GTEST_SKIP() << "SPANLOOP_TEST_PG_URL is not set; PostgreSQL tests skipped";
    std::random_device rd;
    base_ = base;
    schema_ = "m_" + std::to_string(rd());
    url_ = base_ + (base_.find('?') == std::string::npos ? "?" : "&") + "schema=" + schema_;
    postgres::open_pg_conn(postgres::PgUrl{postgres::parse_pg_url(base_).conninfo, ""})
        ->exec_script("CREATE SCHEMA " + schema_);
    const auto parsed = postgres::parse_pg_url(url_);
    raw_ = [parsed] { return postgres::open_pg_conn(parsed); };
#else
    GTEST_SKIP() << "built without PostgreSQL";
#endif
  }
  void TearDown() override {
#ifdef SPANLOOP_WITH_POSTGRES
    if (!schema_.empty()) postgres::drop_pg_schema(base_, schema_);
#endif
  }

  std::string url_;
  std::function<std::unique_ptr<sql::Conn>()> raw_;
  std::unique_ptr<spanloop::testing::TempDir> dir_;
  std::string base_, schema_;
};
INSTANTIATE_TEST_SUITE_P(Sqlite, MigrationsTest, ::testing::Values(std::string("sqlite")),
                         [](const auto& i) { return i.param; });
INSTANTIATE_TEST_SUITE_P(Postgres, MigrationsTest, ::testing::Values(std::string("postgres")),
                         [](const auto& i) { return i.param; });

TEST_P(MigrationsTest, VersionOneDatabaseWithDataUpgradesInPlace) {
  {
    auto c = raw_();
    EXPECT_EQ(migrations::current_version(*c), 0);
    EXPECT_EQ(migrations::migrate(*c, 1), 1);
    EXPECT_EQ(migrations::current_version(*c), 1);
    // What a version-1 store wrote: a published dataset with one record and its text.
    c->exec_script(
        "INSERT INTO workspaces VALUES ('w1', 'ws', 1, 1);"
        "INSERT INTO datasets (seq, id, workspace_id, name, guidelines, allow_extra_metadata, "
        "status, "
        "distribution_strategy, min_submitted, metadata, inserted_at, updated_at) VALUES (1, 'd1', "
        "'w1', 'old', "
        "NULL, 1, 'ready', 'overlap', 1, '{}', 1, 1);"
        "INSERT INTO dataset_stats VALUES (1, 0, 1, 0);"
        "INSERT INTO fields VALUES ('f1', 1, 'text', 'Text', 1, 0, 1, 1);"
        "INSERT INTO questions VALUES ('q1', 1, 'ner', 'NER', NULL, 1, 'span', "
        "'{\"field\":\"text\",\"options\":[{\"value\":\"X\",\"text\":\"X\"}],\"visible_options\":"
        "null,"
        "\"allow_overlapping\":false}', 1, 1);"
        "INSERT INTO records (seq, id, dataset_seq, external_id, metadata, status, shuffle_key, "
        "inserted_at, "
        "updated_at) VALUES (1, 'r1', 1, 'e1', '{}', 'pending', 7, 1, 1);"
        "INSERT INTO record_texts (id, record_seq, field, body) VALUES (17592186044672, 1, 'text', "
        "'Stored "
        "before the κ index');");
    // A version-1 PostgreSQL store drew those keys from the identity sequences. The text id
    // packs dataset 1, record 1, field 0 (sql/text_index.h).
    if (c->engine() == sql::Engine::kPostgres) {
      c->query_i64("SELECT setval(pg_get_serial_sequence('datasets', 'seq'), 1)");
      c->query_i64("SELECT setval(pg_get_serial_sequence('records', 'seq'), 1)");
    }
  }
  StoreOptions rotation;  // every dataset takes the indexed rotation of version 5
  rotation.shuffle_hash_max_records = 0;
  auto store = open_store(url_, rotation);
  EXPECT_EQ(store->schema_version(), static_cast<int>(migrations::all().size()));
  const auto rec = store->get_record("r1");
  ASSERT_TRUE(rec.has_value());
  EXPECT_EQ(rec->fields.at("text"), "Stored before the κ index");
  SearchQuery q;
  q.dataset_id = "d1";
  q.text = TextQuery{"κ index", std::nullopt};
  const SearchResult r = store->search(q);
  ASSERT_EQ(r.items.size(), 1u);
  EXPECT_EQ(r.items[0].record.id, "r1");
  // New writes after the upgrade are indexed too.
  store->bulk_create_records("d1", {text_record("Written after the upgrade", "e2")});
  q.text = TextQuery{"upgrade", std::nullopt};
  EXPECT_EQ(store->search(q).total, 1);
  // The queue index of version 5 serves the old record (its bucket comes from shuffle_key 7) and
  // the new one.
  SearchQuery queue;
  queue.dataset_id = "d1";
  queue.user_id = "someone";
  queue.shuffle = true;
  EXPECT_EQ(store->search(queue).items.size(), 2u);
  // Reopening applies nothing new.
  store.reset();
  EXPECT_EQ(open_store(url_)->schema_version(), static_cast<int>(migrations::all().size()));
}

TEST_P(MigrationsTest, ConcurrentOpenersMigrateOnce) {
  std::vector<std::thread> threads;
  std::vector<std::exception_ptr> errors(4);
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      try {
        open_store(url_)->list_workspaces();
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  auto c = raw_();
  EXPECT_EQ(c->query_i64("SELECT COUNT(*) FROM schema_migrations"),
            static_cast<std::int64_t>(migrations::all().size()));
}

TEST_P(MigrationsTest, RefusesADatabaseFromANewerBuild) {
  open_store(url_).reset();
  raw_()->exec_script(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)");
  EXPECT_ERROR_KIND(open_store(url_), ErrorKind::kFailedPrecondition,
                    "has schema version 999, newer than this build knows");
}

TEST(OpenStoreTest, UrlErrors) {
  EXPECT_ERROR_KIND(open_store("mysql://x"), ErrorKind::kInvalidArgument,
                    "unknown database URL 'mysql://x'");
  EXPECT_ERROR_KIND(open_store("sqlite://"), ErrorKind::kInvalidArgument, "no file path");
  EXPECT_ERROR_KIND(open_store("sqlite:///proc/definitely/not/here/db.sqlite"),
                    ErrorKind::kUnavailable, "");
#ifdef SPANLOOP_WITH_POSTGRES
  EXPECT_ERROR_KIND(open_store("postgresql://nobody@127.0.0.1:1/nodb"), ErrorKind::kUnavailable,
                    "cannot connect to PostgreSQL");
  EXPECT_ERROR_KIND(open_store("postgresql://x@127.0.0.1/db?schema=bad;name"),
                    ErrorKind::kInvalidArgument, "may hold only letters, digits and '_'");
#endif
  spanloop::testing::TempDir dir;
  const std::string url = sqlite_url_for_data_dir((dir.path() / "data").string());
  EXPECT_EQ(url, "sqlite://" + (dir.path() / "data" / "spanloop.db").string());
  EXPECT_EQ(open_store(url)->engine(), "sqlite");
}

}  // namespace
}  // namespace spanloop::store::testing
