// JSONL spans and JSONL tokens reading/writing, and the Hugging Face dataset folder.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/test_support.h"
#include "text/hf_dataset.h"
#include "text/jsonl_spans.h"
#include "text/jsonl_tokens.h"

namespace spanloop::text {
namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(JsonlSpansReader, PatentFixtureWithExtraFields) {
  JsonlSpansReader reader(testing::test_data_dir() / "text" / "formats" / "patent.jsonl");
  SpanRecord r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.id, "US-1-B2");
  EXPECT_EQ(r.line, 1u);
  ASSERT_EQ(r.spans.size(), 3u);
  EXPECT_EQ(r.spans[1], (Span{21, 26, "Value"}));
  EXPECT_EQ(r.extra, (Fields{{"section", "\"claims\""}}));
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.spans[0], (Span{4, 12, "Component"}));  // the astral letters are one code point each
  EXPECT_EQ(r.extra, (Fields{{"meta", "{\"claim\":2,\"dependent\":true}"}}));
  EXPECT_NE(r.text.find("\r\n\t"), std::string::npos);
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.id, "3");
  EXPECT_FALSE(reader.next(r));
}

TEST(JsonlSpansReader, ErrorsNameFileLineAndProblem) {
  auto first_error = [](const std::string& content) {
    std::istringstream in(content);
    JsonlSpansReader reader(in, "d.jsonl");
    SpanRecord r;
    while (reader.next(r)) {
    }
  };
  EXPECT_ERROR_KIND(first_error("{\"text\": \"a\"}\n{\"text\": \"b\",}\n"),
                    ErrorKind::kInvalidArgument, "d.jsonl:2: invalid JSON");
  EXPECT_ERROR_KIND(first_error("{\"id\": \"x\"}\n"), ErrorKind::kInvalidArgument,
                    "d.jsonl:1: \"text\" (a string) is missing");
  EXPECT_ERROR_KIND(
      first_error("{\"id\": \"r\", \"text\": \"\U0001D400b\", \"spans\": [{\"start\": 0, \"end\": "
                  "3, \"label\": \"X\"}]}\n"),
      ErrorKind::kInvalidArgument,
      "d.jsonl:1: record 'r': span #0 [0, 3) 'X' ends past the end of the text (2 code points)");
  EXPECT_ERROR_KIND(
      first_error(
          "{\"text\": \"ab\", \"spans\": [{\"start\": -1, \"end\": 1, \"label\": \"X\"}]}\n"),
      ErrorKind::kInvalidArgument, "\"start\" must be a non-negative integer");
  EXPECT_ERROR_KIND(
      first_error(
          "{\"text\": \"ab\", \"spans\": [{\"start\": 1, \"end\": 1, \"label\": \"X\"}]}\n"),
      ErrorKind::kInvalidArgument, "is empty");
  EXPECT_ERROR_KIND(
      first_error("{\"text\": \"ab\", \"spans\": [{\"start\": 0, \"end\": 1, \"label\": 5}]}\n"),
      ErrorKind::kInvalidArgument, "\"label\" must be a string");
  EXPECT_ERROR_KIND(first_error("[1, 2]\n"), ErrorKind::kInvalidArgument, "expected a JSON object");
  // Found by fuzzing the CLI: 200,000 nested arrays overflowed the stack in nlohmann's recursive
  // dump of an extra field. Nesting is now limited before parsing.
  const std::string deep =
      "{\"text\": \"a\", \"x\": " + std::string(200000, '[') + std::string(200000, ']') + "}\n";
  EXPECT_ERROR_KIND(first_error(deep), ErrorKind::kInvalidArgument,
                    "d.jsonl:1: JSON nested deeper than 512 levels");
  const std::string ok = "{\"text\": \"a\", \"x\": \"" + std::string(1000, '[') + "\"}\n";
  EXPECT_NO_THROW(first_error(ok)) << "brackets inside strings do not count";
  EXPECT_ERROR_KIND(first_error("{\"text\": \"a\", \"id\": [1]}\n"), ErrorKind::kInvalidArgument,
                    "\"id\" must be");
  EXPECT_ERROR_KIND(first_error("{\"text\": \"\xc3\"}\n"), ErrorKind::kInvalidArgument,
                    "d.jsonl:1: invalid UTF-8");
}

