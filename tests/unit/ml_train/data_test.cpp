// Training data sources: Hugging Face folders, CoNLL, JSONL tokens and spans, label maps,
// validation hold-out, and the server export over HTTP (a fake server on loopback).
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "ml/train/server_source.h"
#include "ml/train/train_data.h"
#include "ml/train/train_options.h"
#include "support/test_support.h"

namespace spanloop::ml::train {
namespace {

namespace fs = std::filesystem;

TrainOptions opts(const fs::path& data) {
  TrainOptions o;
  o.model = "m";
  o.data_path = data.string();
  return o;
}

TEST(TrainData, HuggingFaceFolderWithIntegerTags) {
  spanloop::testing::TempDir tmp;
  std::ofstream(tmp.path() / "dataset_info.json")
      << R"({"features": {"id": {"dtype": "string", "_type": "Value"},
             "tokens": {"feature": {"dtype": "string", "_type": "Value"}, "_type": "Sequence"},
             "ner_tags": {"feature": {"names": ["O", "B-Mat", "I-Mat", "B-Comp", "I-Comp"],
                                      "_type": "ClassLabel"}, "_type": "Sequence"}}})";
  std::ofstream(tmp.path() / "train.jsonl")
      << R"({"id": "a", "tokens": ["high-κ", "layer", "on", "Si"], "ner_tags": [1, 3, 0, 1]})"
         "\n"
      << R"({"id": "b", "tokens": ["SiO2", "film"], "ner_tags": [1, 2]})"
         "\n";
  std::ofstream(tmp.path() / "validation.jsonl")
      << R"({"id": "c", "tokens": ["a", "head"], "ner_tags": [0, 3]})"
         "\n";
  TrainOptions o = opts(tmp.path());
  o.valid_split = "validation";
  const TrainData d = load_train_data(o);
  EXPECT_EQ(d.labels.tags(), (std::vector<std::string>{"O", "B-Mat", "I-Mat", "B-Comp", "I-Comp"}));
  ASSERT_EQ(d.train.size(), 2u);
  EXPECT_EQ(d.train[0].words[0], "high-κ");
  EXPECT_EQ(d.train[0].tags, (std::vector<int>{1, 3, 0, 1}));
  ASSERT_EQ(d.valid.size(), 1u);
  EXPECT_EQ(d.valid[0].tags, (std::vector<int>{0, 3}));
  o.valid_split = "test";
  EXPECT_ERROR_KIND(load_train_data(o), ErrorKind::kNotFound, "split 'test'");
}

TEST(TrainData, LabelOrderFollowsDeclaredNamesNotOrderOfAppearance) {
  TaggedSentences s = parse_token_jsonl(R"({"tokens": ["x"], "tags": ["B-Z"]})"
                                        "\n",
                                        "mem", "tokens", "tags", {"O", "B-A", "I-A", "B-Z", "I-Z"});
  const auto map = label_map_for({&s});
  EXPECT_EQ(map.labels(), (std::vector<std::string>{"A", "Z"}));
  EXPECT_EQ(encode_examples(s, map)[0].tags, (std::vector<int>{3}));
}

TEST(TrainData, SchemeFollowsThePrefixesSeen) {
  auto scheme_of = [](const std::string& tags) {
    TaggedSentences s = parse_token_jsonl(R"({"tokens": ["a", "b", "c"], "tags": )" + tags + "}",
                                          "mem", "tokens", "tags", {});
    return label_map_for({&s}).scheme();
  };
  EXPECT_EQ(scheme_of(R"(["B-X", "I-X", "O"])"), text::Scheme::kIOB2);
  EXPECT_EQ(scheme_of(R"(["I-X", "I-X", "O"])"), text::Scheme::kIO);
  EXPECT_EQ(scheme_of(R"(["B-X", "E-X", "S-Y"])"), text::Scheme::kIOBES);
  EXPECT_EQ(scheme_of(R"(["B-X", "L-X", "U-Y"])"), text::Scheme::kBILOU);
}

TEST(TrainData, JsonlErrorsNameFileAndLine) {
  EXPECT_ERROR_KIND(parse_token_jsonl("{\"tokens\": [\"a\"], \"tags\": [\"O\"]}\n{\"tokens\": "
                                      "[\"a\", \"b\"], \"tags\": [\"O\"]}\n",
                                      "t.jsonl", "tokens", "tags", {}),
                    ErrorKind::kInvalidArgument, "t.jsonl:2: 2 tokens but 1 tags");
  EXPECT_ERROR_KIND(parse_token_jsonl("{\"words\": []}\n", "t.jsonl", "tokens", "tags", {}),
                    ErrorKind::kInvalidArgument, "t.jsonl:1: missing list field 'tokens'");
  EXPECT_ERROR_KIND(parse_token_jsonl("{\"tokens\": [\"a\"], \"tags\": [7]}\n", "t.jsonl", "tokens",
                                      "tags", {"O"}),
                    ErrorKind::kInvalidArgument, "tag id 7 outside the 1 declared");
  EXPECT_ERROR_KIND(parse_token_jsonl("not json\n", "t.jsonl", "tokens", "tags", {}),
                    ErrorKind::kInvalidArgument, "t.jsonl:1: invalid JSON");
}

TEST(TrainData, ConllFileAndValidationFileNextToIt) {
  spanloop::testing::TempDir tmp;
  std::ofstream(tmp.path() / "train.conll")
      << "-DOCSTART- O\n\nEU B-ORG\nrejects O\nGerman B-MISC\n\nPeter B-PER\nBlackburn I-PER\n";
  std::ofstream(tmp.path() / "dev.conll") << "Paris B-LOC\n";
  TrainOptions o = opts(tmp.path() / "train.conll");
  o.valid_split = "dev.conll";
  const TrainData d = load_train_data(o);
  EXPECT_EQ(d.labels.labels(), (std::vector<std::string>{"ORG", "MISC", "PER", "LOC"}));
  ASSERT_EQ(d.train.size(), 2u);
  EXPECT_EQ(d.train[1].words, (std::vector<std::string>{"Peter", "Blackburn"}));
  ASSERT_EQ(d.valid.size(), 1u);
}

