// Search: filters (status, metadata, suggestions, span labels), sorts, totals and pagination.
#include <algorithm>

#include "store_fixture.h"

namespace spanloop::store::testing {
namespace {

class SearchTest : public StoreTest {
 protected:
  // 20 records "Record 0".."Record 19"; metadata year = 2000 + i % 5 (none for i % 7 == 0),
  // source = even ? "uspto" : "epo"; a suggestion on every third record with score i / 20.
  void SetUp() override {
    StoreTest::SetUp();
    if (IsSkipped()) return;
    f_ = make_dataset("d", false, true);
    store_->create_metadata_property(
        f_.dataset.id, MetadataPropertyCreate{"year", "Year", IntegerMetadataSettings{}, true});
    store_->create_metadata_property(
        f_.dataset.id, MetadataPropertyCreate{"source", "Source", TermsMetadataSettings{}, true});
    std::vector<RecordInput> items;
    for (int i = 0; i < 20; ++i) {
      RecordInput r = text_record("Record " + std::to_string(i), "r" + std::to_string(i));
      Metadata m{{"source", std::string(i % 2 == 0 ? "uspto" : "epo")}};
      if (i % 7 != 0) m["year"] = std::int64_t{2000 + i % 5};
      r.metadata = m;
      if (i % 3 == 0)
        r.suggestions.push_back(SuggestionInput{
            f_.ner.id, "", spans({{i % 2 ? "ORG" : "PER", 0, 6}}), std::vector<double>{i / 20.0},
            i < 10 ? "model-a" : "model-b", SuggestionType::kModel});
      items.push_back(r);
    }
    recs_ = store_->bulk_create_records(f_.dataset.id, items).records;
    alice_ = make_user("alice");
    bob_ = make_user("bob");
  }

  SearchQuery query() {
    SearchQuery q;
    q.dataset_id = f_.dataset.id;
    q.limit = 1000;
    return q;
  }

  // External ids of a query's results, in order.
  std::vector<std::string> ids(const SearchQuery& q) {
    std::vector<std::string> out;
    for (const auto& h : store_->search(q).items) out.push_back(*h.record.external_id);
    return out;
  }

  static Filter terms(ScopeEntity e, std::string property, std::vector<std::string> values,
                      std::string question = "", std::string metadata = "") {
    return TermsFilter{
        FilterScope{e, std::move(property), std::move(question), std::move(metadata)},
        std::move(values)};
  }
  static Filter range(ScopeEntity e, std::string property, std::optional<double> ge,
                      std::optional<double> le, std::string question = "",
                      std::string metadata = "") {
    return RangeFilter{
        FilterScope{e, std::move(property), std::move(question), std::move(metadata)}, ge, le};
  }

  // Checks that the total matches the number of results and that cursor paging in pages of 3
  // yields exactly the offset-paged order.
  void expect_consistent(SearchQuery q) {
    const auto all = ids(q);
    EXPECT_EQ(store_->search(q).total, static_cast<std::int64_t>(all.size()));
    q.limit = 3;
    std::vector<std::string> paged;
    for (;;) {
      const SearchResult page = store_->search(q);
      for (const auto& h : page.items) paged.push_back(*h.record.external_id);
      if (!page.next_cursor) break;
      q.cursor = page.next_cursor;
    }
    EXPECT_EQ(paged, all);
  }

