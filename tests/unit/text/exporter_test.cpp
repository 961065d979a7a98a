// DatasetExporter: what the store's export calls (records in, any format out, report + label map).
#include "text/exporter.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "support/test_support.h"
#include "text/hf_dataset.h"

namespace spanloop::text {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const SpanRecord kClaim{"US-1:1",
                        "A \u03ba-type magnet at \u2264 20 \u00b0C",
                        {{2, 15, "Component"}, {21, 25, "Value"}},
                        {},
                        0};
const SpanRecord kNested{
    "US-1:2", "thin film magnetic head", {{0, 23, "Component"}, {10, 18, "Attribution"}}, {}, 0};

ExportOptions options(DatasetFormat format, const fs::path& out) {
  ExportOptions o;
  o.format = format;
  o.output = out;
  o.labels = {"Component", "Value", "Attribution"};
  o.tokenizer = "bert";
  return o;
}

TEST(Exporter, ConllWithReportAndLabelMap) {
  testing::TempDir dir;
  ExportOptions o = options(DatasetFormat::kConll, dir.path() / "train.conll");
  o.tagging.overlap = OverlapPolicy::kLongest;
  DatasetExporter out(o);
  out.add(kClaim);
  out.add(kNested);
  const ExportResult r = out.finish();
  EXPECT_EQ(r.records_written, 2u);
  ASSERT_TRUE(r.tagging);
  EXPECT_EQ(r.tagging->count(AlignmentOutcome::kExpanded), 1u);  // "20 °" cuts "°C"
  EXPECT_EQ(r.tagging->overlap_dropped, 1u);
  EXPECT_EQ(LabelMap::read_file(dir.path() / "train.labels.json"),
            LabelMap(o.labels, Scheme::kIOB2));
  EXPECT_NE(slurp(o.output).find("20 B-Value\n\u00b0C I-Value\n"), std::string::npos);
  EXPECT_NE(r.to_text().find("overlap (longest): overlapping spans 2 in 1 records, dropped 1"),
            std::string::npos)
      << r.to_text();
  EXPECT_ERROR_KIND(out.add(kClaim), ErrorKind::kFailedPrecondition, "after finish");
}

TEST(Exporter, LayersWithoutACountAreHeldUntilFinish) {
  testing::TempDir dir;
  ExportOptions o = options(DatasetFormat::kConll, dir.path() / "l.conll");
  o.tagging.overlap = OverlapPolicy::kLayers;
  DatasetExporter out(o);
  out.add(kClaim);
  out.add(kNested);
  EXPECT_EQ(slurp(o.output), "") << "nothing written before the layer count is known";
  const ExportResult r = out.finish();
  EXPECT_EQ(r.layers, 2u);
  EXPECT_NE(slurp(o.output).find("A O O\n"), std::string::npos);
  EXPECT_NE(slurp(o.output).find("magnetic I-Component B-Attribution\n"), std::string::npos);
}

TEST(Exporter, AFailedRecordChangesNeitherOutputNorReport) {
  testing::TempDir dir;
  ExportOptions o = options(DatasetFormat::kConll, dir.path() / "x.conll");
  o.tokenizer = "regex:[a-z]+ [a-z]+";  // tokens with a space inside: CoNLL cannot hold them
  DatasetExporter out(o);
  const SpanRecord film{"f", "thin film", {{0, 9, "Component"}}, {}, 0};
  EXPECT_ERROR_KIND(out.add(film), ErrorKind::kInvalidArgument,
                    "'thin film' is empty or contains whitespace");
  const SpanRecord ab{"ok", "ab", {}, {}, 0};
  out.add(ab);
  const ExportResult r = out.finish();
  EXPECT_EQ(r.tagging->records, 1u) << "only 'ab' (which has no token for this pattern) counts";
  EXPECT_EQ(r.tagging->spans, 0u) << "the failed record was undone";
  EXPECT_EQ(r.records_empty, 1u);
  EXPECT_ERROR_KIND(DatasetExporter(ExportOptions{.format = DatasetFormat::kConll,
                                                  .output = dir.path() / "y.conll",
                                                  .labels = {"Chemical compound"}}),
                    ErrorKind::kInvalidArgument, "label 'Chemical compound' contains whitespace");
}

TEST(Exporter, HfSplitsAndSpanFormats) {
  testing::TempDir dir;
  {
    DatasetExporter out(options(DatasetFormat::kHf, dir.path() / "hf"));
    out.add(kClaim, "train");
    out.add(kClaim, "test");
    out.add(kClaim);  // the default split
    out.finish();
    EXPECT_EQ(read_hf_dataset_info(dir.path() / "hf").splits,
              (std::vector<std::string>{"train", "test"}));
  }
  for (DatasetFormat f : {DatasetFormat::kJsonl, DatasetFormat::kCsv, DatasetFormat::kTsv}) {
    const fs::path path = dir.path() / ("spans." + std::string(dataset_format_name(f)));
    DatasetExporter out(options(f, path));
    out.add(kClaim);
    const ExportResult r = out.finish();
    EXPECT_FALSE(r.tagging.has_value());
    EXPECT_NE(slurp(path).find("\u2264 20 \u00b0C"), std::string::npos);
    EXPECT_TRUE(fs::exists(r.label_map_path)) << r.label_map_path;
  }
}

}  // namespace
}  // namespace spanloop::text
