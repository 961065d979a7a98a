// Records: bulk create and upsert semantics (reference §1.4), validation, read, update, delete.
#include <atomic>
#include <thread>

#include "store_fixture.h"

namespace spanloop::store::testing {
namespace {

SPANLOOP_STORE_SUITE(RecordsTest);

TEST_P(RecordsTest, BulkCreateStoresFieldsMetadataAndNonAsciiText) {
  const auto f = make_dataset();
  // κ (2 bytes), µ, °, ≤, ™, an astral math letter, an emoji, a combining mark and CRLF.
  const std::string text = "κ ≤ 5 µm at 20 °C ™ 𝐀 😀 e\u0301\r\nend";
  RecordInput r = text_record(text, "doc-κ-1");
  r.metadata = Metadata{{"free", std::string("anything")},
                        {"pi", 3.25},
                        {"flag", true},
                        {"none", std::monostate{}},
                        {"tags", std::vector<std::string>{"a", "b"}}};
  const BulkResult res = store_->bulk_create_records(f.dataset.id, {r, text_record("second")});
  ASSERT_EQ(res.records.size(), 2u);
  EXPECT_TRUE(res.updated_ids.empty());
  const Record& rec = res.records[0];
  EXPECT_EQ(rec.fields.at("text"), text);
  EXPECT_EQ(rec.external_id, "doc-κ-1");
  EXPECT_EQ(rec.status, RecordStatus::kPending);
  EXPECT_EQ(rec.dataset_id, f.dataset.id);
  const Record got = *store_->get_record(rec.id);
  EXPECT_EQ(got.fields.at("text"), text);
  EXPECT_EQ(std::get<double>(got.metadata.at("pi")), 3.25);
  EXPECT_TRUE(std::get<bool>(got.metadata.at("flag")));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(got.metadata.at("none")));
  EXPECT_EQ(std::get<std::vector<std::string>>(got.metadata.at("tags")).size(), 2u);
  EXPECT_FALSE(got.responses.has_value());
  EXPECT_FALSE(got.suggestions.has_value());
  EXPECT_EQ(store_->dataset_progress(f.dataset.id).total, 2);
}

TEST_P(RecordsTest, BulkCreateRejectsDuplicatesAndDrafts) {
  const auto f = make_dataset();
  store_->bulk_create_records(f.dataset.id, {text_record("a", "x1")});
  EXPECT_ERROR_KIND(
      store_->bulk_create_records(f.dataset.id, {text_record("b", "x2"), text_record("c", "x1")}),
      ErrorKind::kConflict, "found records with same external ids: x1");
  EXPECT_ERROR_KIND(
      store_->bulk_create_records(f.dataset.id, {text_record("b", "y"), text_record("c", "y")}),
      ErrorKind::kInvalidArgument,
      "record at position 1 is not valid because its external_id `y` repeats");
  // Nothing of a failed batch is stored.
  EXPECT_EQ(store_->dataset_progress(f.dataset.id).total, 1);
  const Workspace w = f.workspace;
  const Dataset draft =
      store_->create_dataset(DatasetCreate{w.id, "draft", std::nullopt, true, {}, {}});
  EXPECT_ERROR_KIND(store_->bulk_create_records(draft.id, {text_record("a")}),
                    ErrorKind::kFailedPrecondition,
                    "records cannot be created for a non published dataset");
  EXPECT_ERROR_KIND(store_->bulk_upsert_records(draft.id, {text_record("a")}),
                    ErrorKind::kFailedPrecondition, "non published dataset");
  EXPECT_ERROR_KIND(store_->bulk_create_records("missing", {text_record("a")}),
                    ErrorKind::kNotFound, "Dataset");
}

TEST_P(RecordsTest, ValidationMessagesNameThePosition) {
  const auto f = make_dataset();
  RecordInput missing;
  missing.fields["other"] = "x";
  EXPECT_ERROR_KIND(
      store_->bulk_create_records(f.dataset.id, {text_record("ok"), missing}),
      ErrorKind::kInvalidArgument,
      "record at position 1 is not valid because missing required value for field: 'text'");
  RecordInput extra = text_record("ok");
  extra.fields["other"] = "x";
  EXPECT_ERROR_KIND(store_->bulk_create_records(f.dataset.id, {extra}), ErrorKind::kInvalidArgument,
                    "found fields values for non configured fields: ['other']");
  RecordInput bad_utf8 = text_record(std::string("ab\xff", 3));
  EXPECT_ERROR_KIND(store_->bulk_create_records(f.dataset.id, {bad_utf8}),
                    ErrorKind::kInvalidArgument, "invalid UTF-8 in field 'text' at byte 2");
  RecordInput bad_sugg = text_record("Ada");
  bad_sugg.suggestions.push_back(
      SuggestionInput{f.ner.id, "", spans({{"PER", 0, 9}}), {}, std::nullopt, std::nullopt});
  EXPECT_ERROR_KIND(store_->bulk_create_records(f.dataset.id, {bad_sugg}),
                    ErrorKind::kInvalidArgument,
                    "record at position 0 is not valid because suggestion for question name=ner is "
                    "not valid: span "
                    "question 'ner': span at index 0 {label 'PER', start 0, end 9}: `end` must be "
                    "lower or equal");
  RecordInput unknown_q = text_record("Ada");
  unknown_q.suggestions.push_back(
      SuggestionInput{"nope", "", spans({}), {}, std::nullopt, std::nullopt});
  EXPECT_ERROR_KIND(store_->bulk_create_records(f.dataset.id, {unknown_q}),
                    ErrorKind::kInvalidArgument, "question with question_id=nope does not exist");
  RecordInput ghost = text_record("Ada");
  ghost.responses.push_back(
      RecordResponseInput{"ghost", ResponseStatus::kSubmitted, {{"ner", spans({})}}});
  EXPECT_ERROR_KIND(store_->bulk_create_records(f.dataset.id, {ghost}), ErrorKind::kInvalidArgument,
                    "user with id ghost not found");
}

TEST_P(RecordsTest, MetadataValidation) {
  const auto f = make_dataset();
  TermsMetadataSettings terms;
  terms.values = std::vector<std::string>{"uspto", "epo"};
  store_->create_metadata_property(f.dataset.id,
                                   MetadataPropertyCreate{"source", "Source", terms, true});
  store_->create_metadata_property(
      f.dataset.id,
      MetadataPropertyCreate{"year", "Year", IntegerMetadataSettings{1990, 2030}, true});
  store_->create_metadata_property(
      f.dataset.id,
      MetadataPropertyCreate{"score", "Score", FloatMetadataSettings{0.0, 1.0}, true});
  auto with = [&](Metadata m) {
    RecordInput r = text_record("t");
    r.metadata = std::move(m);
    return std::vector<RecordInput>{r};
  };
  EXPECT_ERROR_KIND(
      store_->bulk_create_records(f.dataset.id, with({{"source", std::string("wipo")}})),
      ErrorKind::kInvalidArgument,
      "metadata is not valid: 'source' metadata property validation failed because 'wipo' is not "
      "an allowed term");
  EXPECT_ERROR_KIND(store_->bulk_create_records(f.dataset.id, with({{"year", std::int64_t{1900}}})),
                    ErrorKind::kInvalidArgument, "value 1900 is lower than the minimum 1990");
  EXPECT_ERROR_KIND(store_->bulk_create_records(f.dataset.id, with({{"year", 2000.5}})),
                    ErrorKind::kInvalidArgument, "integer metadata expects an integer value");
  EXPECT_ERROR_KIND(store_->bulk_create_records(f.dataset.id, with({{"score", std::nan("")}})),
                    ErrorKind::kInvalidArgument, "'score' is not a finite number");
  EXPECT_NO_THROW(store_->bulk_create_records(
      f.dataset.id, with({{"score", std::int64_t{1}},
                          {"year", std::monostate{}},
                          {"source", std::vector<std::string>{"epo", "uspto"}}})));
  DatasetUpdate strict;
  strict.allow_extra_metadata = false;
  store_->update_dataset(f.dataset.id, strict);
  EXPECT_ERROR_KIND(store_->bulk_create_records(f.dataset.id, with({{"extra", std::string("x")}})),
                    ErrorKind::kInvalidArgument,
                    "'extra' metadata property does not exists for dataset");
}

TEST_P(RecordsTest, UpsertMatchesExternalIdThenIdAndKeepsFields) {
  const auto f = make_dataset();
  const User u = make_user("u");
  RecordInput a = text_record("Original text", "ext-a");
  a.metadata = Metadata{{"v", std::int64_t{1}}};
  const auto created =
      store_->bulk_create_records(f.dataset.id, {a, text_record("No external id")}).records;

  // 1: same external_id with new fields and metadata -> fields unchanged, metadata replaced.
  RecordInput a2 = text_record("Changed text", "ext-a");
  a2.metadata = Metadata{{"v", std::int64_t{2}}};
  // 2: matched by id only (the SDK's _server_id); no metadata key -> metadata kept.
  RecordInput b2;
  b2.id = created[1].id;
  b2.suggestions.push_back(SuggestionInput{f.ner.id, "", spans({{"ORG", 3, 11}}),
                                           std::vector<double>{0.5}, "m1", SuggestionType::kModel});
  b2.responses.push_back(
      RecordResponseInput{u.id, ResponseStatus::kSubmitted, {{"ner", spans({})}}});
  // 3: an unknown id and no external id -> a new record with a new id.
  RecordInput c;
  c.id = "00000000-0000-4000-8000-000000000000";
  c.fields["text"] = "Brand new";
  const BulkResult res = store_->bulk_upsert_records(f.dataset.id, {a2, b2, c});
  ASSERT_EQ(res.records.size(), 3u);
  EXPECT_EQ(res.records[0].id, created[0].id);
  EXPECT_EQ(res.records[0].fields.at("text"), "Original text");
  EXPECT_EQ(std::get<std::int64_t>(res.records[0].metadata.at("v")), 2);
  EXPECT_EQ(res.records[1].id, created[1].id);
  EXPECT_EQ(res.records[1].fields.at("text"), "No external id");
  EXPECT_EQ(res.records[1].status, RecordStatus::kCompleted);  // status recomputed in the upsert
  EXPECT_NE(res.records[2].id, *c.id);
  EXPECT_EQ(res.records[2].fields.at("text"), "Brand new");
  EXPECT_EQ(res.updated_ids, (std::vector<std::string>{created[0].id, created[1].id}));
  EXPECT_EQ(store_->dataset_progress(f.dataset.id).total, 3);
  EXPECT_EQ(store_->dataset_progress(f.dataset.id).completed, 1);

  // Upserting again replaces the suggestion (one per question) and the response (one per user).
  b2.suggestions[0].value = spans({{"LOC", 0, 2}});
  b2.responses[0].status = ResponseStatus::kDiscarded;
  store_->bulk_upsert_records(f.dataset.id, {b2});
  const auto suggestions = store_->list_suggestions(created[1].id);
  ASSERT_EQ(suggestions.size(), 1u);
  EXPECT_EQ(std::get<std::vector<SpanValue>>(suggestions[0].value)[0].label, "LOC");
  const auto responses = store_->list_responses(created[1].id);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].status, ResponseStatus::kDiscarded);
  EXPECT_EQ(store_->get_record(created[1].id)->status, RecordStatus::kPending);
  EXPECT_EQ(store_->dataset_progress(f.dataset.id).completed, 0);
  // An upsert may not name the same record twice.
  RecordInput dup;
  dup.id = created[0].id;
  EXPECT_ERROR_KIND(store_->bulk_upsert_records(f.dataset.id, {a2, dup}),
                    ErrorKind::kInvalidArgument,
                    "record at position 1 is not valid because it matches record");
}

