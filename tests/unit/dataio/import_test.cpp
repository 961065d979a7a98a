// import_records: mappings, defaults, per-row errors, upserts, spans as suggestions/responses.
#include <nlohmann/json.hpp>
#include <sstream>

#include "dataio_fixture.h"
#include "server/dataio/import.h"

namespace spanloop::dataio::testing {
namespace {

class ImportTest : public DataioTest {
 protected:
  ImportResult run(const std::string& data, ImportFormat format, const std::string& mapping = "",
                   std::optional<std::string> user = std::nullopt, std::size_t batch = 500) {
    std::istringstream in(data);
    ImportOptions o;
    o.format = format;
    o.mapping = ImportMapping::from_json(mapping);
    o.user_id = std::move(user);
    o.batch_size = batch;
    return import_records(*store_, dataset_.id, in, o);
  }
  std::vector<store::Record> all(bool include = true) {
    store::SearchQuery q;
    q.dataset_id = dataset_.id;
    q.limit = 1000;
    q.include.suggestions = include;
    q.include.responses = include;
    std::vector<store::Record> out;
    for (auto& h : store_->search(q).items) out.push_back(std::move(h.record));
    return out;
  }
};

TEST_F(ImportTest, CsvWithMappingJoinsIdsParsesMetadataAndKeepsSpansAsSuggestions) {
  make_dataset();
  const std::string csv =
      "publication_number,sequence_id,claim,pub_year,office,entities\n"
      "US-1-B2,1,\"A κ-value ≤ 5 µm, with \"\"quotes\"\"\",2019,US,"
      "\"[{\"\"start\"\":2,\"\"end\"\":9,\"\"label\"\":\"\"Value\"\"}]\"\n"
      "US-1-B2,2,\"A substrate\nof 𝐀 steel\",2020,EP,\n";
  const auto r = run(csv, ImportFormat::kCsv,
                     R"({"fields": {"text": "claim"}, "metadata": {"year": "pub_year",
                         "office": "office"}, "external_id": ["publication_number",
                         "sequence_id"], "spans": "entities", "agent": "seed"})");
  EXPECT_EQ(r.rows, 2u);
  EXPECT_EQ(r.imported, 2u);
  EXPECT_EQ(r.created, 2u);
  EXPECT_EQ(r.error_count, 0u) << r.to_text();
  const auto records = all();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].external_id, "US-1-B2:1");
  EXPECT_EQ(records[0].fields.at("text"), "A κ-value ≤ 5 µm, with \"quotes\"");
  EXPECT_EQ(std::get<std::int64_t>(records[0].metadata.at("year")), 2019);
  EXPECT_EQ(std::get<std::string>(records[0].metadata.at("office")), "US");
  ASSERT_EQ(records[0].suggestions->size(), 1u);
  const auto& s = records[0].suggestions->front();
  EXPECT_EQ(s.agent, "seed");
  EXPECT_EQ(std::get<std::vector<store::SpanValue>>(s.value),
            (std::vector<store::SpanValue>{{"Value", 2, 9}}));
  EXPECT_EQ(records[1].fields.at("text"), "A substrate\nof 𝐀 steel");
  EXPECT_TRUE(records[1].suggestions->empty());  // empty spans cell: no suggestion
}

TEST_F(ImportTest, DefaultMappingUsesColumnsNamedLikeTheSettings) {
  make_dataset();
  const auto r = run("external_id,text,year,spans,other\n"
                     "a,Hello world,2001,\"[{\"\"start\"\":0,\"\"end\"\":5,\"\"label\"\":\"\"Component\"\"}]\",x\n",
                     ImportFormat::kCsv);
  EXPECT_EQ(r.imported, 1u) << r.to_text();
  const auto records = all();
  EXPECT_EQ(records.at(0).external_id, "a");
  EXPECT_EQ(std::get<std::int64_t>(records[0].metadata.at("year")), 2001);
  EXPECT_EQ(records[0].metadata.count("other"), 0u);  // not mapped, not declared
  EXPECT_EQ(records[0].suggestions->size(), 1u);
}

TEST_F(ImportTest, BadRowsAreListedWithTheirLineAndTheOthersImported) {
  make_dataset();
  const std::string csv =
      "id,text,year,spans\n"
      "r1,Good one,2000,\n"                                                     // line 2 ok
      "r2,,2000,\n"                                                             // 3: empty text
      "r3,Bad year,twenty,\n"                                                   // 4
      "r4,Short,2000,\"[{\"\"start\"\":0,\"\"end\"\":40,\"\"label\"\":\"\"Value\"\"}]\"\n"  // 5
      "r5,Bad label,2000,\"[{\"\"start\"\":0,\"\"end\"\":3,\"\"label\"\":\"\"PER\"\"}]\"\n"  // 6
      "r6,too,many,fields,here\n"                                                 // 7
      "r7,Spans not JSON,2000,[oops\n"                                            // 8
      "r8,\"unterminated\n";                                                      // 9
  const auto r = run(csv, ImportFormat::kCsv);
  EXPECT_EQ(r.imported, 1u);
  EXPECT_EQ(r.error_count, 7u) << r.to_text();
  ASSERT_EQ(r.errors.size(), 7u);
  EXPECT_EQ(r.errors[0].row, 3u);
  EXPECT_EQ(r.errors[1].row, 4u);
  EXPECT_EQ(r.errors[1].field, "year");
  EXPECT_NE(r.errors[1].message.find("`twenty` is not an integer"), std::string::npos);
  EXPECT_EQ(r.errors[2].row, 5u);
  EXPECT_EQ(r.errors[2].field, "spans");
  EXPECT_NE(r.errors[2].message.find("span at index 0 {label 'Value', start 0, end 40}"),
            std::string::npos)
      << r.errors[2].message;
  EXPECT_NE(r.errors[3].message.find("PER"), std::string::npos);
  EXPECT_EQ(r.errors[4].row, 7u);
  EXPECT_NE(r.errors[4].message.find("expected 4 fields"), std::string::npos);
  EXPECT_NE(r.errors[5].message.find("invalid JSON"), std::string::npos);
  EXPECT_EQ(r.errors[6].row, 9u);
  const auto json = nlohmann::json::parse(r.to_json());
  EXPECT_EQ(json["imported"], 1);
  EXPECT_EQ(json["errors"][1]["field"], "year");
  EXPECT_FALSE(json["errors"][0].contains("field") && json["errors"][0]["field"].is_null());
}