TEST(TrainData, JsonlSpansAreTaggedWithTheScheme) {
  spanloop::testing::TempDir tmp;
  std::ofstream(tmp.path() / "spans.jsonl")
      << R"({"id": "1", "text": "A high-κ layer of HfO2", "spans": [{"start": 2, "end": 14, "label": "Material"}]})"
         "\n";
  TrainOptions o = opts(tmp.path() / "spans.jsonl");
  o.scheme = "bilou";
  const TrainData d = load_train_data(o);
  EXPECT_EQ(d.labels.scheme(), text::Scheme::kBILOU);
  ASSERT_EQ(d.train.size(), 1u);
  // bert words: A high - κ layer of HfO2
  EXPECT_EQ(d.train[0].words.size(), 7u);
  std::vector<std::string> tags;
  for (int t : d.train[0].tags) tags.push_back(d.labels.tags()[static_cast<std::size_t>(t)]);
  EXPECT_EQ(tags, (std::vector<std::string>{"O", "B-Material", "I-Material", "I-Material",
                                            "L-Material", "O", "O"}));
}

TEST(TrainData, FolderOfSpanSplitsReadsAsJsonlSpans) {
  // The layout of ../shared/data: <split>.jsonl with text + spans and no dataset_info.json.
  spanloop::testing::TempDir tmp;
  std::ofstream(tmp.path() / "train.jsonl")
      << R"({"id": "1", "text": "A steel shield", "spans": [{"start": 2, "end": 7, "label": "Material"}]})"
         "\n"
      << R"({"id": "2", "text": "the coil", "spans": [{"start": 4, "end": 8, "label": "Component"}]})"
         "\n";
  std::ofstream(tmp.path() / "validation.jsonl")
      << R"({"id": "3", "text": "copper coil", "spans": [{"start": 0, "end": 6, "label": "Material"}, {"start": 7, "end": 11, "label": "Component"}]})"
         "\n";
  TrainOptions o = opts(tmp.path());
  o.valid_split = "validation";
  const TrainData d = load_train_data(o);
  EXPECT_EQ(d.labels.tags(), (std::vector<std::string>{"O", "B-Material", "I-Material",
                                                       "B-Component", "I-Component"}));
  ASSERT_EQ(d.train.size(), 2u);
  ASSERT_EQ(d.valid.size(), 1u);
  EXPECT_EQ(d.valid[0].words, (std::vector<std::string>{"copper", "coil"}));
  EXPECT_EQ(d.valid[0].tags, (std::vector<int>{1, 3}));
  o.valid_split = "test";
  EXPECT_ERROR_KIND(load_train_data(o), ErrorKind::kNotFound, "test.jsonl");
}

TEST(TrainData, ValidFractionHoldsOutASeededSubset) {
  std::vector<WordExample> train, valid;
  for (int i = 0; i < 20; ++i) train.push_back({std::to_string(i), {"w"}, {0}});
  auto copy = train;
  split_validation(train, valid, 0.25, 42);
  EXPECT_EQ(train.size(), 15u);
  EXPECT_EQ(valid.size(), 5u);
  std::vector<WordExample> v2;
  split_validation(copy, v2, 0.25, 42);
  EXPECT_EQ(valid[0].id, v2[0].id);
}

TEST(TrainData, MissingPathIsNamed) {
  EXPECT_ERROR_KIND(load_train_data(opts("/nonexistent/data")), ErrorKind::kNotFound,
                    "/nonexistent/data");
}

TEST(ServerSource, ExportsSubmittedResponsesByDatasetName) {
  httplib::Server server;
  std::string seen_key, seen_query;
  server.Get("/api/v1/me/datasets", [&](const httplib::Request& req, httplib::Response& res) {
    seen_key = req.get_header_value("X-Argilla-Api-Key");
    res.set_content(
        R"({"items": [{"id": "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "name": "claims"}]})",
        "application/json");
  });
  server.Get(R"(/api/v1/datasets/([-0-9a-f]+)/export)", [&](const httplib::Request& req,
                                                            httplib::Response& res) {
    seen_query = req.get_param_value("format") + "," + req.get_param_value("status");
    res.set_content(
        R"({"id": "r1", "tokens": ["a", "high-κ", "layer"], "ner_tags": ["O", "B-Material", "I-Material"]})"
        "\n",
        "application/x-ndjson");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread t([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const std::string url = "http://127.0.0.1:" + std::to_string(port);

  TrainOptions o;
  o.model = "m";
  o.server = url + "/";
  o.dataset = "claims";
  o.api_key = "key-1";
  const TrainData d = load_train_data(o);
  EXPECT_EQ(seen_key, "key-1");
  EXPECT_EQ(seen_query, "iob-jsonl,submitted");
  ASSERT_EQ(d.train.size(), 1u);
  EXPECT_EQ(d.labels.labels(), (std::vector<std::string>{"Material"}));
  EXPECT_ERROR_KIND(fetch_server_export(url, "unknown", "k"), ErrorKind::kNotFound,
                    "dataset 'unknown' not found");
  server.stop();
  t.join();
  EXPECT_ERROR_KIND(fetch_server_export(url, "claims", "k"), ErrorKind::kUnavailable, "GET ");
}

}  // namespace
}  // namespace spanloop::ml::train
