// The database layer's transaction semantics on both engines, in particular PostgreSQL's
// BEGIN sent with the first statement and writes deferred to the next statement or COMMIT.
#include <random>

#include "store/sql/db.h"
#include "store/sqlite/sqlite_conn.h"
#include "store_fixture.h"
#ifdef SPANLOOP_WITH_POSTGRES
#include "store/postgres/pg_conn.h"
#endif

namespace spanloop::store::testing {
namespace {

class ConnTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      dir_ = std::make_unique<spanloop::testing::TempDir>();
      const std::string path = (dir_->path() / "conn.db").string();
      open_ = [path] { return sqlite::open_sqlite_conn(path, std::chrono::milliseconds(5000)); };
    } else {
#ifdef SPANLOOP_WITH_POSTGRES
      const char* base = std::getenv("SPANLOOP_TEST_PG_URL");
      if (!base || !*base)
        GTEST_SKIP() << "SPANLOOP_TEST_PG_URL is not set; PostgreSQL tests skipped";
      base_ = base;
      schema_ = "c_" + std::to_string(std::random_device{}());
      postgres::open_pg_conn(postgres::PgUrl{postgres::parse_pg_url(base_).conninfo, ""})
          ->exec_script("CREATE SCHEMA " + schema_);
      const auto url = postgres::parse_pg_url(
          base_ + (base_.find('?') == std::string::npos ? "?" : "&") + "schema=" + schema_);
      open_ = [url] { return postgres::open_pg_conn(url); };
#else
      GTEST_SKIP() << "built without PostgreSQL";
#endif
    }
    open_()->exec_script("CREATE TABLE t (k BIGINT PRIMARY KEY, v TEXT)");
  }
  void TearDown() override {
#ifdef SPANLOOP_WITH_POSTGRES
    if (!schema_.empty()) postgres::drop_pg_schema(base_, schema_);
#endif
  }
  std::int64_t rows() {
    return open_()->query_i64("SELECT COUNT(*) FROM t").value_or(-1);
  }

  std::function<std::unique_ptr<sql::Conn>()> open_;
  std::unique_ptr<spanloop::testing::TempDir> dir_;
  std::string base_, schema_;
};
INSTANTIATE_TEST_SUITE_P(Sqlite, ConnTest, ::testing::Values(std::string("sqlite")),
                         [](const auto& i) { return i.param; });
INSTANTIATE_TEST_SUITE_P(Postgres, ConnTest, ::testing::Values(std::string("postgres")),
                         [](const auto& i) { return i.param; });

TEST_P(ConnTest, EveryFirstStatementKindRunsInsideTheTransaction) {
  auto c = open_();
  const std::vector<sql::Params> two{{std::int64_t{1}, std::string("a")},
                                     {std::int64_t{2}, std::string("b")}};
  {  // execute_many first, then rollback
    sql::Transaction tx(*c, true);
    c->execute_many("INSERT INTO t (k, v) VALUES (?, ?)", two);
  }
  EXPECT_EQ(rows(), 0);
  {  // a deferred write first, then rollback
    sql::Transaction tx(*c, true);
    c->execute_deferred("INSERT INTO t (k, v) VALUES (?, ?)", {std::int64_t{1}, std::string("a")});
  }
  EXPECT_EQ(rows(), 0);
  {  // a script first, then rollback
    sql::Transaction tx(*c, true);
    c->exec_script("INSERT INTO t (k, v) VALUES (7, 'x')");
  }
  EXPECT_EQ(rows(), 0);
  {  // deferred writes are visible to the transaction's next statement and committed with it
    sql::Transaction tx(*c, true);
    c->execute_deferred("INSERT INTO t (k, v) VALUES (?, ?)", {std::int64_t{1}, std::string("a")});
    c->execute_deferred("INSERT INTO t (k, v) VALUES (?, ?)", {std::int64_t{2}, std::string("b")});
    EXPECT_EQ(c->query_i64("SELECT COUNT(*) FROM t"), 2);
    c->execute_deferred("INSERT INTO t (k, v) VALUES (?, ?)", {std::int64_t{3}, std::string("c")});
    tx.commit();
  }
  EXPECT_EQ(rows(), 3);
  // A failing deferred write fails the transaction at the latest at COMMIT, and nothing of it
  // is kept; the connection is usable afterwards.
  EXPECT_THROW(
      {
        sql::Transaction tx(*c, true);
        c->execute_deferred("INSERT INTO t (k, v) VALUES (?, ?)",
                            {std::int64_t{4}, std::string("d")});
        c->execute_deferred("INSERT INTO t (k, v) VALUES (?, ?)",
                            {std::int64_t{1}, std::string("duplicate")});
        tx.commit();
      },
      std::exception);
  EXPECT_EQ(rows(), 3);
  EXPECT_EQ(c->query_i64("SELECT COUNT(*) FROM t WHERE k = 4"), 0);
  {  // a read transaction that runs nothing, and one that reads
    sql::Transaction tx(*c, false);
    tx.commit();
  }
  {
    sql::Transaction tx(*c, false);
    EXPECT_EQ(c->query_text("SELECT v FROM t WHERE k = ?", {std::int64_t{2}}), "b");
    tx.commit();
  }
}

}  // namespace
}  // namespace spanloop::store::testing