TEST_F(ImportTest, SecondImportUpsertsByExternalIdAndTheLastRowWins) {
  make_dataset();
  run("id,text,year\na,First,2000\nb,Second,2001\n", ImportFormat::kCsv);
  // Batches of 2: "a" twice in one batch must not fail; the later row wins.
  const auto r = run("id,text,year\na,First,2002\nc,Third,2003\na,First,2004\n",
                     ImportFormat::kCsv, "", std::nullopt, 2);
  EXPECT_EQ(r.imported, 3u) << r.to_text();
  EXPECT_EQ(r.created, 1u);
  EXPECT_EQ(r.updated, 2u);
  const auto records = all(false);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(std::get<std::int64_t>(records[0].metadata.at("year")), 2004);
}

TEST_F(ImportTest, JsonlSpansBecomeSubmittedResponsesOfTheUser) {
  make_dataset();
  const auto user = make_user("ann");
  const std::string jsonl =
      R"({"id": 7, "text": "A steel frame", "spans": [{"start": 2, "end": 7, "label": "Material"}], "year": 1999})"
      "\n\n"
      "not json\n"
      R"([1, 2])"
      "\n"
      R"({"id": 8, "text": 5})"
      "\n";
  const auto r = run(jsonl, ImportFormat::kJsonl, R"({"spans_as": "response"})", user.id);
  EXPECT_EQ(r.imported, 1u) << r.to_text();
  ASSERT_EQ(r.errors.size(), 3u);
  EXPECT_EQ(r.errors[0].row, 3u);
  EXPECT_NE(r.errors[0].message.find("invalid JSON"), std::string::npos);
  EXPECT_NE(r.errors[1].message.find("JSON object"), std::string::npos);
  EXPECT_EQ(r.errors[2].field, "text");
  const auto records = all();
  EXPECT_EQ(records.at(0).external_id, "7");
  EXPECT_EQ(records[0].status, store::RecordStatus::kCompleted);
  ASSERT_EQ(records[0].responses->size(), 1u);
  EXPECT_EQ(records[0].responses->front().user_id, user.id);
}

TEST_F(ImportTest, WholeRequestProblemsThrow) {
  make_dataset();
  EXPECT_ERROR_KIND(run("x,y\n1,2\n", ImportFormat::kCsv), ErrorKind::kInvalidArgument,
                    "no column `text` for the required field `text`");
  EXPECT_ERROR_KIND(run("text\nA\n", ImportFormat::kCsv, R"({"fields": {"body": "text"}})"),
                    ErrorKind::kInvalidArgument, "`body` is not a field");
  EXPECT_ERROR_KIND(run("text\nA\n", ImportFormat::kCsv, R"({"spans": "ents"})"),
                    ErrorKind::kInvalidArgument, "column `ents` (spans) is not in the file");
  EXPECT_ERROR_KIND(run("text,spans\nA,\n", ImportFormat::kCsv, R"({"spans_as": "response"})"),
                    ErrorKind::kInvalidArgument, "needs a user");
  EXPECT_ERROR_KIND(run("", ImportFormat::kCsv), ErrorKind::kInvalidArgument, "empty");
  EXPECT_ERROR_KIND(ImportMapping::from_json(R"({"colums": {}})"), ErrorKind::kInvalidArgument,
                    "unknown key `colums`");
  EXPECT_ERROR_KIND(ImportMapping::from_json("{"), ErrorKind::kInvalidArgument, "invalid JSON");
  EXPECT_ERROR_KIND(parse_import_format("xlsx"), ErrorKind::kInvalidArgument, "csv, tsv or jsonl");
}

TEST_F(ImportTest, DraftDatasetIsAFailedPrecondition) {
  make_dataset(false, false);
  EXPECT_ERROR_KIND(run("text\nA\n", ImportFormat::kCsv), ErrorKind::kFailedPrecondition,
                    "published");
}

TEST_F(ImportTest, TsvAndManyRowsAcrossBatches) {
  make_dataset();
  std::string tsv = "id\ttext\n";
  for (int i = 0; i < 1234; ++i) tsv += "r" + std::to_string(i) + "\tclaim number " + std::to_string(i) + "\n";
  const auto r = run(tsv, ImportFormat::kTsv, "", std::nullopt, 100);
  EXPECT_EQ(r.imported, 1234u);
  EXPECT_EQ(store_->dataset_progress(dataset_.id).total, 1234);
}

}  // namespace
}  // namespace spanloop::dataio::testing