TEST_P(RecordsTest, GetWithIncludesUpdateAndDelete) {
  const auto f = make_dataset("d", false, true);
  const User u1 = make_user("u1");
  const User u2 = make_user("u2");
  const auto rec =
      store_->bulk_create_records(f.dataset.id, {text_record("Grace Hopper at Yale")}).records[0];
  store_->create_response(
      rec.id, u1.id, ResponseInput{ResponseStatus::kDraft, {{"ner", spans({{"PER", 0, 12}})}}});
  store_->create_response(
      rec.id, u2.id,
      ResponseInput{ResponseStatus::kSubmitted,
                    {{"ner", spans({{"ORG", 16, 20}})}, {"quality", std::int64_t{4}}}});
  RecordInclude all;
  all.responses = true;
  all.suggestions = true;
  const Record full = *store_->get_record(rec.id, all);
  ASSERT_EQ(full.responses->size(), 2u);
  EXPECT_TRUE(full.suggestions->empty());
  RecordInclude mine = all;
  mine.responses_user_id = u1.id;
  const Record own = *store_->get_record(rec.id, mine);
  ASSERT_EQ(own.responses->size(), 1u);
  EXPECT_EQ((*own.responses)[0].user_id, u1.id);
  EXPECT_EQ(std::get<std::vector<SpanValue>>((*own.responses)[0].values.at("ner"))[0],
            (SpanValue{"PER", 0, 12}));

  RecordUpdate up;
  up.metadata = Metadata{{"note", std::string("checked")}};
  up.suggestions = std::vector<SuggestionInput>{
      SuggestionInput{"", "sentiment", std::string("pos"), 0.75, "clf", SuggestionType::kHuman}};
  const Record changed = store_->update_record(rec.id, up);
  EXPECT_EQ(std::get<std::string>(changed.metadata.at("note")), "checked");
  EXPECT_GE(changed.updated_at, rec.updated_at);
  const auto sugg = store_->list_suggestions(rec.id);
  ASSERT_EQ(sugg.size(), 1u);
  EXPECT_EQ(sugg[0].question_name, "sentiment");
  EXPECT_EQ(std::get<double>(sugg[0].score), 0.75);
  EXPECT_EQ(sugg[0].type, SuggestionType::kHuman);
  RecordUpdate twice;
  twice.suggestions =
      std::vector<SuggestionInput>{up.suggestions->front(), up.suggestions->front()};
  EXPECT_ERROR_KIND(store_->update_record(rec.id, twice), ErrorKind::kInvalidArgument,
                    "found duplicate suggestions question IDs");
  EXPECT_ERROR_KIND(store_->update_record("missing", up), ErrorKind::kNotFound,
                    "Record with id `missing` not found");

  EXPECT_EQ(store_->dataset_progress(f.dataset.id).completed, 1);
  const Record deleted = store_->delete_record(rec.id);
  EXPECT_EQ(deleted.status, RecordStatus::kCompleted);
  EXPECT_FALSE(store_->get_record(rec.id));
  EXPECT_EQ(store_->dataset_progress(f.dataset.id).total, 0);
  EXPECT_EQ(store_->dataset_progress(f.dataset.id).completed, 0);
}

