// Responses (validation, status recompute, concurrency), suggestions and progress counts.
#include <thread>

#include "store_fixture.h"

namespace spanloop::store::testing {
namespace {

SPANLOOP_STORE_SUITE(ResponsesTest);

ResponseInput submitted(std::vector<SpanValue> s) {
  return ResponseInput{ResponseStatus::kSubmitted, {{"ner", std::move(s)}}};
}

TEST_P(ResponsesTest, CreateUpdateDeleteWithStatusRecompute) {
  const auto f = make_dataset("d", false, false, 2);
  const User a = make_user("a");
  const User b = make_user("b");
  const auto rec =
      store_->bulk_create_records(f.dataset.id, {text_record("Marie Curie, Paris")}).records[0];
  const Response ra =
      store_->create_response(rec.id, a.id, submitted(spans({{"PER", 0, 11}, {"LOC", 13, 18}})));
  EXPECT_EQ(ra.status, ResponseStatus::kSubmitted);
  EXPECT_EQ(ra.record_id, rec.id);
  EXPECT_EQ(store_->get_record(rec.id)->status, RecordStatus::kPending);  // 1 of 2
  EXPECT_ERROR_KIND(store_->create_response(rec.id, a.id, submitted({})), ErrorKind::kConflict,
                    "Response already exists for record with id");
  const Response rb =
      store_->create_response(rec.id, b.id, ResponseInput{ResponseStatus::kDraft, {}});
  EXPECT_EQ(store_->get_record(rec.id)->status, RecordStatus::kPending);
  const Response rb2 =
      store_->update_response(rb.id, submitted({}));  // empty answer: "no entities"
  EXPECT_EQ(rb2.id, rb.id);
  EXPECT_EQ(rb2.inserted_at, rb.inserted_at);
  EXPECT_EQ(store_->get_record(rec.id)->status, RecordStatus::kCompleted);
  EXPECT_EQ(store_->dataset_progress(f.dataset.id).completed, 1);
  EXPECT_EQ(std::get<std::vector<SpanValue>>(store_->get_response(ra.id)->values.at("ner")).size(),
            2u);
  EXPECT_TRUE(
      std::get<std::vector<SpanValue>>(store_->get_response(rb.id)->values.at("ner")).empty());

  // Discarding one takes the record back to pending; deleting the other keeps it there.
  store_->update_response(ra.id, ResponseInput{ResponseStatus::kDiscarded, {}});
  EXPECT_EQ(store_->get_record(rec.id)->status, RecordStatus::kPending);
  EXPECT_EQ(store_->dataset_progress(f.dataset.id).completed, 0);
  EXPECT_EQ(store_->delete_response(rb.id).id, rb.id);
  EXPECT_FALSE(store_->get_response(rb.id));
  EXPECT_EQ(store_->list_responses(rec.id).size(), 1u);
  EXPECT_ERROR_KIND(store_->delete_response(rb.id), ErrorKind::kNotFound, "Response with id");
  EXPECT_ERROR_KIND(store_->update_response("nope", submitted({})), ErrorKind::kNotFound,
                    "Response with id `nope`");
  EXPECT_ERROR_KIND(store_->create_response("nope", a.id, submitted({})), ErrorKind::kNotFound,
                    "Record with id `nope`");
  EXPECT_ERROR_KIND(store_->create_response(rec.id, "ghost", submitted({})), ErrorKind::kNotFound,
                    "User with id `ghost`");
  // upsert_response creates or replaces.
  const Response up1 = store_->upsert_response(rec.id, b.id, submitted({}));
  const Response up2 =
      store_->upsert_response(rec.id, b.id, ResponseInput{ResponseStatus::kDraft, {}});
  EXPECT_EQ(up1.id, up2.id);
}

TEST_P(ResponsesTest, ValidationMessages) {
  const auto f = make_dataset("d", false, true);
  const User u = make_user("u");
  const auto rec =
      store_->bulk_create_records(f.dataset.id, {text_record("κ-value of 5 µm 😀 found")})
          .records[0];
  auto expect_invalid = [&](const ResponseInput& in, const std::string& needle) {
    EXPECT_ERROR_KIND(store_->create_response(rec.id, u.id, in), ErrorKind::kInvalidArgument,
                      needle);
  };
  expect_invalid(ResponseInput{ResponseStatus::kSubmitted, {}},
                 "missing response values for submitted response");
  expect_invalid(ResponseInput{ResponseStatus::kSubmitted, {{"sentiment", std::string("pos")}}},
                 "missing response value for required question with name='ner'");
  expect_invalid(ResponseInput{ResponseStatus::kDraft, {{"bogus", std::string("x")}}},
                 "found response value for non configured question with name='bogus'");
  expect_invalid(ResponseInput{ResponseStatus::kDraft, {{"ner", std::string("x")}}},
                 "span question 'ner' expects a list of spans, found a text value");
  expect_invalid(ResponseInput{ResponseStatus::kDraft, {{"sentiment", std::string("meh")}}},
                 "'meh' is not a valid label for label selection question 'sentiment'; valid "
                 "labels are: ['pos', 'neg']");
  expect_invalid(
      ResponseInput{ResponseStatus::kDraft, {{"quality", std::int64_t{9}}}},
      "9 is not a valid rating for rating question 'quality'; valid ratings are: [1, 2, 3, 4, 5]");
  // The field has 23 code points (but more bytes and UTF-16 units): offsets count code points.
  expect_invalid(
      submitted(spans({{"PER", 0, 24}})),
      "span question 'ner': span at index 0 {label 'PER', start 0, end 24}: `end` must be lower or "
      "equal than the length of field `text` (23 code points)");
  expect_invalid(submitted(spans({{"PER", 23, 24}})),
                 "`start` must be lower than the length of field `text` (23 code points)");
  expect_invalid(
      submitted(spans({{"PER", 4, 4}})),
      "span at index 0 {label 'PER', start 4, end 4}: `end` must be greater than `start`");
  expect_invalid(submitted(spans({{"PER", -1, 4}})), "`start` must be greater or equal than 0");
  expect_invalid(submitted(spans({{"PER", 0, 1}, {"GPE", 2, 3}})),
                 "span at index 1 {label 'GPE', start 2, end 3}: undefined label 'GPE'; valid "
                 "labels are: ['PER', 'ORG', 'LOC']");
  expect_invalid(submitted(spans({{"PER", 0, 7}, {"LOC", 20, 23}, {"ORG", 5, 9}})),
                 "span at index 0 {label 'PER', start 0, end 7} overlaps span at index 2 {label "
                 "'ORG', start 5, end 9}, "
                 "and the question does not allow overlapping spans");
  expect_invalid(submitted(spans({{"PER", 0, 7}, {"PER", 0, 7}})),
                 "span at index 0 {label 'PER', start 0, end 7} overlaps span at index 1");
  // The last code point (index 22) is a valid span; the emoji is one code point.
  EXPECT_NO_THROW(store_->create_response(
      rec.id, u.id, submitted(spans({{"LOC", 16, 17}, {"ORG", 22, 23}, {"PER", 0, 1}}))));
}

TEST_P(ResponsesTest, OverlapAllowedWhenTheQuestionSaysSo) {
  const auto f = make_dataset("d", true);
  const User u = make_user("u");
  const auto rec =
      store_->bulk_create_records(f.dataset.id, {text_record("University of Paris")}).records[0];
  EXPECT_NO_THROW(store_->create_response(
      rec.id, u.id, submitted(spans({{"ORG", 0, 19}, {"LOC", 14, 19}, {"LOC", 14, 19}}))));
  std::vector<SpanValue> many(10001, SpanValue{"ORG", 0, 1});
  EXPECT_ERROR_KIND(store_->upsert_response(rec.id, u.id, submitted(many)),
                    ErrorKind::kInvalidArgument, "10001 spans, more than the 10000 allowed");
}

// Response writes cache each dataset's questions (sql/question_cache.h): a question change,
// made through this store or another one on the same database (another process), is seen by the
// next write.
TEST_P(ResponsesTest, QuestionChangesReachCachedValidation) {
  const auto f = make_dataset("d", false, true);
  const User u = make_user("u");
  const auto records = store_
                           ->bulk_create_records(f.dataset.id, {text_record("University of Paris"),
                                                                text_record("University of Lille"),
                                                                text_record("University of Nancy")})
                           .records;
  const auto overlapping = submitted(spans({{"ORG", 0, 19}, {"LOC", 14, 19}}));
  EXPECT_ERROR_KIND(store_->create_response(records[0].id, u.id, overlapping),
                    ErrorKind::kInvalidArgument, "does not allow overlapping spans");
  store_->create_response(records[0].id, u.id, submitted(spans({{"ORG", 0, 19}})));

  auto settings = std::get<SpanQuestionSettings>(f.ner.settings);
  settings.allow_overlapping = true;
  store_->update_question(f.ner.id, QuestionUpdate{{}, {}, {}, settings});
  EXPECT_NO_THROW(store_->create_response(records[1].id, u.id, overlapping));

  // Another process makes "ner" optional: a submit without it then passes here.
  const ResponseInput sentiment_only{ResponseStatus::kSubmitted,
                                     {{"sentiment", std::string("pos")}}};
  EXPECT_ERROR_KIND(store_->create_response(records[2].id, u.id, sentiment_only),
                    ErrorKind::kInvalidArgument,
                    "missing response value for required question with name='ner'");
  auto other = reopen();
  other->update_question(f.ner.id, QuestionUpdate{{}, {}, false, {}});
  EXPECT_NO_THROW(store_->create_response(records[2].id, u.id, sentiment_only));
}

// The permission check passed to a response write runs in its transaction with the record's
// dataset and the user's membership; a refusal writes nothing.
TEST_P(ResponsesTest, AccessCheckRunsInsideTheWrite) {
  const auto f = make_dataset("d");
  const User member = make_user("member");
  const User outsider = make_user("outsider");
  store_->add_workspace_user(f.workspace.id, member.id);
  const auto rec = store_->bulk_create_records(f.dataset.id, {text_record("Paris")}).records[0];
  std::vector<std::pair<std::string, bool>> seen;
  auto check = [&](const Dataset& d, bool is_member) {
    seen.emplace_back(d.id, is_member);
    if (!is_member) throw Error(ErrorKind::kPermissionDenied, "not a member");
  };
  EXPECT_ERROR_KIND(store_->create_response(rec.id, outsider.id, submitted({}), check),
                    ErrorKind::kPermissionDenied, "not a member");
  EXPECT_ERROR_KIND(store_->upsert_response(rec.id, outsider.id, submitted({}), check),
                    ErrorKind::kPermissionDenied, "not a member");
  EXPECT_TRUE(store_->list_responses(rec.id).empty());
  EXPECT_ERROR_KIND(store_->create_response("nope", member.id, submitted({}), check),
                    ErrorKind::kNotFound, "Record with id `nope`");
  store_->create_response(rec.id, member.id, submitted({}), check);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0], std::make_pair(f.dataset.id, false));
  EXPECT_EQ(seen[2], std::make_pair(f.dataset.id, true));
  EXPECT_EQ(store_->list_responses(rec.id).size(), 1u);
  EXPECT_EQ(store_->dataset_progress(f.dataset.id).completed, 1);
}

