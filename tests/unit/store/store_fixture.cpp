// Opens a fresh store per test on the engine under test.
#include "store_fixture.h"

#include <cstdlib>
#include <random>

#ifdef SPANLOOP_WITH_POSTGRES
#include "store/postgres/pg_conn.h"
#endif

namespace spanloop::store::testing {

void StoreTest::SetUp() {
  if (GetParam() == "sqlite") {
    dir_ = std::make_unique<spanloop::testing::TempDir>();
    url_ = "sqlite://" + (dir_->path() / "spanloop.db").string();
  } else {
#ifndef SPANLOOP_WITH_POSTGRES
    GTEST_SKIP() << "built without PostgreSQL (SPANLOOP_WITH_POSTGRES=OFF)";
#endif
    const char* base = std::getenv("SPANLOOP_TEST_PG_URL");
    if (!base || !*base)
      GTEST_SKIP() << "SPANLOOP_TEST_PG_URL is not set; PostgreSQL tests skipped (run "
                      "scripts/start-postgres.sh and export its URL)";
    std::random_device rd;
    pg_base_url_ = base;
    pg_schema_ = "t_" + std::to_string(rd()) + std::to_string(rd());
    url_ = pg_base_url_ + (pg_base_url_.find('?') == std::string::npos ? "?" : "&") +
           "schema=" + pg_schema_;
  }
  StoreOptions options;
  options.pool_size = 8;
  store_ = open_store(url_, options);
}

void StoreTest::TearDown() {
  store_.reset();
#ifdef SPANLOOP_WITH_POSTGRES
  if (!pg_schema_.empty()) postgres::drop_pg_schema(pg_base_url_, pg_schema_);
#endif
  dir_.reset();
}

std::unique_ptr<Store> StoreTest::reopen(const StoreOptions& options) {
  return open_store(url_, options);
}

StoreTest::Fixture StoreTest::make_dataset(const std::string& name, bool overlapping,
                                           bool more_questions, std::int64_t min_submitted) {
  Fixture f;
  auto existing = store_->get_workspace_by_name("ws");
  f.workspace = existing ? *existing : store_->create_workspace("ws");
  DatasetCreate dc;
  dc.workspace_id = f.workspace.id;
  dc.name = name;
  dc.guidelines = "Mark every entity.";
  dc.distribution.min_submitted = min_submitted;
  f.dataset = store_->create_dataset(dc);
  f.text = store_->create_field(f.dataset.id, FieldCreate{"text", "Text", true, false});
  SpanQuestionSettings span;
  span.field = "text";
  span.options = {{"PER", "Person", std::nullopt, "#1f77b4"},
                  {"ORG", "Organisation", std::nullopt, std::nullopt},
                  {"LOC", "Location", "Places", std::nullopt}};
  span.allow_overlapping = overlapping;
  f.ner = store_->create_question(f.dataset.id,
                                  QuestionCreate{"ner", "Entities", std::nullopt, true, span});
  if (more_questions) {
    LabelSelectionSettings label;
    label.options = {{"pos", "Positive", std::nullopt, std::nullopt},
                     {"neg", "Negative", std::nullopt, std::nullopt}};
    f.sentiment = store_->create_question(
        f.dataset.id, QuestionCreate{"sentiment", "Sentiment", std::nullopt, false, label});
    f.quality = store_->create_question(f.dataset.id,
                                        QuestionCreate{"quality", "Quality", std::nullopt, false,
                                                       RatingQuestionSettings{{1, 2, 3, 4, 5}}});
  }
  f.dataset = store_->publish_dataset(f.dataset.id);
  return f;
}

User StoreTest::make_user(const std::string& username, Role role) {
  UserCreate uc;
  uc.username = username;
  uc.first_name = username;
  uc.role = role;
  uc.password_hash = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA";
  return store_->create_user(uc);
}

RecordInput text_record(const std::string& text, const std::optional<std::string>& external_id) {
  RecordInput r;
  r.external_id = external_id;
  r.fields["text"] = text;
  return r;
}

std::vector<SpanValue> spans(std::initializer_list<SpanValue> list) {
  return std::vector<SpanValue>(list);
}

}  // namespace spanloop::store::testing