TEST_P(RecordsTest, DeleteManyOnlyTouchesTheDataset) {
  const auto f = make_dataset("one");
  const auto g = make_dataset("two");
  const auto ours = store_
                        ->bulk_create_records(
                            f.dataset.id, {text_record("a"), text_record("b"), text_record("c")})
                        .records;
  const auto theirs = store_->bulk_create_records(g.dataset.id, {text_record("z")}).records;
  EXPECT_EQ(store_->delete_records(f.dataset.id, {ours[0].id, ours[2].id, theirs[0].id, "nope"}),
            2);
  EXPECT_TRUE(store_->get_record(theirs[0].id).has_value());
  EXPECT_TRUE(store_->get_record(ours[1].id).has_value());
  EXPECT_EQ(store_->dataset_progress(f.dataset.id).total, 1);
  EXPECT_EQ(store_->delete_records(f.dataset.id, {}), 0);
}

TEST_P(RecordsTest, ConcurrentUpsertsOfTheSameNewRecordsCreateEachOnce) {
  const auto f = make_dataset();
  std::vector<RecordInput> items;
  for (int i = 0; i < 50; ++i)
    items.push_back(text_record("same " + std::to_string(i), "same-" + std::to_string(i)));
  std::vector<std::thread> threads;
  std::vector<std::exception_ptr> errors(4);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      try {
        store_->bulk_upsert_records(f.dataset.id, items);
      } catch (...) {
        errors[t] = std::current_exception();
      }
    });
  for (auto& th : threads) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  EXPECT_EQ(store_->dataset_progress(f.dataset.id).total, 50);
  SearchQuery q;
  q.dataset_id = f.dataset.id;
  EXPECT_EQ(store_->search(q).total, 50);
  // Racing creates of one workspace name: one wins, the others get a precise conflict.
  std::atomic<int> created{0}, conflicts{0};
  threads.clear();
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      try {
        store_->create_workspace("raced");
        ++created;
      } catch (const Error& e) {
        if (e.kind() == ErrorKind::kConflict) ++conflicts;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(created, 1);
  EXPECT_EQ(conflicts, 3);
}

