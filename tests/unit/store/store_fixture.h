// The engine-parameterised fixture of the store suite and small builders for test data.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <set>
#include <string>

#include "store/store.h"
#include "support/test_support.h"

namespace spanloop::store::testing {

// GetParam(): "sqlite" or "postgres". PostgreSQL tests run in their own schema, dropped after.
class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Opens another store on the same database (a second process, or a restart).
  std::unique_ptr<Store> reopen(const StoreOptions& options = {});
  const std::string& url() const { return url_; }

  // A published dataset with a text field "text", a span question "ner" (labels PER, ORG,
  // LOC) and, when asked, a label question "sentiment" and a rating question "quality".
  struct Fixture {
    Workspace workspace;
    Dataset dataset;
    Field text;
    Question ner;
    std::optional<Question> sentiment;
    std::optional<Question> quality;
  };
  Fixture make_dataset(const std::string& name = "claims", bool overlapping = false,
                       bool more_questions = false, std::int64_t min_submitted = 1);
  User make_user(const std::string& username, Role role = Role::kAnnotator);

  std::unique_ptr<Store> store_;

 private:
  std::string url_;
  std::string pg_base_url_;
  std::string pg_schema_;
  std::unique_ptr<spanloop::testing::TempDir> dir_;
};

RecordInput text_record(const std::string& text,
                        const std::optional<std::string>& external_id = std::nullopt);
std::vector<SpanValue> spans(std::initializer_list<SpanValue> list);

}  // namespace spanloop::store::testing

// Declares a test suite on the fixture, instantiated once per engine.
#define SPANLOOP_STORE_SUITE(Suite)                                                     \
  class Suite : public ::spanloop::store::testing::StoreTest {};                        \
  INSTANTIATE_TEST_SUITE_P(Sqlite, Suite, ::testing::Values(std::string("sqlite")),     \
                           [](const auto& info) { return info.param; });                \
  INSTANTIATE_TEST_SUITE_P(Postgres, Suite, ::testing::Values(std::string("postgres")), \
                           [](const auto& info) { return info.param; })