TEST(JsonlSpansReader, SkipInvalidKeepsGoing) {
  std::istringstream in("{\"text\": \"a\"}\nnot json\n\n{\"text\": \"b\", \"id\": 7}\r\n");
  JsonlSpansReader reader(in, "d.jsonl", {true});
  SpanRecord r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.id, "line 1");
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.id, "7");
  EXPECT_EQ(r.line, 4u);
  EXPECT_FALSE(reader.next(r));
  ASSERT_EQ(reader.problems().size(), 1u);
  EXPECT_EQ(reader.problems()[0].line, 2u);
}

TEST(JsonlSpansWriter, RoundTripKeepsEverything) {
  const auto path = testing::test_data_dir() / "text" / "formats" / "patent.jsonl";
  std::vector<SpanRecord> records;
  {
    JsonlSpansReader reader(path);
    SpanRecord r;
    while (reader.next(r)) records.push_back(r);
  }
  std::stringstream buffer;
  JsonlSpansWriter writer(buffer, "mem");
  for (const auto& r : records) writer.write(r);
  writer.close();
  JsonlSpansReader again(buffer, "mem");
  for (auto& expected : records) {
    SpanRecord r;
    ASSERT_TRUE(again.next(r));
    r.line = expected.line = 0;
    EXPECT_EQ(r, expected);
  }
  SpanRecord bad{"x", "t", {}, {{"spans", "1"}}, 0};
  EXPECT_ERROR_KIND(writer.write(bad), ErrorKind::kInvalidArgument,
                    "extra field 'spans' is reserved");
  SpanRecord bad_json{"x", "t", {}, {{"k", "{oops"}}, 0};
  EXPECT_ERROR_KIND(writer.write(bad_json), ErrorKind::kInvalidArgument, "not valid JSON");
}

TEST(JsonlTokens, ReadsIdsStringsLayersAndOffsets) {
  std::istringstream in(
      "{\"id\": \"a\", \"tokens\": [\"\u03ba\", \"magnet\"], \"ner_tags\": [1, 2], \"ner_tags_2\": "
      "[\"O\", \"B-X\"], \"doc\": 4}\n"
      "{\"tokens\": [\"x\"], \"ner_tags\": [0], \"text\": \"  x\", \"offsets\": [[2, 3]]}\n");
  JsonlTokensReader reader(in, "t.jsonl", {"O", "B-Material", "I-Material"});
  TokenRecord r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.id, "a");
  ASSERT_EQ(r.tags.size(), 2u);
  EXPECT_EQ(r.tags[0], (std::vector<std::string>{"B-Material", "I-Material"}));
  EXPECT_EQ(r.tags[1], (std::vector<std::string>{"O", "B-X"}));
  EXPECT_EQ(r.text, "\u03ba magnet");
  EXPECT_EQ(r.extra, (Fields{{"doc", "4"}}));
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.id, "line 2");
  EXPECT_EQ(r.text, "  x");
  EXPECT_EQ(r.tokens[0].start, 2u);
}

TEST(JsonlTokens, Errors) {
  auto first_error = [](const std::string& content, std::vector<std::string> names) {
    std::istringstream in(content);
    JsonlTokensReader reader(in, "t.jsonl", std::move(names));
    TokenRecord r;
    while (reader.next(r)) {
    }
  };
  EXPECT_ERROR_KIND(first_error("{\"tokens\": [\"a\"], \"ner_tags\": [1]}\n", {}),
                    ErrorKind::kInvalidArgument,
                    "t.jsonl:1: \"ner_tags\" holds 1, but no tag names are known");
  EXPECT_ERROR_KIND(first_error("{\"tokens\": [\"a\"], \"ner_tags\": [5]}\n", {"O"}),
                    ErrorKind::kInvalidArgument, "not a tag id below 1");
  EXPECT_ERROR_KIND(first_error("{\"tokens\": [\"a\", \"b\"], \"ner_tags\": [\"O\"]}\n", {}),
                    ErrorKind::kInvalidArgument, "must be an array as long as \"tokens\" (2)");
  EXPECT_ERROR_KIND(
      first_error("{\"tokens\": [\"a\", \"b\"], \"ner_tags\": [\"O\", \"O\"], \"text\": \"a b\", "
                  "\"offsets\": [[0, 2], [1, 3]]}\n",
                  {}),
      ErrorKind::kInvalidArgument, "offsets[1] [1, 3] is empty, overlaps the previous token");
  EXPECT_ERROR_KIND(first_error("{\"tokens\": [], \"ner_tags\": []}\n{\"ner_tags\": []}\n", {}),
                    ErrorKind::kInvalidArgument, "t.jsonl:2: \"tokens\"");
}