TEST_P(RecordsTest, AFailingWriteAmongConcurrentOnesIsRolledBackAlone) {
  // On SQLite concurrent writes share one transaction (group commit, a savepoint each); a
  // failing one must leave no trace and must not fail the others.
  const auto f = make_dataset();
  constexpr int kThreads = 8, kRounds = 10;
  std::vector<std::thread> threads;
  std::atomic<int> ok{0}, invalid{0}, other{0};
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int r = 0; r < kRounds; ++r) {
        std::vector<RecordInput> items{text_record(
            "valid " + std::to_string(t), "t" + std::to_string(t) + "-" + std::to_string(r))};
        if (t % 2) items.push_back(RecordInput{});  // no fields: the whole call must fail
        try {
          store_->bulk_create_records(f.dataset.id, items);
          ++ok;
        } catch (const Error& e) {
          (e.kind() == ErrorKind::kInvalidArgument ? invalid : other)++;
        }
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok, kThreads / 2 * kRounds);
  EXPECT_EQ(invalid, kThreads / 2 * kRounds);
  EXPECT_EQ(other, 0);
  EXPECT_EQ(store_->dataset_progress(f.dataset.id).total, kThreads / 2 * kRounds);
  SearchQuery q;
  q.dataset_id = f.dataset.id;
  q.text = TextQuery{"valid", std::nullopt};
  EXPECT_EQ(store_->search(q).total, kThreads / 2 * kRounds);
}

