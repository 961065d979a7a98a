// config.json parsing and writing for the four supported architectures.
#include "ml/io/model_config.h"

#include <fstream>

#include "support/test_support.h"

namespace spanloop::ml {
namespace {

using spanloop::testing::TempDir;

TEST(ModelConfig, ReadsEveryFixture) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto bert = ModelConfig::from_directory(shared / "fixtures/bert-uncased/model");
  EXPECT_EQ(bert.model_type, ModelType::kBert);
  EXPECT_EQ(bert.hidden_size, 64);
  EXPECT_EQ(bert.num_hidden_layers, 2);
  EXPECT_EQ(bert.num_attention_heads, 4);
  EXPECT_EQ(bert.intermediate_size, 256);
  EXPECT_EQ(bert.vocab_size, 3300);
  EXPECT_EQ(bert.type_vocab_size, 2);
  EXPECT_EQ(bert.hidden_act, "gelu");
  EXPECT_DOUBLE_EQ(bert.layer_norm_eps, 1e-12);
  ASSERT_EQ(bert.labels.size(), 11u);
  EXPECT_EQ(bert.labels[0], "O");
  EXPECT_EQ(bert.token_classification_architecture(), "BertForTokenClassification");

  const auto distil = ModelConfig::from_directory(shared / "fixtures/distilbert-uncased/model");
  EXPECT_EQ(distil.model_type, ModelType::kDistilBert);
  EXPECT_EQ(distil.hidden_size, 64);
  EXPECT_EQ(distil.intermediate_size, 256);
  EXPECT_EQ(distil.num_attention_heads, 4);
  EXPECT_EQ(distil.type_vocab_size, 0);
  EXPECT_DOUBLE_EQ(distil.layer_norm_eps, 1e-12);
  EXPECT_EQ(distil.base_model_prefix(), "distilbert");

  const auto roberta = ModelConfig::from_directory(shared / "fixtures/roberta/model");
  EXPECT_EQ(roberta.model_type, ModelType::kRoberta);
  EXPECT_EQ(roberta.pad_token_id, 1);
  EXPECT_EQ(roberta.position_offset(), 2);
  EXPECT_DOUBLE_EQ(roberta.layer_norm_eps, 1e-5);
  ASSERT_EQ(roberta.labels.size(), 11u);
  EXPECT_EQ(roberta.labels[10], "O");  // O last: order by id, never assume O = 0
  EXPECT_EQ(roberta.labels[0], "B-Component");

  const auto xlmr = ModelConfig::from_directory(shared / "fixtures/xlm-roberta/model");
  EXPECT_EQ(xlmr.model_type, ModelType::kXlmRoberta);
  EXPECT_EQ(xlmr.base_model_prefix(), "roberta");
  EXPECT_EQ(xlmr.token_classification_architecture(), "XLMRobertaForTokenClassification");
}

TEST(ModelConfig, WritesBackWhatItRead) {
  SPANLOOP_REQUIRE_SHARED(shared);
  TempDir tmp;
  for (const char* name :
       {"bert-uncased", "bert-cased", "distilbert-uncased", "roberta", "xlm-roberta"}) {
    const auto c = ModelConfig::from_directory(shared / "fixtures" / name / "model");
    c.save(tmp.path() / "config.json");
    const auto back = ModelConfig::from_file(tmp.path() / "config.json");
    EXPECT_EQ(back.model_type, c.model_type) << name;
    EXPECT_EQ(back.hidden_size, c.hidden_size) << name;
    EXPECT_EQ(back.intermediate_size, c.intermediate_size) << name;
    EXPECT_EQ(back.labels, c.labels) << name;
    EXPECT_EQ(back.architectures, c.architectures) << name;
    EXPECT_DOUBLE_EQ(back.layer_norm_eps, c.layer_norm_eps) << name;
    // Keys the struct does not model survive.
    EXPECT_NE(back.original_json.find("transformers_version"), std::string::npos) << name;
  }
}

TEST(ModelConfig, LabelsFromLabel2idWhenNoId2label) {
  const auto c = ModelConfig::from_json_string(
      R"({"model_type":"bert","label2id":{"B-X":1,"O":0,"I-X":2}})", "mem");
  EXPECT_EQ(c.labels, (std::vector<std::string>{"O", "B-X", "I-X"}));
  const auto json = c.to_json_string();
  EXPECT_NE(json.find("\"id2label\""), std::string::npos);
  EXPECT_NE(json.find("\"label2id\""), std::string::npos);
}

TEST(ModelConfig, DistilBertKeysAreWrittenUnderTheirOwnNames) {
  ModelConfig c = ModelConfig::from_json_string(
      R"({"model_type":"distilbert","dim":32,"n_layers":1,"n_heads":2,"hidden_dim":64})", "mem");
  const auto json = c.to_json_string();
  EXPECT_NE(json.find("\"dim\": 32"), std::string::npos) << json;
  EXPECT_NE(json.find("\"hidden_dim\": 64"), std::string::npos) << json;
  EXPECT_EQ(json.find("\"hidden_size\""), std::string::npos) << json;
}

TEST(ModelConfigErrors, UnsupportedModelTypeListsTheSupportedOnes) {
  EXPECT_ERROR_KIND(
      ModelConfig::from_json_string(R"({"model_type":"gpt2"})", "x/config.json"),
      ErrorKind::kInvalidArgument,
      "unsupported model_type 'gpt2' (supported: bert, distilbert, roberta, xlm-roberta)");
  EXPECT_ERROR_KIND(ModelConfig::from_json_string(R"({"hidden_size":4})", "x/config.json"),
                    ErrorKind::kInvalidArgument, "no 'model_type'");
}

TEST(ModelConfigErrors, BadValuesNameTheField) {
  EXPECT_ERROR_KIND(
      ModelConfig::from_json_string(R"({"model_type":"bert","hidden_size":"big"})", "c.json"),
      ErrorKind::kInvalidArgument, "c.json: field 'hidden_size'");
  EXPECT_ERROR_KIND(
      ModelConfig::from_json_string(
          R"({"model_type":"bert","hidden_size":10,"num_attention_heads":4})", "c.json"),
      ErrorKind::kInvalidArgument, "not a multiple");
  EXPECT_ERROR_KIND(
      ModelConfig::from_json_string(R"({"model_type":"bert","hidden_act":"mish"})", "c.json"),
      ErrorKind::kInvalidArgument, "unsupported activation 'mish'");
  EXPECT_ERROR_KIND(
      ModelConfig::from_json_string(
          R"({"model_type":"bert","position_embedding_type":"relative_key"})", "c.json"),
      ErrorKind::kInvalidArgument, "position_embedding_type");
  EXPECT_ERROR_KIND(ModelConfig::from_json_string(
                        R"({"model_type":"bert","id2label":{"0":"O","2":"B"}})", "c.json"),
                    ErrorKind::kInvalidArgument, "missing id 1");
  EXPECT_ERROR_KIND(ModelConfig::from_json_string("{not json", "c.json"),
                    ErrorKind::kInvalidArgument, "c.json: not valid JSON");
}

TEST(ModelConfigErrors, MissingFile) {
  TempDir tmp;
  EXPECT_ERROR_KIND(ModelConfig::from_directory(tmp.path()), ErrorKind::kNotFound,
                    "no config.json");
}

}  // namespace
}  // namespace spanloop::ml
