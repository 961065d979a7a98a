// Record conversion (tokens <-> spans) and the dataset conversion pipeline behind `spanloop
// convert`.
#include "text/convert.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/test_support.h"
#include "text/conll.h"
#include "text/hf_dataset.h"
#include "text/jsonl_spans.h"
#include "text/record_convert.h"

namespace spanloop::text {
namespace {

namespace fs = std::filesystem;

fs::path fixture(const std::string& name) {
  return testing::test_data_dir() / "text" / "formats" / name;
}

std::vector<SpanRecord> read_spans(const fs::path& path) {
  JsonlSpansReader reader(path);
  std::vector<SpanRecord> out;
  SpanRecord r;
  while (reader.next(r)) {
    r.line = 0;
    out.push_back(r);
  }
  return out;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(RecordConvert, SpansToTokensAndBack) {
  const auto records = read_spans(fixture("patent.jsonl"));
  SpanTagger tagger(LabelMap({"Component", "Value", "Material"}, Scheme::kBILOU), {});
  auto bert = make_pretokenizer("bert");
  for (const auto& r : records) {
    const TokenRecord tokens = to_token_record(r, tagger, *bert);
    EXPECT_EQ(tokens.text, r.text);
    const SpanRecord back = to_span_record(tokens, DecodeMode::kStrict, Scheme::kBILOU);
    auto expected = r.spans;
    std::sort(expected.begin(), expected.end(), span_less);
    EXPECT_EQ(back.spans, expected) << r.id;
    EXPECT_EQ(back.extra, r.extra);
  }
  EXPECT_EQ(tagger.report().count(AlignmentOutcome::kExact), 6u);
}

TEST(RecordConvert, LayersAreMergedAndBadLayersNamed) {
  TokenRecord r;
  r.id = "x";
  set_tokens_joined(r, {"thin", "film", "head"});
  r.tags = {{"B-C", "I-C", "I-C"}, {"O", "B-A", "O"}};
  const SpanRecord s = to_span_record(r, DecodeMode::kDefault);
  EXPECT_EQ(s.spans, (std::vector<Span>{{0, 14, "C"}, {5, 9, "A"}}));
  r.tags = {{"O"}};
  EXPECT_ERROR_KIND(to_span_record(r, DecodeMode::kDefault), ErrorKind::kInvalidArgument,
                    "record 'x': 1 tags for 3 tokens");
  r.tags = {{"O", "S-C", "O"}};
  EXPECT_ERROR_KIND(to_span_record(r, DecodeMode::kStrict, Scheme::kIOB2),
                    ErrorKind::kInvalidArgument, "record 'x': tag 'S-C'");
}

TEST(Convert, JsonlToConllAndBackIsTheIdentityForAlignedSpans) {
  testing::TempDir dir;
  ConvertOptions to_conll;
  to_conll.from = DatasetFormat::kJsonl;
  to_conll.to = DatasetFormat::kConll;
  to_conll.input = fixture("patent.jsonl");
  to_conll.output = dir.path() / "patent.conll";
  to_conll.tokenizer = "bert";
  to_conll.scheme = Scheme::kIOE1;
  const ConvertResult r = convert_dataset(to_conll);
  EXPECT_EQ(r.records_read, 3u);
  EXPECT_EQ(r.records_written, 3u);
  EXPECT_EQ(r.labels, (std::vector<std::string>{"Component", "Value", "Material"}));
  ASSERT_TRUE(r.tagging.has_value());
  EXPECT_EQ(r.tagging->count(AlignmentOutcome::kExact), 6u);
  EXPECT_EQ(r.label_map_path, dir.path() / "patent.labels.json");
  EXPECT_EQ(LabelMap::read_file(r.label_map_path), LabelMap(r.labels, Scheme::kIOE1));
  EXPECT_NE(slurp(to_conll.output)
                .find("\u03ba I-Component\n- I-Component\ntype I-Component\nmagnet I-Component\n"),
            std::string::npos);

  ConvertOptions back;
  back.from = DatasetFormat::kConll;
  back.to = DatasetFormat::kJsonl;
  back.input = to_conll.output;
  back.output = dir.path() / "back.jsonl";
  back.decode = DecodeMode::kStrict;
  back.input_scheme = Scheme::kIOE1;
  convert_dataset(back);
  const auto original = read_spans(fixture("patent.jsonl"));
  const auto again = read_spans(back.output);
  ASSERT_EQ(again.size(), 3u);
  // CoNLL keeps tokens only: the text becomes the tokens joined by spaces, so compare span texts.
  for (std::size_t i = 0; i < again.size(); ++i) {
    EXPECT_EQ(again[i].spans.size(), original[i].spans.size());
    for (const Span& s : again[i].spans) EXPECT_FALSE(s.label.empty());
  }
  EXPECT_EQ(again[0].text,
            "A \u03ba - type magnet at \u2264 20 \u00b0C with 5 \u00b5m gaps\u2122 .");
}

TEST(Convert, HfFolderKeepsOffsetsSoSpansComeBackExactly) {
  testing::TempDir dir;
  ConvertOptions to_hf;
  to_hf.from = DatasetFormat::kJsonl;
  to_hf.to = DatasetFormat::kHf;
  to_hf.input = fixture("patent.jsonl");
  to_hf.output = dir.path() / "hf";
  to_hf.tokenizer = "bert";
  to_hf.labels = {"Material", "Component", "Value"};
  to_hf.split = "validation";
  convert_dataset(to_hf);
  EXPECT_TRUE(fs::exists(dir.path() / "hf" / "validation.jsonl"));
  EXPECT_EQ(read_hf_dataset_info(dir.path() / "hf").tag_names,
            LabelMap(to_hf.labels, Scheme::kIOB2).tags());

  ConvertOptions back;
  back.from = DatasetFormat::kHf;
  back.to = DatasetFormat::kJsonl;
  back.input = dir.path() / "hf";
  back.output = dir.path() / "back.jsonl";
  const ConvertResult r = convert_dataset(back);
  EXPECT_EQ(r.labels, to_hf.labels) << "label order comes from the ClassLabel names";
  auto original = read_spans(fixture("patent.jsonl"));
  auto again = read_spans(back.output);
  ASSERT_EQ(again.size(), original.size());
  for (std::size_t i = 0; i < again.size(); ++i) {
    std::sort(original[i].spans.begin(), original[i].spans.end(), span_less);
    EXPECT_EQ(again[i].text, original[i].text);
    EXPECT_EQ(again[i].spans, original[i].spans);
  }
}

TEST(Convert, OverlapLayersBecomeTagColumns) {
  testing::TempDir dir;
  ConvertOptions o;
  o.from = DatasetFormat::kJsonl;
  o.to = DatasetFormat::kConll;
  o.input = fixture("overlap.jsonl");
  o.output = dir.path() / "ov.conll";
  o.tagging.overlap = OverlapPolicy::kLayers;
  const ConvertResult r = convert_dataset(o);
  EXPECT_EQ(r.layers, 2u);
  EXPECT_EQ(slurp(o.output),
            "thin B-Component O\nfilm I-Component O\nmagnetic I-Component B-Attribution\n"
            "head I-Component B-Location\ncore O I-Location\n\n");
  o.tagging.overlap = OverlapPolicy::kError;
  EXPECT_ERROR_KIND(convert_dataset(o), ErrorKind::kInvalidArgument,
                    "overlap.jsonl:1: record 'ov-1': span #1 [10, 18) 'Attribution'");
  o.tagging.overlap = OverlapPolicy::kLongest;
  const ConvertResult longest = convert_dataset(o);
  EXPECT_EQ(longest.tagging->overlap_dropped, 2u);
  EXPECT_EQ(longest.tagging->overlapping_spans, 3u);
}

TEST(Convert, CsvClaimsToJsonl) {
  testing::TempDir dir;
  ConvertOptions o;
  o.from = DatasetFormat::kCsv;
  o.to = DatasetFormat::kJsonl;
  o.input = fixture("claims.csv");
  o.output = dir.path() / "claims.jsonl";
  o.csv_columns = CsvColumns::parse("id=publication_number+sequence_id");
  const ConvertResult r = convert_dataset(o);
  EXPECT_EQ(r.records_written, 3u);
  const auto records = read_spans(o.output);
  EXPECT_EQ(records[1].id, "US-0000001-B2:2");
  EXPECT_FALSE(r.tagging.has_value());
}

TEST(Convert, SkipInvalidReportsFileAndLine) {
  testing::TempDir dir;
  const fs::path input = dir.path() / "in.jsonl";
  {
    std::ofstream out(input);
    out << "{\"id\": \"a\", \"text\": \"one two\", \"spans\": [{\"start\": 0, \"end\": 3, "
           "\"label\": \"X\"}]}\n"
        << "{\"id\": \"b\", \"text\": \"one\", \"spans\": [{\"start\": 0, \"end\": 9, \"label\": "
           "\"X\"}]}\n"
        << "{\"id\": \"c\", \"text\": \"one two\", \"spans\": [{\"start\": 0, \"end\": 2, "
           "\"label\": \"X\"}]}\n"
        << "{\"id\": \"d\", \"text\": \"\", \"spans\": []}\n";
  }
  ConvertOptions o;
  o.from = DatasetFormat::kJsonl;
  o.to = DatasetFormat::kConll;
  o.input = input;
  o.output = dir.path() / "out.conll";
  o.tagging.alignment = AlignmentPolicy::kStrict;
  EXPECT_ERROR_KIND(convert_dataset(o), ErrorKind::kInvalidArgument,
                    "in.jsonl:2: record 'b': span #0 [0, 9)");
  o.skip_invalid = true;
  const ConvertResult r = convert_dataset(o);
  EXPECT_EQ(r.records_read, 3u);
  EXPECT_EQ(r.records_written, 1u);
  EXPECT_EQ(r.records_skipped, 2u);
  EXPECT_EQ(r.records_empty, 1u);
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_EQ(r.problems[0].line, 2u);
  EXPECT_EQ(r.problems[1].line, 3u);
  EXPECT_NE(r.problems[1].message.find("alignment policy strict"), std::string::npos);
  EXPECT_NE(r.to_text().find("skipped records (first 2):\n  " + input.string() + ":2: record 'b'"),
            std::string::npos)
      << r.to_text();
  EXPECT_NE(r.to_json().find("\"records_skipped\": 2"), std::string::npos);
}

TEST(Convert, ConllIob1ToHfIob2KeepsEntities) {
  testing::TempDir dir;
  ConvertOptions o;
  o.from = DatasetFormat::kConll;
  o.to = DatasetFormat::kTokensJsonl;
  o.input = fixture("conll2003_sample.txt");
  o.output = dir.path() / "sample.jsonl";
  const ConvertResult r = convert_dataset(o);
  EXPECT_EQ(r.labels, (std::vector<std::string>{"ORG", "LOC", "PER"}));
  const std::string out = slurp(o.output);
  // Acme Corp / Beta Labs: two ORG entities; John Smith / Jane Doe: two PER (IOB1 B-PER split).
  EXPECT_NE(out.find("\"tokens\": [\"Acme\", \"Corp\", \"sued\", \"Beta\", \"Labs\", \"in\", "
                     "\"Paris\", \".\"]"),
            std::string::npos);
  EXPECT_NE(out.find("\"ner_tags\": [1, 2, 0, 1, 2, 0, 3, 0]"), std::string::npos) << out;
  EXPECT_NE(out.find("\"ner_tags\": [5, 6, 5, 6, 0]"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir.path() / "sample.labels.json"));
  EXPECT_ERROR_KIND(parse_dataset_format("xml"), ErrorKind::kInvalidArgument,
                    "unknown format 'xml'");
}

}  // namespace
}  // namespace spanloop::text