TEST_P(ResponsesTest, ConcurrentSubmitsNeverCorruptCounts) {
  constexpr int kUsers = 12, kRecords = 40;
  const auto f = make_dataset("d", false, false, 3);
  std::vector<User> users;
  for (int i = 0; i < kUsers; ++i) users.push_back(make_user("user" + std::to_string(i)));
  std::vector<RecordInput> items;
  for (int i = 0; i < kRecords; ++i)
    items.push_back(text_record("Record number " + std::to_string(i)));
  const auto records = store_->bulk_create_records(f.dataset.id, items).records;
  std::vector<std::thread> threads;
  std::vector<std::exception_ptr> errors(kUsers);
  for (int t = 0; t < kUsers; ++t)
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < kRecords; ++i) {
          const auto& rec =
              records[(i * 7 + t) % kRecords];  // users walk the records in different orders
          const Response r = store_->create_response(rec.id, users[t].id,
                                                     ResponseInput{ResponseStatus::kDraft, {}});
          // Users with an odd index submit; every third of those later discards again.
          if (t % 2 == 1) store_->update_response(r.id, submitted(spans({{"PER", 0, 6}})));
          if (t % 6 == 1)
            store_->update_response(r.id, ResponseInput{ResponseStatus::kDiscarded, {}});
        }
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  for (auto& th : threads) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  // Submitters: odd t (6 of 12) minus discarders t = 1, 7 -> 4 submitted per record >= 3.
  SearchQuery q;
  q.dataset_id = f.dataset.id;
  q.include.responses = true;
  RecordStream stream(*store_, q, 100);
  std::vector<Record> batch;
  int completed = 0, seen = 0;
  while (stream.next(batch))
    for (const auto& r : batch) {
      ++seen;
      EXPECT_EQ(r.responses->size(), static_cast<std::size_t>(kUsers));
      int subs = 0;
      for (const auto& x : *r.responses) subs += x.status == ResponseStatus::kSubmitted;
      EXPECT_EQ(subs, 4);
      EXPECT_EQ(r.status, RecordStatus::kCompleted);
      completed += r.status == RecordStatus::kCompleted;
    }
  EXPECT_EQ(seen, kRecords);
  const DatasetProgress p = store_->dataset_progress(f.dataset.id);
  EXPECT_EQ(p.total, kRecords);
  EXPECT_EQ(p.completed, completed);
  EXPECT_EQ(p.pending, 0);
  const auto progress = store_->users_progress(f.dataset.id);
  ASSERT_EQ(progress.size(), static_cast<std::size_t>(kUsers));
  for (const auto& up : progress) {
    const auto total = up.completed.submitted + up.completed.discarded + up.completed.draft;
    EXPECT_EQ(total, kRecords) << up.username;
  }
}

