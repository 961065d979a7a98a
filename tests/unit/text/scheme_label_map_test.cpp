// Scheme names and the stable label map (ids, JSON file, errors).
#include <gtest/gtest.h>

#include <fstream>

#include "support/test_support.h"
#include "text/label_map.h"
#include "text/scheme.h"

namespace spanloop::text {
namespace {

TEST(Scheme, ParsesNamesAndAliases) {
  EXPECT_EQ(parse_scheme("BIO"), Scheme::kIOB2);
  EXPECT_EQ(parse_scheme("iob2"), Scheme::kIOB2);
  EXPECT_EQ(parse_scheme("IOB1"), Scheme::kIOB1);
  EXPECT_EQ(parse_scheme("bioes"), Scheme::kIOBES);
  EXPECT_EQ(parse_scheme("IOBES"), Scheme::kIOBES);
  EXPECT_EQ(parse_scheme("BILOU"), Scheme::kBILOU);
  EXPECT_EQ(parse_scheme("io"), Scheme::kIO);
  EXPECT_EQ(parse_scheme("ioe1"), Scheme::kIOE1);
  EXPECT_EQ(parse_scheme("IOE2"), Scheme::kIOE2);
  EXPECT_ERROR_KIND(parse_scheme("iob"), ErrorKind::kInvalidArgument,
                    "unknown tagging scheme 'iob'");
  for (Scheme s : {Scheme::kIO, Scheme::kIOB1, Scheme::kIOB2, Scheme::kIOE1, Scheme::kIOE2,
                   Scheme::kIOBES, Scheme::kBILOU}) {
    EXPECT_EQ(parse_scheme(scheme_name(s)), s);
  }
}

TEST(LabelMap, OutsideFirstThenLabelsInDatasetOrder) {
  LabelMap map({"Component", "Material", "PER"}, Scheme::kIOB2);
  EXPECT_EQ(map.tags(), (std::vector<std::string>{"O", "B-Component", "I-Component", "B-Material",
                                                  "I-Material", "B-PER", "I-PER"}));
  EXPECT_EQ(map.tag_id("I-Material"), 4);
  EXPECT_EQ(map.tag_id(1, 'B'), 3);
  EXPECT_EQ(map.label_of(4), 1u);
  EXPECT_EQ(map.label_of(0), LabelMap::kNoLabel);
  EXPECT_EQ(map.prefix_of(4), 'I');
  EXPECT_EQ(map.prefix_of(0), 'O');
  EXPECT_FALSE(map.find_tag("B-LOC").has_value());
  EXPECT_ERROR_KIND(map.tag_id("B-LOC"), ErrorKind::kNotFound, "tag 'B-LOC' is not in the IOB2");
}

TEST(LabelMap, EveryScheme) {
  EXPECT_EQ(LabelMap({"X"}, Scheme::kIO).tags(), (std::vector<std::string>{"O", "I-X"}));
  EXPECT_EQ(LabelMap({"X"}, Scheme::kIOB1).tags(), (std::vector<std::string>{"O", "B-X", "I-X"}));
  EXPECT_EQ(LabelMap({"X"}, Scheme::kIOE2).tags(), (std::vector<std::string>{"O", "I-X", "E-X"}));
  EXPECT_EQ(LabelMap({"X"}, Scheme::kIOBES).tags(),
            (std::vector<std::string>{"O", "B-X", "I-X", "E-X", "S-X"}));
  EXPECT_EQ(LabelMap({"X"}, Scheme::kBILOU).tags(),
            (std::vector<std::string>{"O", "B-X", "I-X", "L-X", "U-X"}));
}

TEST(LabelMap, RejectsBadLabels) {
  EXPECT_ERROR_KIND(LabelMap({"A", "A"}, Scheme::kIOB2), ErrorKind::kInvalidArgument,
                    "label 'A' appears twice");
  EXPECT_ERROR_KIND(LabelMap({""}, Scheme::kIOB2), ErrorKind::kInvalidArgument, "is empty");
  EXPECT_ERROR_KIND(LabelMap({"O"}, Scheme::kIOB2), ErrorKind::kInvalidArgument, "outside tag");
}

TEST(LabelMap, EncodeNamesTheUnknownTag) {
  LabelMap map({"PER"}, Scheme::kIOB2);
  const std::vector<std::string> tags{"B-PER", "I-PER", "O"};
  EXPECT_EQ(map.encode(tags, "s1"), (std::vector<int>{1, 2, 0}));
  const std::vector<std::string> bad{"O", "S-PER"};
  EXPECT_ERROR_KIND(map.encode(bad, "sentence 4"), ErrorKind::kNotFound,
                    "sentence 4: tag 'S-PER' at token 1");
}

TEST(LabelMap, JsonRoundTripAndFile) {
  LabelMap map({"\u03ba-Value", "Shape"}, Scheme::kBILOU);
  const std::string json = map.to_json();
  EXPECT_NE(json.find("\"id2label\""), std::string::npos);
  EXPECT_NE(json.find("\"label2id\""), std::string::npos);
  EXPECT_EQ(LabelMap::from_json(json, "x"), map);
  testing::TempDir dir;
  const auto path = label_map_path_for(dir.path() / "train.conll", false);
  EXPECT_EQ(path.filename(), "train.labels.json");
  EXPECT_EQ(label_map_path_for(dir.path() / "hf", true).filename(), "label_map.json");
  map.write_file(path);
  EXPECT_EQ(LabelMap::read_file(path), map);
  EXPECT_ERROR_KIND(LabelMap::from_json("{\"labels\": [1]}", "f.json"), ErrorKind::kInvalidArgument,
                    "f.json");
  EXPECT_ERROR_KIND(LabelMap::from_json("{", "f.json"), ErrorKind::kInvalidArgument,
                    "f.json: invalid JSON");
  EXPECT_ERROR_KIND(
      LabelMap::from_json(R"({"scheme":"IOB2","labels":["A"],"tags":["O","I-A","B-A"]})", "m"),
      ErrorKind::kInvalidArgument, "\"tags\" does not match");
  EXPECT_ERROR_KIND(LabelMap::read_file(dir.path() / "missing.json"), ErrorKind::kNotFound,
                    "missing.json");
}

}  // namespace
}  // namespace spanloop::text
