// Full-text search on both engines (same words, same results) and the word splitter behind it.
#include "store/sql/text_index.h"
#include "store_fixture.h"

namespace spanloop::store::testing {
namespace {

SPANLOOP_STORE_SUITE(TextSearchTest);

const std::vector<std::string> kTexts = {
    "The κ-value of the alloy is 5 µm at 20 °C.",
    "Semiconductor wafer with a silicon substrate",
    "A WAFER-level package ™ and a 😀 smile",
    "Straße und Grüße aus München",
    "ΚΑΠΠΑ uppercase and κάππα lowercase",
    "wafer silicon semiconductor, reversed order",
    "𝐀𝐁𝐂 math letters and cafe\u0301 with a combining accent\r\nnext line",
};

class Texts {
 public:
  Texts(Store& store, const std::string& dataset_id) : store_(store), dataset_id_(dataset_id) {}
  std::vector<int> find(const std::string& q, std::optional<std::string> field = std::nullopt) {
    SearchQuery query;
    query.dataset_id = dataset_id_;
    query.text = TextQuery{q, field};
    query.limit = 100;
    const SearchResult r = store_.search(query);
    std::vector<int> out;
    for (const auto& h : r.items) out.push_back(std::stoi(h.record.external_id->substr(1)));
    EXPECT_EQ(r.total, static_cast<std::int64_t>(out.size())) << q;
    return out;
  }

