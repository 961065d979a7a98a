// Validation helpers used by the store, the API and the offline CLI (no database needed).
#include "store/validation.h"

#include <gtest/gtest.h>

#include <set>

#include "store/sql/codec.h"
#include "support/test_support.h"

namespace spanloop::store {
namespace {

SpanQuestionSettings ner(bool overlapping = false) {
  SpanQuestionSettings s;
  s.field = "text";
  s.options = {{"PER", "PER", std::nullopt, std::nullopt},
               {"LOC", "LOC", std::nullopt, std::nullopt}};
  s.allow_overlapping = overlapping;
  return s;
}

TEST(SpanValidationTest, OffsetsAreCodePoints) {
  // "😀 Zoë" is 5 code points, 9 UTF-8 bytes and 6 UTF-16 units.
  const std::string text = "😀 Zoë";
  EXPECT_NO_THROW(validate_spans({{"PER", 2, 5}}, ner(), "ner", text));
  EXPECT_NO_THROW(validate_spans({{"PER", 0, 1}}, ner(), "ner", text));
  EXPECT_ERROR_KIND(validate_spans({{"PER", 2, 6}}, ner(), "ner", text),
                    ErrorKind::kInvalidArgument,
                    "span question 'ner': span at index 0 {label 'PER', start 2, end 6}: `end` "
                    "must be lower or equal "
                    "than the length of field `text` (5 code points)");
  EXPECT_ERROR_KIND(validate_spans({{"PER", 5, 6}}, ner(), "ner", text),
                    ErrorKind::kInvalidArgument,
                    "`start` must be lower than the length of field `text` (5 code points)");
}

TEST(SpanValidationTest, AdjacentSpansDoNotOverlap) {
  const std::string text = "abcdefghij";
  EXPECT_NO_THROW(
      validate_spans({{"PER", 0, 3}, {"LOC", 3, 6}, {"PER", 6, 10}}, ner(), "ner", text));
  EXPECT_ERROR_KIND(
      validate_spans({{"PER", 6, 10}, {"LOC", 0, 3}, {"PER", 2, 4}}, ner(), "ner", text),
      ErrorKind::kInvalidArgument,
      "span at index 1 {label 'LOC', start 0, end 3} overlaps span at index 2 {label 'PER', start "
      "2, end 4}");
  // A span nested in a long one is caught even with short spans in between.
  EXPECT_ERROR_KIND(
      validate_spans({{"PER", 0, 9}, {"LOC", 1, 2}, {"LOC", 8, 9}}, ner(), "ner", text),
      ErrorKind::kInvalidArgument,
      "span at index 0 {label 'PER', start 0, end 9} overlaps span at index 1");
  EXPECT_NO_THROW(
      validate_spans({{"PER", 0, 9}, {"LOC", 1, 2}, {"LOC", 1, 2}}, ner(true), "ner", text));
}

TEST(SpanValidationTest, ManySpansAreCheckedQuickly) {
  const std::string text(20000, 'a');
  std::vector<SpanValue> many;
  for (int i = 0; i < 10000; ++i) many.push_back({i % 2 ? "PER" : "LOC", 2 * i, 2 * i + 1});
  EXPECT_NO_THROW(validate_spans(many, ner(), "ner", text));
  many.push_back({"PER", 0, 1});
  EXPECT_ERROR_KIND(validate_spans(many, ner(), "ner", text), ErrorKind::kInvalidArgument,
                    "10001 spans");
}

TEST(AnswerValidationTest, EmptyListsNormalizeToTheQuestionType) {
  Question q;
  q.name = "ner";
  q.settings = ner();
  AnswerValue empty_labels = std::vector<std::string>{};
  validate_answer(empty_labels, q, {{"text", "abc"}});
  EXPECT_TRUE(std::holds_alternative<std::vector<SpanValue>>(empty_labels));
  Question multi;
  multi.name = "tags";
  MultiLabelSelectionSettings m;
  m.options = {{"a", "A", std::nullopt, std::nullopt}, {"b", "B", std::nullopt, std::nullopt}};
  multi.settings = m;
  AnswerValue empty_spans = std::vector<SpanValue>{};
  EXPECT_ERROR_KIND(
      validate_answer(empty_spans, multi, {}), ErrorKind::kInvalidArgument,
      "multi label selection question 'tags' expects a list of values, found empty list");
  AnswerValue bad = std::vector<std::string>{"a", "z", "y"};
  EXPECT_ERROR_KIND(validate_answer(bad, multi, {}), ErrorKind::kInvalidArgument,
                    "['z', 'y'] are not valid labels for multi label selection question 'tags'");
  AnswerValue twice = std::vector<std::string>{"a", "a"};
  EXPECT_ERROR_KIND(validate_answer(twice, multi, {}), ErrorKind::kInvalidArgument,
                    "duplicates were found");
  AnswerValue missing_field = std::vector<SpanValue>{};
  EXPECT_ERROR_KIND(validate_answer(missing_field, q, {{"other", "x"}}),
                    ErrorKind::kInvalidArgument,
                    "span question 'ner' requires record to have field `text`");
}

TEST(NameValidationTest, SettingAndUserNames) {
  EXPECT_NO_THROW(validate_setting_name("field", "claim_text-2"));
  EXPECT_ERROR_KIND(validate_setting_name("field", "Claim"), ErrorKind::kInvalidArgument,
                    "field name 'Claim' is not valid");
  EXPECT_ERROR_KIND(validate_setting_name("field", std::string(201, 'a')),
                    ErrorKind::kInvalidArgument, "1..200");
  EXPECT_NO_THROW(validate_username("Ann_1-x"));
  EXPECT_ERROR_KIND(validate_username("-ann"), ErrorKind::kInvalidArgument,
                    "username '-ann' is not valid");
  EXPECT_NO_THROW(validate_dataset_name("dataset", "My dataset 2"));
  EXPECT_ERROR_KIND(validate_dataset_name("dataset", "a/b"), ErrorKind::kInvalidArgument,
                    "dataset name 'a/b'");
}

TEST(CodecTest, ValuesRoundTrip) {
  const ResponseValues values{{"ner", std::vector<SpanValue>{{"PER", 0, 3}}},
                              {"tags", std::vector<std::string>{"a", "b"}},
                              {"quality", std::int64_t{4}},
                              {"notes", std::string("κ ≤ 5 µm ™ 😀")},
                              {"empty", std::vector<SpanValue>{}}};
  const std::string json = sql::encode_response_values(values);
  const auto back =
      sql::decode_response_values(json, [](const std::string& q) -> std::optional<QuestionType> {
        if (q == "empty" || q == "ner") return QuestionType::kSpan;
        return std::nullopt;
      });
  EXPECT_EQ(back, values);
  const Metadata m{{"n", std::int64_t{-3}},
                   {"f", 0.5},
                   {"s", std::string("x")},
                   {"l", std::vector<std::string>{"a"}},
                   {"b", false},
                   {"null", std::monostate{}},
                   {"obj", RawJson{"{\"k\":[1,\"a\"]}"}}};
  EXPECT_EQ(sql::decode_metadata(sql::encode_metadata(m)), m);
  EXPECT_EQ(sql::decode_vector(sql::encode_vector({1.5f, -2.0f})),
            (std::vector<float>{1.5f, -2.0f}));
}

TEST(ModelTest, EnumsTimestampsAndIds) {
  EXPECT_EQ(to_string(QuestionType::kMultiLabelSelection), "multi_label_selection");
  EXPECT_EQ(parse_role("annotator"), Role::kAnnotator);
  EXPECT_FALSE(parse_role("root").has_value());
  EXPECT_EQ(format_timestamp(1714558272123456), "2024-05-01T10:11:12.123456");
  EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00.000000");
  const std::string id = new_uuid();
  EXPECT_EQ(id.size(), 36u);
  EXPECT_EQ(id[14], '7');  // version 7: time-ordered
  EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
  EXPECT_NE(id, new_uuid());
  // FNV-1a 32 reference values.
  EXPECT_EQ(shuffle_key(""), 2166136261u);
  EXPECT_EQ(shuffle_key("a"), 0xe40c292cu);
  // shuffle_rank is a bijection of keys for a user, and differs between users.
  std::set<std::uint32_t> ranks;
  for (std::uint32_t k = 0; k < 1000; ++k) ranks.insert(shuffle_rank(k * 2654435761u, "user-1"));
  EXPECT_EQ(ranks.size(), 1000u);
  EXPECT_NE(shuffle_rank(12345, "user-1"), shuffle_rank(12345, "user-2"));
}

}  // namespace
}  // namespace spanloop::store