TEST_P(RecordsTest, StreamReadsEveryRecordOnce) {
  const auto f = make_dataset();
  std::vector<RecordInput> items;
  for (int i = 0; i < 1234; ++i)
    items.push_back(text_record("record " + std::to_string(i), "e" + std::to_string(i)));
  store_->bulk_create_records(f.dataset.id, items);
  SearchQuery q;
  q.dataset_id = f.dataset.id;
  RecordStream stream(*store_, q, 500);
  std::vector<Record> batch;
  std::set<std::string> seen;
  int batches = 0;
  while (stream.next(batch)) {
    ++batches;
    for (const auto& r : batch) EXPECT_TRUE(seen.insert(*r.external_id).second);
  }
  EXPECT_EQ(batches, 3);
  EXPECT_EQ(seen.size(), 1234u);
}

TEST_P(RecordsTest, RecordWithAccessReadsRecordDatasetAndMembershipTogether) {
  const auto f = make_dataset();
  const User member = make_user("member");
  const User outsider = make_user("outsider");
  store_->add_workspace_user(f.workspace.id, member.id);
  const auto rec = store_->bulk_create_records(f.dataset.id, {text_record("Ada Lovelace")});
  const std::string id = rec.records.at(0).id;
  store_->create_response(
      id, member.id, ResponseInput{ResponseStatus::kSubmitted, {{"ner", spans({{"PER", 0, 12}})}}});

  auto got = store_->get_record_with_access(id, member.id);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->record.id, id);
  EXPECT_EQ(got->record.fields.at("text"), "Ada Lovelace");
  EXPECT_EQ(got->record.status, RecordStatus::kCompleted);
  EXPECT_FALSE(got->record.responses.has_value());
  EXPECT_EQ(got->dataset.id, f.dataset.id);
  EXPECT_EQ(got->dataset.workspace_id, f.workspace.id);
  EXPECT_TRUE(got->member);

  auto other = store_->get_record_with_access(id, outsider.id);
  ASSERT_TRUE(other.has_value());
  EXPECT_FALSE(other->member);
  EXPECT_FALSE(store_->get_record_with_access(id, "no-such-user")->member);

  // Includes work as in get_record (here: only the outsider's responses, none).
  RecordInclude include;
  include.responses = true;
  include.responses_user_id = outsider.id;
  auto scoped = store_->get_record_with_access(id, outsider.id, include);
  ASSERT_TRUE(scoped->record.responses.has_value());
  EXPECT_TRUE(scoped->record.responses->empty());
  include.responses_user_id = member.id;
  EXPECT_EQ(store_->get_record_with_access(id, member.id, include)->record.responses->size(), 1u);

  EXPECT_FALSE(store_->get_record_with_access("00000000-0000-0000-0000-000000000000", member.id));
  EXPECT_FALSE(store_->get_record_with_access("not-a-uuid", member.id));
  store_->remove_workspace_user(f.workspace.id, member.id);
  EXPECT_FALSE(store_->get_record_with_access(id, member.id)->member);
}