  Fixture f_;
  std::vector<Record> recs_;
  User alice_, bob_;
};
INSTANTIATE_TEST_SUITE_P(Sqlite, SearchTest, ::testing::Values(std::string("sqlite")),
                         [](const auto& i) { return i.param; });
INSTANTIATE_TEST_SUITE_P(Postgres, SearchTest, ::testing::Values(std::string("postgres")),
                         [](const auto& i) { return i.param; });

std::vector<std::string> names(std::initializer_list<int> idx) {
  std::vector<std::string> out;
  for (int i : idx) out.push_back("r" + std::to_string(i));
  return out;
}

TEST_P(SearchTest, DefaultOrderOffsetLimitAndTotal) {
  SearchQuery q = query();
  q.limit = 5;
  q.offset = 3;
  const SearchResult r = store_->search(q);
  EXPECT_EQ(r.total, 20);
  ASSERT_EQ(r.items.size(), 5u);
  EXPECT_EQ(*r.items[0].record.external_id, "r3");
  EXPECT_EQ(*r.items[4].record.external_id, "r7");
  EXPECT_TRUE(r.next_cursor.has_value());
  q.offset = 18;
  EXPECT_FALSE(store_->search(q).next_cursor.has_value());
  q.offset = 100;
  EXPECT_TRUE(store_->search(q).items.empty());
  expect_consistent(query());
}

TEST_P(SearchTest, RecordAndResponseStatusFilters) {
  store_->create_response(recs_[1].id, alice_.id,
                          ResponseInput{ResponseStatus::kSubmitted, {{"ner", spans({})}}});
  store_->create_response(recs_[2].id, alice_.id, ResponseInput{ResponseStatus::kDraft, {}});
  store_->create_response(recs_[3].id, bob_.id, ResponseInput{ResponseStatus::kDiscarded, {}});
  store_->create_response(recs_[2].id, bob_.id,
                          ResponseInput{ResponseStatus::kSubmitted, {{"ner", spans({})}}});
  SearchQuery q = query();
  q.filters = {terms(ScopeEntity::kRecord, "status", {"completed"})};
  EXPECT_EQ(ids(q), names({1, 2}));
  q.filters = {terms(ScopeEntity::kResponse, "status", {"submitted"})};
  EXPECT_EQ(ids(q), names({1, 2}));
  q.filters = {terms(ScopeEntity::kResponse, "status", {"draft", "discarded"})};
  EXPECT_EQ(ids(q), names({2, 3}));
  // Admin "pending": no response from anyone.
  q.filters = {terms(ScopeEntity::kResponse, "status", {"pending"})};
  EXPECT_EQ(store_->search(q).total, 17);
  expect_consistent(q);
  // /me "pending": no response from alice.
  q.user_id = alice_.id;
  EXPECT_EQ(store_->search(q).total, 18);
  expect_consistent(q);
  q.filters = {terms(ScopeEntity::kResponse, "status", {"submitted"})};
  EXPECT_EQ(ids(q), names({1}));
  q.filters = {terms(ScopeEntity::kResponse, "status", {"pending", "draft"})};
  EXPECT_EQ(store_->search(q).total, 19);
  // The UI's Pending tab: no response from me and the record still pending.
  q.filters = {terms(ScopeEntity::kResponse, "status", {"pending"}),
               terms(ScopeEntity::kRecord, "status", {"pending"})};
  q.user_id = bob_.id;
  const auto pending = ids(q);
  EXPECT_EQ(pending.size(), 17u);  // bob answered 2, 3; record 1 is completed
  EXPECT_EQ(std::count(pending.begin(), pending.end(), "r1"), 0);
  expect_consistent(q);
  EXPECT_ERROR_KIND(store_->search([&] {
    auto bad = query();
    bad.filters = {terms(ScopeEntity::kResponse, "status", {"done"})};
    return bad;
  }()),
                    ErrorKind::kInvalidArgument, "unknown response status 'done'");
}

TEST_P(SearchTest, MetadataTermsAndRanges) {
  SearchQuery q = query();
  q.filters = {terms(ScopeEntity::kMetadata, "", {"epo"}, "", "source"),
               range(ScopeEntity::kMetadata, "", 2003, std::nullopt, "", "year")};
  // odd i with i % 5 >= 3 and i % 7 != 0: 3, 9, 13, 19
  EXPECT_EQ(ids(q), names({3, 9, 13, 19}));
  q.filters = {range(ScopeEntity::kMetadata, "", 2001, 2001, "", "year")};
  EXPECT_EQ(ids(q), names({1, 6, 11, 16}));
  q.filters = {terms(ScopeEntity::kMetadata, "", {"nope"}, "", "unknown")};
  EXPECT_ERROR_KIND(store_->search(q), ErrorKind::kInvalidArgument,
                    "metadata property 'unknown' not found");
  q.filters = {range(ScopeEntity::kMetadata, "", 1, 2, "", "source")};
  EXPECT_ERROR_KIND(store_->search(q), ErrorKind::kInvalidArgument,
                    "range filter is not supported on metadata.source");
}

TEST_P(SearchTest, SuggestionFilters) {
  SearchQuery q = query();
  q.filters = {terms(ScopeEntity::kSuggestion, "agent", {"model-b"}, "ner")};
  EXPECT_EQ(ids(q), names({12, 15, 18}));
  q.filters = {range(ScopeEntity::kSuggestion, "score", 0.3, 0.7, "ner")};
  EXPECT_EQ(ids(q), names({6, 9, 12}));
  q.filters = {
      terms(ScopeEntity::kSuggestion, "value", {"ORG"}, "ner")};  // span labels of suggestions
  EXPECT_EQ(ids(q), names({3, 9, 15}));
  q.filters = {terms(ScopeEntity::kSuggestion, "type", {"model"}, "ner")};
  EXPECT_EQ(store_->search(q).total, 7);
  q.filters = {terms(ScopeEntity::kSuggestion, "type", {"robot"}, "ner")};
  EXPECT_ERROR_KIND(store_->search(q), ErrorKind::kInvalidArgument,
                    "unknown suggestion type 'robot'");
  // A list score matches when any of its scores is in range.
  store_->upsert_suggestion(
      recs_[1].id, SuggestionInput{f_.ner.id, "", spans({{"PER", 0, 3}, {"LOC", 4, 6}}),
                                   std::vector<double>{0.1, 0.95}, "m", SuggestionType::kHuman});
  q.filters = {range(ScopeEntity::kSuggestion, "score", 0.9, 1.0, "ner")};
  EXPECT_EQ(ids(q), names({1, 18}));
  q.filters = {range(ScopeEntity::kSuggestion, "score", 0.4, 0.5, "ner")};
  EXPECT_EQ(ids(q),
            names({9}));  // record 1's scores 0.1 and 0.95 straddle the range but none is in it
}

TEST_P(SearchTest, SpanLabelsInResponsesScopedToUser) {
  store_->create_response(
      recs_[4].id, alice_.id,
      ResponseInput{ResponseStatus::kSubmitted, {{"ner", spans({{"LOC", 0, 6}, {"PER", 7, 8}})}}});
  store_->create_response(recs_[5].id, bob_.id,
                          ResponseInput{ResponseStatus::kDraft, {{"ner", spans({{"LOC", 0, 6}})}}});
  store_->create_response(recs_[6].id, bob_.id,
                          ResponseInput{ResponseStatus::kSubmitted,
                                        {{"quality", std::int64_t{5}}, {"ner", spans({})}}});
  store_->create_response(
      recs_[7].id, alice_.id,
      ResponseInput{
          ResponseStatus::kSubmitted,
          {{"quality", std::int64_t{2}}, {"sentiment", std::string("neg")}, {"ner", spans({})}}});
  SearchQuery q = query();
  q.filters = {terms(ScopeEntity::kResponse, "value", {"LOC"}, "ner")};
  EXPECT_EQ(ids(q), names({4, 5}));
  q.user_id = alice_.id;
  EXPECT_EQ(ids(q), names({4}));
  q.filters = {terms(ScopeEntity::kResponse, "", {"PER", "ORG"}, "ner")};
  EXPECT_EQ(ids(q), names({4}));
  q.user_id.reset();
  q.filters = {range(ScopeEntity::kResponse, "value", 3, std::nullopt, "quality")};
  EXPECT_EQ(ids(q), names({6}));
  q.filters = {terms(ScopeEntity::kResponse, "value", {"neg"}, "sentiment")};
  EXPECT_EQ(ids(q), names({7}));
  // Replacing a response replaces its indexed labels.
  store_->upsert_response(
      recs_[4].id, alice_.id,
      ResponseInput{ResponseStatus::kSubmitted, {{"ner", spans({{"ORG", 0, 6}})}}});
  q.filters = {terms(ScopeEntity::kResponse, "value", {"LOC"}, "ner")};
  EXPECT_EQ(ids(q), names({5}));
  q.filters = {range(ScopeEntity::kResponse, "value", 1, 2, "ner")};
  EXPECT_ERROR_KIND(store_->search(q), ErrorKind::kInvalidArgument,
                    "range filter needs a rating question");
  q.filters = {terms(ScopeEntity::kResponse, "value", {"x"}, "missing")};
  EXPECT_ERROR_KIND(store_->search(q), ErrorKind::kInvalidArgument, "question 'missing' not found");
}

TEST_P(SearchTest, SortsWithMissingValuesLastAndCursorPaging) {
  SearchQuery q = query();
  q.sort = {SortKey{FilterScope{ScopeEntity::kMetadata, "", "", "year"}, SortOrder::kDesc}};
  auto got = ids(q);
  ASSERT_EQ(got.size(), 20u);
  // 2004: records 4, 9, 19 (14 has no year); ties go by insertion order in the direction of the
  // first key, so newest first here.
  EXPECT_EQ(std::vector<std::string>(got.begin(), got.begin() + 3), names({19, 9, 4}));
  EXPECT_EQ(std::vector<std::string>(got.begin() + 17, got.end()),
            names({14, 7, 0}));  // no year: last
  expect_consistent(q);
  q.sort[0].order = SortOrder::kAsc;
  got = ids(q);
  EXPECT_EQ(got[0], "r5");
  EXPECT_EQ(got[19], "r14");
  expect_consistent(q);
  // Two keys: source (terms) asc, then suggestion score desc.
  q.sort = {SortKey{FilterScope{ScopeEntity::kMetadata, "", "", "source"}, SortOrder::kAsc},
            SortKey{FilterScope{ScopeEntity::kSuggestion, "score", "ner", ""}, SortOrder::kDesc}};
  got = ids(q);
  EXPECT_EQ(std::vector<std::string>(got.begin(), got.begin() + 4), names({15, 9, 3, 1}));
  expect_consistent(q);
  q.sort = {SortKey{FilterScope{ScopeEntity::kRecord, "updated_at", "", ""}, SortOrder::kDesc}};
  store_->update_record(recs_[5].id, RecordUpdate{Metadata{{"source", std::string("jpo")}},
                                                  std::nullopt, std::nullopt});
  EXPECT_EQ(ids(q)[0], "r5");
  expect_consistent(q);
  q.sort = {SortKey{FilterScope{ScopeEntity::kRecord, "status", "", ""}, SortOrder::kAsc}};
  EXPECT_ERROR_KIND(store_->search(q), ErrorKind::kInvalidArgument,
                    "sorting by record.status is not supported");
}

TEST_P(SearchTest, CursorErrorsAndLimits) {
  SearchQuery q = query();
  q.limit = 2;
  const auto cursor = store_->search(q).next_cursor;
  ASSERT_TRUE(cursor);
  SearchQuery other = q;
  other.sort = {SortKey{FilterScope{ScopeEntity::kRecord, "updated_at", "", ""}, SortOrder::kDesc}};
  other.cursor = cursor;
  EXPECT_ERROR_KIND(store_->search(other), ErrorKind::kInvalidArgument,
                    "cursor is not valid for this query");
  other = q;
  other.cursor = "not-a-cursor!";
  EXPECT_ERROR_KIND(store_->search(other), ErrorKind::kInvalidArgument, "cursor is not valid");
  other = q;
  other.cursor = cursor;
  other.offset = 2;
  EXPECT_ERROR_KIND(store_->search(other), ErrorKind::kInvalidArgument,
                    "offset must be 0 when a cursor is given");
  other = q;
  other.limit = 1001;
  EXPECT_ERROR_KIND(store_->search(other), ErrorKind::kInvalidArgument, "limit must be in 1..1000");
  other.limit = 0;
  EXPECT_ERROR_KIND(store_->search(other), ErrorKind::kInvalidArgument, "limit must be in 1..1000");
  other = q;
  other.filters.assign(51, terms(ScopeEntity::kRecord, "status", {"pending"}));
  EXPECT_ERROR_KIND(store_->search(other), ErrorKind::kInvalidArgument, "at most 50 filters");
  other = q;
  other.shuffle = true;
  EXPECT_ERROR_KIND(store_->search(other), ErrorKind::kInvalidArgument,
                    "shuffled order needs the user");
  // Records added after a cursor was issued are reached by continuing with it.
  q.cursor = cursor;
  store_->bulk_create_records(f_.dataset.id, {text_record("late", "late")});
  q.limit = 1000;
  const auto rest = ids(q);
  EXPECT_EQ(rest.front(), "r2");
  EXPECT_EQ(rest.back(), "late");
  EXPECT_EQ(rest.size(), 19u);
}

// The shuffled orders are the documented formulas over the record ids, the same on every engine.
// recs_ came in one bulk create, so their seqs are consecutive and follow the vector's order.
std::vector<std::string> expected_shuffle(const std::vector<Record>& recs,
                                          const std::string& user_id, bool rotation) {
  const auto n = static_cast<std::int64_t>(recs.size());
  const QueuePosition start = queue_start(user_id, 0, n - 1);
  std::vector<std::pair<std::int64_t, std::size_t>> keyed;
  for (std::int64_t i = 0; i < n; ++i) {
    const std::uint32_t key = shuffle_key(recs[i].id);
    const QueuePosition pos{queue_bucket(key), i};
    // Rotation: positions from the start on, then the ones before it.
    const std::int64_t rank =
        rotation ? (pos < start ? 1 : 0) * (n * kQueueBuckets) + pos.bucket * n + pos.seq
                 : shuffle_rank(key, user_id);
    keyed.emplace_back(rank, i);
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<std::string> out;
  for (const auto& [k, i] : keyed) out.push_back(*recs[i].external_id);
  return out;
}

TEST_P(SearchTest, ShuffledQueueIsDeterministicPerUser) {
  SearchQuery q = query();
  q.user_id = alice_.id;
  q.shuffle = true;
  const auto a1 = ids(q);
  EXPECT_EQ(a1, expected_shuffle(recs_, alice_.id, false));
  EXPECT_EQ(ids(q), a1);
  SearchQuery qb = q;
  qb.user_id = bob_.id;
  const auto b1 = ids(qb);
  EXPECT_EQ(b1, expected_shuffle(recs_, bob_.id, false));
  EXPECT_NE(a1, b1);
  expect_consistent(q);
  for (int offset : {0, 7, 19}) {
    SearchQuery page = q;
    page.limit = 4;
    page.offset = offset;
    EXPECT_EQ(ids(page), std::vector<std::string>(a1.begin() + offset,
                                                  a1.begin() + std::min<int>(offset + 4, 20)));
  }
  // The Pending tab drops what alice answered, keeping the order of the rest.
  store_->create_response(recs_[0].id, alice_.id, ResponseInput{ResponseStatus::kDraft, {}});
  q.filters = {terms(ScopeEntity::kResponse, "status", {"pending"}),
               terms(ScopeEntity::kRecord, "status", {"pending"})};
  auto expected = a1;
  expected.erase(std::find(expected.begin(), expected.end(), "r0"));
  EXPECT_EQ(ids(q), expected);
  expect_consistent(q);
}

TEST_P(SearchTest, LargeDatasetsUseTheIndexedRotation) {
  StoreOptions options;
  options.shuffle_hash_max_records = 10;  // treat the 20 records as a large dataset
  store_ = reopen(options);
  SearchQuery q = query();
  q.user_id = alice_.id;
  q.shuffle = true;
  const auto a1 = ids(q);
  EXPECT_EQ(a1, expected_shuffle(recs_, alice_.id, true));
  expect_consistent(q);
  for (int offset : {0, 9, 17}) {
    SearchQuery page = q;
    page.limit = 5;
    page.offset = offset;
    EXPECT_EQ(ids(page), std::vector<std::string>(a1.begin() + offset,
                                                  a1.begin() + std::min<int>(offset + 5, 20)));
  }
  {
    // A cursor keeps its start: records added between pages neither shift nor repeat the order.
    SearchQuery paged = q;
    paged.limit = 6;
    const SearchResult first = store_->search(paged);
    const auto late = store_->bulk_create_records(
        f_.dataset.id, {text_record("late one", "late1"), text_record("late two", "late2")});
    paged.cursor = first.next_cursor;
    paged.limit = 1000;
    std::vector<std::string> seen;
    for (const auto& item : first.items) seen.push_back(*item.record.external_id);
    for (const auto& id : ids(paged))
      if (id.rfind("late", 0) != 0) seen.push_back(id);
    EXPECT_EQ(seen, a1);
    store_->delete_records(f_.dataset.id, {late.records[0].id, late.records[1].id});
  }
  q.filters = {terms(ScopeEntity::kResponse, "status", {"pending"}),
               terms(ScopeEntity::kRecord, "status", {"pending"})};
  store_->create_response(recs_[5].id, alice_.id,
                          ResponseInput{ResponseStatus::kSubmitted, {{"ner", spans({})}}});
  auto expected = a1;
  expected.erase(std::find(expected.begin(), expected.end(), "r5"));
  EXPECT_EQ(ids(q), expected);
  expect_consistent(q);
  // A cursor from the small-dataset order is refused once the order changed.
  SearchQuery small = query();
  small.user_id = bob_.id;
  small.shuffle = true;
  small.limit = 2;
  StoreOptions hash_options;
  auto hash_store = reopen(hash_options);
  small.cursor = hash_store->search(small).next_cursor;
  EXPECT_ERROR_KIND(store_->search(small), ErrorKind::kInvalidArgument, "cursor is not valid");
}

TEST_P(SearchTest, QueueIncludesOnlyMyResponsesAndSuggestions) {
  store_->create_response(recs_[3].id, bob_.id,
                          ResponseInput{ResponseStatus::kDraft, {{"ner", spans({{"PER", 0, 6}})}}});
  store_->create_response(recs_[3].id, alice_.id, ResponseInput{ResponseStatus::kDraft, {}});
  SearchQuery q = query();
  q.user_id = alice_.id;
  q.shuffle = true;
  q.filters = {terms(ScopeEntity::kResponse, "status", {"draft"})};
  q.include.responses = true;
  q.include.responses_user_id = alice_.id;
  q.include.suggestions = true;
  const SearchResult r = store_->search(q);
  ASSERT_EQ(r.items.size(), 1u);
  const Record& rec = r.items[0].record;
  EXPECT_EQ(rec.external_id, "r3");
  ASSERT_EQ(rec.responses->size(), 1u);
  EXPECT_EQ((*rec.responses)[0].user_id, alice_.id);
  ASSERT_EQ(rec.suggestions->size(), 1u);
  EXPECT_EQ(rec.suggestions->front().agent, "model-a");
  EXPECT_EQ(r.total, 1);
}

}  // namespace
}  // namespace spanloop::store::testing
