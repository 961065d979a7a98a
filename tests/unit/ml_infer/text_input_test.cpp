// TextInputReader (lines, CSV, JSONL) and the JSON form of entities.
#include "ml/infer/text_input.h"

#include <gtest/gtest.h>

#include <sstream>

#include "ml/infer/entity_json.h"
#include "support/test_support.h"

namespace spanloop::ml {
namespace {

std::vector<TextRecord> read_all(const std::string& data, TextFormat format,
                                 const std::string& field = "text") {
  std::istringstream in(data);
  TextInputReader reader(in, "input", format, field);
  std::vector<TextRecord> out;
  TextRecord r;
  while (reader.next(r)) out.push_back(r);
  return out;
}

TEST(TextInput, LinesKeepTextsAsTheyAre) {
  const auto r = read_all("a high-\xCE\xBA layer\r\n  spaced  \nlast", TextFormat::kLines);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].text, "a high-\xCE\xBA layer");
  EXPECT_EQ(r[1].text, "  spaced  ");
  EXPECT_EQ(r[2].id, "line 3");
}

TEST(TextInput, CsvColumnWithQuotedNewlinesAndIds) {
  const auto r = read_all("id,text\nUS-1:1,\"a, b\nc\"\nUS-2:1,second\n", TextFormat::kCsv);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].id, "US-1:1");
  EXPECT_EQ(r[0].text, "a, b\nc");
  EXPECT_EQ(r[1].line, 4u);
}

TEST(TextInput, JsonlFieldAndIds) {
  const auto r = read_all("{\"id\":\"x\",\"claim\":\"one\"}\n\n{\"id\":7,\"claim\":\"two\"}\n",
                          TextFormat::kJsonl, "claim");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].id, "x");
  EXPECT_EQ(r[1].id, "7");
  EXPECT_EQ(r[1].line, 3u);
}

TEST(TextInput, BadRecordsNameFileAndLine) {
  EXPECT_ERROR_KIND(read_all("ok\nbad \xC3\x28 byte\n", TextFormat::kLines),
                    ErrorKind::kInvalidArgument, "input:2: invalid UTF-8 at byte 4");
  EXPECT_ERROR_KIND(read_all("ok\n\nmore\n", TextFormat::kLines), ErrorKind::kInvalidArgument,
                    "input:2: empty text");
  EXPECT_ERROR_KIND(read_all("{\"text\":\"a\"}\n{\"body\":\"b\"}\n", TextFormat::kJsonl),
                    ErrorKind::kInvalidArgument, "input:2: no field 'text'");
  EXPECT_ERROR_KIND(read_all("{\"text\":3}\n", TextFormat::kJsonl), ErrorKind::kInvalidArgument,
                    "input:1: field 'text' is not a string");
  EXPECT_ERROR_KIND(read_all("{\"text\":\n", TextFormat::kJsonl), ErrorKind::kInvalidArgument,
                    "input:1: not a JSON object");
  EXPECT_ERROR_KIND(read_all("id,body\n1,x\n", TextFormat::kCsv), ErrorKind::kInvalidArgument,
                    "input:1: no column 'text'");
  EXPECT_ERROR_KIND(read_all("id,text\n1,\"unterminated\n", TextFormat::kCsv),
                    ErrorKind::kInvalidArgument, "input:2:");
  EXPECT_ERROR_KIND(TextInputReader("/nonexistent/claims.txt", "text"), ErrorKind::kNotFound,
                    "/nonexistent/claims.txt");
}

TEST(TextInput, FormatFromExtension) {
  EXPECT_EQ(text_format_for("a/claims.csv"), TextFormat::kCsv);
  EXPECT_EQ(text_format_for("b.jsonl"), TextFormat::kJsonl);
  EXPECT_EQ(text_format_for("c.txt"), TextFormat::kLines);
}

TEST(EntityJson, KeysFollowTheAggregation) {
  Entity e;
  e.label = "B-Material";
  e.score = 0.52146786f;
  e.word = "high-\xCE\xBA";
  e.start = 2;
  e.end = 8;
  e.index = 3;
  EXPECT_EQ(
      entities_to_json({e}, Aggregation::kNone),
      "[{\"entity\":\"B-Material\",\"score\":0.52146786,\"index\":3,\"word\":\"high-\xCE\xBA\","
      "\"start\":2,\"end\":8}]");
  e.label = "Material";
  EXPECT_EQ(prediction_json_line("c1", {e}, Aggregation::kFirst),
            "{\"id\":\"c1\",\"entities\":[{\"entity_group\":\"Material\",\"score\":0.52146786,"
            "\"word\":\"high-\xCE\xBA\",\"start\":2,\"end\":8}]}");
}

}  // namespace
}  // namespace spanloop::ml