TEST_P(ResponsesTest, SuggestionsUpsertListDeleteAndAgents) {
  const auto f = make_dataset("d", false, true);
  const auto rec =
      store_->bulk_create_records(f.dataset.id, {text_record("Alan Turing, Manchester")})
          .records[0];
  SuggestionInput s{f.ner.id,
                    "",
                    spans({{"PER", 0, 11}, {"LOC", 13, 23}}),
                    std::vector<double>{0.9, 0.4},
                    "bert-ner-v3",
                    SuggestionType::kModel};
  const auto first = store_->upsert_suggestion(rec.id, s);
  EXPECT_TRUE(first.created);
  s.score = std::vector<double>{0.95, 0.5};
  const auto second = store_->upsert_suggestion(rec.id, s);
  EXPECT_FALSE(second.created);
  EXPECT_EQ(second.suggestion.id, first.suggestion.id);
  const auto got = *store_->get_suggestion(first.suggestion.id);
  EXPECT_EQ(std::get<std::vector<double>>(got.score), (std::vector<double>{0.95, 0.5}));
  EXPECT_EQ(got.agent, "bert-ner-v3");
  EXPECT_EQ(got.question_name, "ner");
  store_->upsert_suggestion(
      rec.id, SuggestionInput{"", "quality", std::int64_t{4}, 0.3, "rater:v1", std::nullopt});
  EXPECT_EQ(store_->list_suggestions(rec.id).size(), 2u);

  auto bad = s;
  bad.score = 0.5;
  EXPECT_ERROR_KIND(
      store_->upsert_suggestion(rec.id, bad), ErrorKind::kInvalidArgument,
      "a single score value is not allowed for a suggestion with a multiple items value");
  bad.score = std::vector<double>{0.5};
  EXPECT_ERROR_KIND(store_->upsert_suggestion(rec.id, bad), ErrorKind::kInvalidArgument,
                    "number of items on value and score attributes doesn't match");
  bad.score = std::vector<double>{0.5, 1.5};
  EXPECT_ERROR_KIND(store_->upsert_suggestion(rec.id, bad), ErrorKind::kInvalidArgument,
                    "score at index 1 must be between 0 and 1");
  bad.score = std::monostate{};
  bad.agent = "bad agent!";
  EXPECT_ERROR_KIND(store_->upsert_suggestion(rec.id, bad), ErrorKind::kInvalidArgument,
                    "suggestion agent 'bad agent!' is not valid");
  EXPECT_ERROR_KIND(
      store_->upsert_suggestion(
          rec.id, SuggestionInput{"", "sentiment", std::string("pos"), std::vector<double>{0.1},
                                  std::nullopt, std::nullopt}),
      ErrorKind::kInvalidArgument,
      "a list of score values is not allowed for a suggestion with a single value");

  const auto agents = store_->suggestion_agents(f.dataset.id);
  ASSERT_EQ(agents.size(), 2u);
  EXPECT_EQ(agents[0].question_name, "ner");
  EXPECT_EQ(agents[0].agents, (std::vector<std::string>{"bert-ner-v3"}));
  EXPECT_EQ(agents[1].agents, (std::vector<std::string>{"rater:v1"}));

  EXPECT_EQ(store_->delete_suggestion(first.suggestion.id).id, first.suggestion.id);
  EXPECT_FALSE(store_->get_suggestion(first.suggestion.id));
  const auto rest = store_->list_suggestions(rec.id);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(store_->delete_suggestions(rec.id, {rest[0].id, "other"}), 1);
  EXPECT_TRUE(store_->list_suggestions(rec.id).empty());
  EXPECT_ERROR_KIND(store_->delete_suggestion(first.suggestion.id), ErrorKind::kNotFound,
                    "Suggestion with id");
}