 private:
  Store& store_;
  std::string dataset_id_;
};

TEST_P(TextSearchTest, WordsPhrasesPrefixesAndExclusions) {
  const auto f = make_dataset();
  std::vector<RecordInput> items;
  for (std::size_t i = 0; i < kTexts.size(); ++i)
    items.push_back(text_record(kTexts[i], "t" + std::to_string(i)));
  store_->bulk_create_records(f.dataset.id, items);
  Texts t(*store_, f.dataset.id);
  EXPECT_EQ(t.find("wafer"), (std::vector<int>{1, 2, 5}));
  EXPECT_EQ(t.find("WAFER silicon"), (std::vector<int>{1, 5}));
  EXPECT_EQ(t.find("\"silicon substrate\""), (std::vector<int>{1}));
  EXPECT_EQ(t.find("\"substrate silicon\""), (std::vector<int>{}));
  EXPECT_EQ(t.find("semi*"), (std::vector<int>{1, 5}));
  EXPECT_EQ(t.find("wafer -silicon"), (std::vector<int>{2}));
  EXPECT_EQ(t.find("-silicon"), (std::vector<int>{}));      // nothing positive to match
  EXPECT_EQ(t.find("wafer-level"), (std::vector<int>{2}));  // split like the text: a phrase
  EXPECT_EQ(t.find("κ"), (std::vector<int>{0}));
  EXPECT_EQ(t.find("Κ-VALUE"), (std::vector<int>{0}));
  EXPECT_EQ(t.find("µm"), (std::vector<int>{0}));
  EXPECT_EQ(t.find("20 5"), (std::vector<int>{0}));
  EXPECT_EQ(t.find("straße münchen"), (std::vector<int>{3}));
  EXPECT_EQ(t.find("MÜNCHEN"), (std::vector<int>{3}));
  EXPECT_EQ(t.find("κάππα"), (std::vector<int>{4}));
  EXPECT_EQ(t.find("καππα"), (std::vector<int>{4}));  // ΚΑΠΠΑ folds to καππα (no accent)
  EXPECT_EQ(t.find("𝐀𝐁𝐂"), (std::vector<int>{6}));
  EXPECT_EQ(t.find("cafe\u0301"), (std::vector<int>{6}));
  EXPECT_EQ(t.find("next line"), (std::vector<int>{6}));
  // Symbols and emoji separate words and are not searchable.
  EXPECT_EQ(t.find("😀"), (std::vector<int>{}));
  EXPECT_EQ(t.find("™ package"), (std::vector<int>{2}));
  EXPECT_EQ(t.find("   "), (std::vector<int>{}));
  EXPECT_EQ(t.find("\"unclosed phrase"), (std::vector<int>{}));
  EXPECT_EQ(t.find("wafer", "text"), (std::vector<int>{1, 2, 5}));
  EXPECT_ERROR_KIND(t.find("wafer", "title"), ErrorKind::kInvalidArgument,
                    "field 'title' not found in dataset");
}

TEST_P(TextSearchTest, TermsMayMatchInDifferentFieldsUnlessOneIsNamed) {
  const Workspace w = store_->create_workspace("ws");
  const Dataset d = store_->create_dataset(DatasetCreate{w.id, "two", std::nullopt, true, {}, {}});
  store_->create_field(d.id, FieldCreate{"title", "Title", true, false});
  store_->create_field(d.id, FieldCreate{"text", "Text", true, false});
  SpanQuestionSettings span;
  span.field = "text";
  span.options = {{"X", "X", std::nullopt, std::nullopt}};
  store_->create_question(d.id, QuestionCreate{"ner", "NER", std::nullopt, true, span});
  store_->publish_dataset(d.id);
  RecordInput a;
  a.external_id = "t0";
  a.fields = {{"title", "Alpha device"}, {"text", "beta gamma"}};
  RecordInput b;
  b.external_id = "t1";
  b.fields = {{"title", "Beta"}, {"text", "alpha beta"}};
  store_->bulk_create_records(d.id, {a, b});
  Texts t(*store_, d.id);
  EXPECT_EQ(t.find("alpha beta"), (std::vector<int>{0, 1}));
  EXPECT_EQ(t.find("alpha beta", "text"), (std::vector<int>{1}));
  EXPECT_EQ(t.find("device gamma"), (std::vector<int>{0}));
  EXPECT_EQ(t.find("alpha -device"), (std::vector<int>{1}));
  EXPECT_EQ(t.find("\"alpha beta\"", "title"), (std::vector<int>{}));
}

TEST_P(TextSearchTest, IndexFollowsDeletesAndCombinesWithFilters) {
  const auto f = make_dataset();
  const User u = make_user("u");
  auto recs = store_
                  ->bulk_create_records(f.dataset.id, {text_record("silicon wafer", "t0"),
                                                       text_record("silicon die", "t1"),
                                                       text_record("glass wafer", "t2")})
                  .records;
  Texts t(*store_, f.dataset.id);
  EXPECT_EQ(t.find("silicon"), (std::vector<int>{0, 1}));
  store_->delete_record(recs[0].id);
  EXPECT_EQ(t.find("silicon"), (std::vector<int>{1}));
  store_->bulk_create_records(f.dataset.id, {text_record("silicon again", "t3")});
  EXPECT_EQ(t.find("silicon"), (std::vector<int>{1, 3}));
  store_->create_response(recs[1].id, u.id,
                          ResponseInput{ResponseStatus::kSubmitted, {{"ner", spans({})}}});
  SearchQuery q;
  q.dataset_id = f.dataset.id;
  q.text = TextQuery{"silicon", std::nullopt};
  q.user_id = u.id;
  q.shuffle = true;
  q.filters = {TermsFilter{FilterScope{ScopeEntity::kResponse, "status", "", ""}, {"pending"}}};
  const SearchResult r = store_->search(q);
  ASSERT_EQ(r.items.size(), 1u);
  EXPECT_EQ(r.items[0].record.external_id, "t3");
  EXPECT_EQ(r.total, 1);
}

TEST_P(TextSearchTest, TextsDeletedOrAddedBeforeIndexingAreHandled) {
  StoreOptions options;
  options.background_indexing = false;  // SQLite: index only when a text search needs it
  store_ = reopen(options);
  const auto f = make_dataset();
  auto recs = store_
                  ->bulk_create_records(f.dataset.id, {text_record("quartz crystal", "t0"),
                                                       text_record("quartz glass", "t1")})
                  .records;
  store_->delete_record(recs[0].id);  // never indexed: nothing to remove from the index
  Texts t(*store_, f.dataset.id);
  EXPECT_EQ(t.find("quartz"), (std::vector<int>{1}));
  store_->bulk_create_records(f.dataset.id, {text_record("quartz sand", "t2")});
  store_->delete_record(recs[1].id);  // indexed by the search above: removed from the index
  EXPECT_EQ(t.find("quartz"), (std::vector<int>{2}));
  // A store with background indexing on another connection sees the same.
  auto other = reopen();
  Texts t2(*other, f.dataset.id);
  EXPECT_EQ(t2.find("sand"), (std::vector<int>{2}));
}

TEST_P(TextSearchTest, IndexOnlyPagesMatchTheGeneralPath) {
  const auto f = make_dataset();
  const auto g = make_dataset("other");
  std::vector<RecordInput> items;
  for (int i = 0; i < 40; ++i)
    items.push_back(
        text_record(i % 3 ? "laser diode " + std::to_string(i) : "fiber " + std::to_string(i),
                    "t" + std::to_string(i)));
  store_->bulk_create_records(f.dataset.id, items);
  store_->bulk_create_records(g.dataset.id, {text_record("laser in another dataset", "x")});
  // Text alone is answered from the full-text index; adding an always-true filter takes the
  // general path. Both must page identically (offsets and cursors) and count the same.
  auto pages = [&](bool general, bool cursor) {
    SearchQuery q;
    q.dataset_id = f.dataset.id;
    q.text = TextQuery{"laser", std::nullopt};
    q.limit = 7;
    if (general)
      q.filters = {TermsFilter{FilterScope{ScopeEntity::kRecord, "status", "", ""},
                               {"pending", "completed"}}};
    std::vector<std::string> out;
    for (int page = 0; page < 10; ++page) {
      if (!cursor) q.offset = page * 7;
      const SearchResult r = store_->search(q);
      EXPECT_EQ(r.total, 26);
      for (const auto& h : r.items) out.push_back(*h.record.external_id);
      if (!r.next_cursor) break;
      if (cursor) q.cursor = r.next_cursor;
    }
    return out;
  };
  const auto expected = pages(true, false);
  ASSERT_EQ(expected.size(), 26u);
  EXPECT_EQ(expected.front(), "t1");
  EXPECT_EQ(pages(false, false), expected);
  EXPECT_EQ(pages(false, true), expected);
  EXPECT_EQ(pages(true, true), expected);
  // An offset past the last match still counts every match (PostgreSQL reads the page and the
  // total in one query, which then returns no row to carry the total).
  SearchQuery past;
  past.dataset_id = f.dataset.id;
  past.text = TextQuery{"laser", std::nullopt};
  past.offset = 30;
  const SearchResult r = store_->search(past);
  EXPECT_TRUE(r.items.empty());
  EXPECT_EQ(r.total, 26);
  // The index's dataset and field scope marks ('#<dataset>') are not words a query can reach:
  // "#1" is the word "1" (of "laser diode 1" only).
  past.offset = 0;
  past.text = TextQuery{"#1", std::nullopt};
  const SearchResult one = store_->search(past);
  EXPECT_EQ(one.total, 1);
  ASSERT_EQ(one.items.size(), 1u);
  EXPECT_EQ(one.items[0].record.external_id, "t1");
}

// ---- the word splitter and query translation (engine-independent) ----

TEST(TextIndexTest, WordsAreLetterDigitMarkRunsLowercased) {
  using sql::fts_words;
  EXPECT_EQ(fts_words("The κ-value: 5µm, 20°C!"),
            (std::vector<std::string>{"the", "κ", "value", "5µm", "20", "c"}));
  EXPECT_EQ(fts_words("ΚΑΠΠΑ Straße 😀x™y"),
            (std::vector<std::string>{"καππα", "straße", "x", "y"}));
  EXPECT_EQ(fts_words("cafe\u0301\r\nnext"), (std::vector<std::string>{"cafe\u0301", "next"}));
  EXPECT_EQ(fts_words("𝐀𝐁𝐂 1.5"), (std::vector<std::string>{"𝐀𝐁𝐂", "1", "5"}));
  EXPECT_TRUE(fts_words(" -- 😀 ").empty());
}

TEST(TextIndexTest, TsvectorLiteralHasPositions) {
  EXPECT_EQ(sql::pg_tsvector_literal("a b a C"), "'a':1,3 'b':2 'c':4");
  EXPECT_EQ(sql::pg_tsvector_literal("😀"), "");
}

TEST(TextIndexTest, QueryTranslation) {
  const auto q = sql::parse_text_query("Wafer \"silicon  substrate\" semi* -glass κ-value");
  ASSERT_EQ(q.clauses.size(), 5u);
  EXPECT_EQ(sql::fts5_match_expression(q),
            "(\"wafer\" AND \"silicon substrate\" AND \"semi\" * AND \"κ value\") NOT \"glass\"");
  EXPECT_EQ(
      sql::pg_tsquery_literal(q),
      "('wafer') & ('silicon' <-> 'substrate') & ('semi':*) & !('glass') & ('κ' <-> 'value')");
  EXPECT_TRUE(sql::parse_text_query("😀 ™").matches_nothing());
  EXPECT_TRUE(sql::parse_text_query("-only").matches_nothing());
  EXPECT_TRUE(sql::parse_text_query(std::string("bad\xff", 4)).matches_nothing());
}

}  // namespace
}  // namespace spanloop::store::testing
