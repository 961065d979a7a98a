// pytorch_model.bin through ml::open_weights once registered: the fallback when a model folder
// has no safetensors, including sharded .bin checkpoints.
#include "ml/hub/pytorch_bin_source.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "ml/io/weight_source.h"
#include "support/test_support.h"
#include "torch_save_writer.h"

namespace spanloop::testing {
namespace {
namespace hub = spanloop::ml::hub;

TEST(PytorchBinSourceTest, OpenWeightsFallsBackToPytorchModelBin) {
  hub::register_pytorch_bin_format();
  hub::register_pytorch_bin_format();  // idempotent
  TempDir dir;
  write_file(dir.path() / "pytorch_model.bin",
             torch_save_bytes({{"embeddings.weight", "FloatStorage", "0", 6, 0, {3, 2}, {2, 1}},
                               {"classifier.bias", "HalfStorage", "1", 2, 0, {2}, {1}}},
                              {{"0", raw_bytes(std::vector<float>{1, 2, 3, 4, 5, 6})},
                               {"1", std::string("\x00\x3c\x00\xc0", 4)}}));
  const auto source = ml::open_weights(dir.path());
  EXPECT_EQ(source->names(), (std::vector<std::string>{"embeddings.weight", "classifier.bias"}));
  EXPECT_TRUE(source->contains("classifier.bias"));
  EXPECT_EQ(source->info("embeddings.weight").dtype, "F32");
  EXPECT_EQ(source->info("embeddings.weight").shape, (std::vector<std::int64_t>{3, 2}));
  EXPECT_EQ(source->info("classifier.bias").dtype, "F16");
  EXPECT_TRUE(torch::equal(source->load("embeddings.weight"),
                           torch::arange(1, 7, torch::kFloat32).reshape({3, 2})));
  EXPECT_TRUE(torch::equal(source->load("classifier.bias").to(torch::kFloat32),
                           torch::tensor({1.0f, -2.0f})));
  EXPECT_ERROR_KIND(source->load("nope"), ErrorKind::kNotFound,
                    "pytorch_model.bin: no tensor 'nope'");
}

TEST(PytorchBinSourceTest, ShardedBinThroughTheIndex) {
  hub::register_pytorch_bin_format();
  TempDir dir;
  write_file(dir.path() / "pytorch_model-00001-of-00002.bin",
             torch_save_bytes({{"a", "FloatStorage", "0", 1, 0, {1}, {1}}},
                              {{"0", raw_bytes(std::vector<float>{3})}}));
  write_file(dir.path() / "pytorch_model-00002-of-00002.bin",
             torch_save_bytes({{"b", "LongStorage", "0", 1, 0, {1}, {1}}},
                              {{"0", raw_bytes(std::vector<std::int64_t>{9})}}));
  write_file(
      dir.path() / "pytorch_model.bin.index.json",
      R"({"weight_map": {"a": "pytorch_model-00001-of-00002.bin", "b": "pytorch_model-00002-of-00002.bin"}})");
  const auto source = ml::open_weights(dir.path());
  EXPECT_EQ(source->load("a").item<float>(), 3.0f);
  EXPECT_EQ(source->load("b").item<std::int64_t>(), 9);
}

}  // namespace
}  // namespace spanloop::testing