TEST_P(ResponsesTest, ProgressAndUserMetrics) {
  const auto f = make_dataset();
  const User a = make_user("alice");
  const User b = make_user("bob");
  std::vector<RecordInput> items;
  for (int i = 0; i < 6; ++i) items.push_back(text_record("Text " + std::to_string(i)));
  const auto recs = store_->bulk_create_records(f.dataset.id, items).records;
  store_->create_response(recs[0].id, a.id, submitted({}));
  store_->create_response(recs[1].id, a.id, ResponseInput{ResponseStatus::kDraft, {}});
  store_->create_response(recs[2].id, a.id, ResponseInput{ResponseStatus::kDiscarded, {}});
  store_->create_response(recs[0].id, b.id, ResponseInput{ResponseStatus::kDiscarded, {}});
  store_->create_response(recs[3].id, b.id, submitted({}));
  const DatasetProgress p = store_->dataset_progress(f.dataset.id);
  EXPECT_EQ(p.total, 6);
  EXPECT_EQ(p.completed, 2);
  EXPECT_EQ(p.pending, 4);
  const UserMetrics ma = store_->user_metrics(f.dataset.id, a.id);
  EXPECT_EQ(ma.submitted, 1);
  EXPECT_EQ(ma.draft, 1);
  EXPECT_EQ(ma.discarded, 1);
  // Pending records alice has not answered: 1, 2 are answered; 4, 5 are not; 3 is completed.
  EXPECT_EQ(ma.pending, 2);
  EXPECT_EQ(ma.total, 5);
  const auto up = store_->users_progress(f.dataset.id);
  ASSERT_EQ(up.size(), 2u);
  EXPECT_EQ(up[0].username, "alice");
  EXPECT_EQ(up[0].completed.submitted, 1);
  EXPECT_EQ(up[0].pending.draft, 1);
  EXPECT_EQ(up[0].pending.discarded, 1);
  EXPECT_EQ(up[1].username, "bob");
  EXPECT_EQ(up[1].completed.discarded, 1);
  EXPECT_EQ(up[1].completed.submitted, 1);
}

}  // namespace
}  // namespace spanloop::store::testing