TEST_P(RecordsTest, RecordDatasetReadsDatasetAndMembershipWithoutTheRecord) {
  const auto f = make_dataset();
  const User member = make_user("member");
  const User outsider = make_user("outsider");
  store_->add_workspace_user(f.workspace.id, member.id);
  const std::string id =
      store_->bulk_create_records(f.dataset.id, {text_record("Ada Lovelace")}).records.at(0).id;
  auto got = store_->get_record_dataset(id, member.id);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->record_id, id);
  EXPECT_EQ(got->dataset.id, f.dataset.id);
  EXPECT_EQ(got->dataset.workspace_id, f.workspace.id);
  EXPECT_EQ(got->dataset.name, f.dataset.name);
  EXPECT_EQ(got->dataset.status, DatasetStatus::kReady);
  EXPECT_TRUE(got->member);
  EXPECT_FALSE(store_->get_record_dataset(id, outsider.id)->member);
  EXPECT_FALSE(store_->get_record_dataset(id, "no-such-user")->member);
  EXPECT_FALSE(store_->get_record_dataset("00000000-0000-0000-0000-000000000000", member.id));
  EXPECT_FALSE(store_->get_record_dataset("not-a-uuid", member.id));
  store_->remove_workspace_user(f.workspace.id, member.id);
  EXPECT_FALSE(store_->get_record_dataset(id, member.id)->member);
  store_->delete_record(id);
  EXPECT_FALSE(store_->get_record_dataset(id, outsider.id));
}

}  // namespace
}  // namespace spanloop::store::testing