TEST(JsonlTokensWriter, IdsLayersAndOffsets) {
  LabelMap map({"Material"}, Scheme::kIOB2);
  std::ostringstream out;
  JsonlTokensWriter writer(out, "o.jsonl", map, {2, true});
  TokenRecord r;
  r.id = "r1";
  r.text = "a \u03ba";
  r.tokens = {{"a", 0, 1}, {"\u03ba", 2, 3}};
  r.tags = {{"O", "B-Material"}};
  r.extra = {{"doc", "3"}};
  writer.write(r);
  writer.close();
  EXPECT_EQ(out.str(),
            "{\"id\": \"r1\", \"tokens\": [\"a\", \"\u03ba\"], \"text\": \"a \u03ba\", "
            "\"offsets\": [[0, 1], [2, 3]], "
            "\"ner_tags\": [0, 1], \"ner_tags_2\": [0, 0], \"doc\": 3}\n");
  EXPECT_EQ(writer.records_written(), 1u);
  r.tags = {{"O", "B-Other"}};
  EXPECT_ERROR_KIND(writer.write(r), ErrorKind::kInvalidArgument,
                    "tag 'B-Other' is not in the label map");
  r.tags = {{"O", "O"}, {"O", "O"}, {"O", "O"}};
  EXPECT_ERROR_KIND(writer.write(r), ErrorKind::kInvalidArgument,
                    "3 tag layers, the file declares 2");
}

TEST(HfDataset, FolderLayoutLoadsWithNames) {
  testing::TempDir dir;
  const auto folder = dir.path() / "hf";
  LabelMap map({"Component", "Material"}, Scheme::kIOBES);
  {
    HfDatasetWriter writer(folder, map, {1, true});
    TokenRecord r;
    r.id = "1";
    set_tokens_joined(r, {"NiFe", "layer"});
    r.tags = {{"S-Material", "O"}};
    r.extra = {{"doc", "1"}};
    writer.write("train", r);
    writer.write("train", r);
    writer.write("validation", r);
    EXPECT_ERROR_KIND(writer.write("bad split", r), ErrorKind::kInvalidArgument,
                      "invalid split name");
    writer.finish();
  }
  const auto info = nlohmann::json::parse(slurp(folder / "dataset_info.json"));
  EXPECT_EQ(info["features"]["ner_tags"]["_type"], "Sequence");
  EXPECT_EQ(info["features"]["ner_tags"]["feature"]["_type"], "ClassLabel");
  EXPECT_EQ(info["features"]["ner_tags"]["feature"]["names"], nlohmann::json(map.tags()));
  EXPECT_EQ(info["splits"]["train"]["num_examples"], 2);
  EXPECT_EQ(info["features"]["offsets"]["feature"]["feature"]["dtype"], "int64");
  const std::string card = slurp(folder / "README.md");
  EXPECT_NE(
      card.find(
          "      class_label:\n        names:\n          '0': 'O'\n          '1': 'B-Component'\n"),
      std::string::npos)
      << card;
  EXPECT_NE(card.find("  - split: validation\n    path: validation.jsonl\n"), std::string::npos);
  EXPECT_EQ(LabelMap::read_file(folder / "label_map.json"), map);
  EXPECT_EQ(slurp(folder / "train.jsonl").find("\"doc\""), std::string::npos)
      << "extra fields are not declared";

  EXPECT_TRUE(is_hf_dataset_folder(folder));
  const HfDatasetInfo read = read_hf_dataset_info(folder);
  EXPECT_EQ(read.splits, (std::vector<std::string>{"train", "validation"}));
  EXPECT_EQ(read.tag_names, map.tags());
  JsonlTokensReader reader(hf_split_path(folder, "train"), read.tag_names);
  TokenRecord back;
  ASSERT_TRUE(reader.next(back));
  EXPECT_EQ(back.tags[0], (std::vector<std::string>{"S-Material", "O"}));
  EXPECT_ERROR_KIND(read_hf_dataset_info(dir.path() / "missing"), ErrorKind::kNotFound, "missing");
}

}  // namespace
}  // namespace spanloop::text
