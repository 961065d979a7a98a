// pytorch_model.bin reader: files written in torch.save's zip + pickle format by the test.
#include "ml/hub/pytorch_bin.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cstring>

#include "ml/hub/pytorch_bin_torch.h"
#include "support/test_support.h"
#include "torch_save_writer.h"

namespace spanloop::testing {
namespace {
namespace fs = std::filesystem;
namespace hub = spanloop::ml::hub;
using namespace std::string_view_literals;

std::uint16_t to_bf16(float f) {
  std::uint32_t bits;
  std::memcpy(&bits, &f, 4);
  return static_cast<std::uint16_t>(bits >> 16);
}

// weight 2x3 (0..5), its transpose and a tail view sharing storage "0", a bf16 bias, int64 ids.
std::string sample_checkpoint() {
  std::vector<SavedTensor> tensors = {
      {"encoder.weight", "FloatStorage", "0", 6, 0, {2, 3}, {3, 1}},
      {"encoder.weight_t", "FloatStorage", "0", 6, 0, {3, 2}, {1, 3}},
      {"encoder.tail", "FloatStorage", "0", 6, 4, {2}, {1}},
      {"encoder.bias", "BFloat16Storage", "1", 3, 0, {3}, {1}},
      {"position_ids", "LongStorage", "2", 4, 0, {1, 4}, {4, 1}},
  };
  std::map<std::string, std::string> storages = {
      {"0", raw_bytes(std::vector<float>{0, 1, 2, 3, 4, 5})},
      {"1", raw_bytes(std::vector<std::uint16_t>{to_bf16(0.5f), to_bf16(-1.0f), to_bf16(2.0f)})},
      {"2", raw_bytes(std::vector<std::int64_t>{0, 1, 2, 300000})}};
  return torch_save_bytes(tensors, storages);
}

TEST(PytorchBinTest, ReadsAStateDictWithViewsAndDtypes) {
  TempDir dir;
  write_file(dir.path() / "pytorch_model.bin", sample_checkpoint());
  const auto tensors = hub::load_pytorch_bin(dir.path() / "pytorch_model.bin");
  ASSERT_EQ(tensors.size(), 5u);
  EXPECT_EQ(tensors[0].first, "encoder.weight");
  EXPECT_EQ(tensors[4].first, "position_ids");
  const torch::Tensor w = tensors[0].second;
  EXPECT_EQ(w.sizes(), torch::IntArrayRef({2, 3}));
  EXPECT_TRUE(torch::equal(w, torch::arange(6, torch::kFloat32).reshape({2, 3})));
  EXPECT_TRUE(torch::equal(tensors[1].second, w.t()));
  EXPECT_TRUE(torch::equal(tensors[2].second, torch::tensor({4.0f, 5.0f})));
  EXPECT_EQ(tensors[3].second.dtype(), torch::kBFloat16);
  EXPECT_TRUE(
      torch::equal(tensors[3].second.to(torch::kFloat32), torch::tensor({0.5f, -1.0f, 2.0f})));
  EXPECT_EQ(tensors[4].second.dtype(), torch::kInt64);
  EXPECT_EQ(tensors[4].second[0][3].item<std::int64_t>(), 300000);
  // Writes land in a private copy, never in the file.
  tensors[0].second.add_(1);
  EXPECT_EQ(hub::load_pytorch_bin(dir.path() / "pytorch_model.bin")[0].second[0][0].item<float>(),
            0.0f);
}

TEST(PytorchBinTest, AnyArchiveNameWorks) {
  TempDir dir;
  write_file(dir.path() / "m.bin",
             torch_save_bytes({{"x", "HalfStorage", "0", 1, 0, {1}, {1}}},
                              {{"0", std::string("\x00\x3c", 2)}}, "pytorch_model"));
  const auto tensors = hub::load_pytorch_bin(dir.path() / "m.bin");
  ASSERT_EQ(tensors.size(), 1u);
  EXPECT_EQ(tensors[0].second.dtype(), torch::kFloat16);
  EXPECT_EQ(tensors[0].second.item<float>(), 1.0f);
}

TEST(PytorchBinTest, ReadsShardedCheckpoints) {
  TempDir dir;
  write_file(dir.path() / "pytorch_model-00001-of-00002.bin",
             torch_save_bytes({{"a", "FloatStorage", "0", 2, 0, {2}, {1}}},
                              {{"0", raw_bytes(std::vector<float>{1, 2})}}));
  write_file(dir.path() / "pytorch_model-00002-of-00002.bin",
             torch_save_bytes({{"b", "IntStorage", "0", 1, 0, {}, {}}},
                              {{"0", raw_bytes(std::vector<std::int32_t>{7})}}));
  write_file(dir.path() / "pytorch_model.bin.index.json",
             R"({"metadata": {"total_size": 12}, "weight_map": {
                 "a": "pytorch_model-00001-of-00002.bin", "b": "pytorch_model-00002-of-00002.bin"}})");
  const auto tensors = hub::load_pytorch_bin_index(dir.path() / "pytorch_model.bin.index.json");
  ASSERT_EQ(tensors.size(), 2u);
  EXPECT_EQ(tensors[1].first, "b");
  EXPECT_EQ(tensors[1].second.item<std::int32_t>(), 7);

  write_file(dir.path() / "bad.index.json",
             R"({"weight_map": {"c": "pytorch_model-00001-of-00002.bin"}})");
  EXPECT_ERROR_KIND(hub::load_pytorch_bin_index(dir.path() / "bad.index.json"),
                    ErrorKind::kInvalidArgument,
                    "\"c\" is mapped to pytorch_model-00001-of-00002.bin");
  write_file(dir.path() / "evil.index.json", R"({"weight_map": {"c": "../../etc/passwd"}})");
  EXPECT_ERROR_KIND(hub::load_pytorch_bin_index(dir.path() / "evil.index.json"),
                    ErrorKind::kInvalidArgument, "unsafe shard name");
}

class PytorchBinErrorTest : public ::testing::Test {
 protected:
  fs::path write(const std::string& bytes) {
    const fs::path p = dir_.path() / "pytorch_model.bin";
    write_file(p, bytes);
    return p;
  }
  TempDir dir_;
};

TEST_F(PytorchBinErrorTest, LegacyAndForeignFormats) {
  EXPECT_ERROR_KIND(
      hub::PytorchBinFile(write(std::string("\x80\x02\x8a\x0a", 4) + "rest of a legacy pickle")),
      ErrorKind::kInvalidArgument, "legacy (pre-1.6, non-zip)");
  EXPECT_ERROR_KIND(hub::PytorchBinFile(write("{\"not\": \"a checkpoint\"}")),
                    ErrorKind::kInvalidArgument, "not a torch.save zip archive");
  EXPECT_ERROR_KIND(hub::PytorchBinFile(dir_.path() / "missing.bin"), ErrorKind::kNotFound,
                    "missing.bin");
}

TEST_F(PytorchBinErrorTest, TruncatedOrCompressedArchives) {
  const std::string good = sample_checkpoint();
  EXPECT_ERROR_KIND(hub::PytorchBinFile(write(good.substr(0, good.size() / 2))),
                    ErrorKind::kInvalidArgument, "pytorch_model.bin: not a readable zip archive");
  EXPECT_ERROR_KIND(hub::PytorchBinFile(write(zip_bytes({{"archive/data.pkl", "x"}}, 8))),
                    ErrorKind::kInvalidArgument, "entry archive/data.pkl is compressed");
  EXPECT_ERROR_KIND(hub::PytorchBinFile(write(zip_bytes({{"archive/other", "x"}}))),
                    ErrorKind::kInvalidArgument, "no <archive>/data.pkl");
}

TEST_F(PytorchBinErrorTest, StoragesThatDoNotFitTheirTensors) {
  const std::vector<SavedTensor> tensors = {{"w", "FloatStorage", "0", 6, 0, {2, 3}, {3, 1}}};
  EXPECT_ERROR_KIND(hub::PytorchBinFile(write(torch_save_bytes(tensors, {}))),
                    ErrorKind::kInvalidArgument,
                    "tensor \"w\": storage entry archive/data/0 is missing");
  EXPECT_ERROR_KIND(
      hub::PytorchBinFile(write(torch_save_bytes(tensors, {{"0", std::string(8, '\0')}}))),
      ErrorKind::kInvalidArgument, "holds 8 bytes, 24 expected");
  const std::vector<SavedTensor> out_of_range = {{"w", "FloatStorage", "0", 6, 2, {2, 3}, {3, 1}}};
  EXPECT_ERROR_KIND(
      hub::PytorchBinFile(write(torch_save_bytes(out_of_range, {{"0", std::string(24, '\0')}}))),
      ErrorKind::kInvalidArgument, "tensor \"w\": view (offset 2) reaches element 7");
  const std::vector<SavedTensor> bad_type = {{"w", "ComplexFloatStorage", "0", 1, 0, {1}, {1}}};
  EXPECT_ERROR_KIND(
      hub::PytorchBinFile(write(torch_save_bytes(bad_type, {{"0", std::string(8, '\0')}}))),
      ErrorKind::kInvalidArgument, "unsupported global torch.ComplexFloatStorage");
}

TEST(PickleDecoderTest, RefusesCodeAndMalformedPickles) {
  // GLOBAL os.system: a checkpoint must never be able to name arbitrary callables.
  EXPECT_ERROR_KIND(hub::decode_state_dict_pickle("\x80\x02"
                                                  "cos\nsystem\n",
                                                  "f.bin: archive/data.pkl"),
                    ErrorKind::kInvalidArgument,
                    "f.bin: archive/data.pkl: unsupported global os.system");
  const std::string good = state_dict_pickle({{"w", "FloatStorage", "0", 1, 0, {1}, {1}}});
  EXPECT_EQ(hub::decode_state_dict_pickle(good, "x").size(), 1u);
  EXPECT_ERROR_KIND(hub::decode_state_dict_pickle(good.substr(0, good.size() - 6), "x"),
                    ErrorKind::kInvalidArgument, "truncated");
  EXPECT_ERROR_KIND(hub::decode_state_dict_pickle("\x80\x02K\x05.", "x"),
                    ErrorKind::kInvalidArgument, "not a state dict");
  EXPECT_ERROR_KIND(hub::decode_state_dict_pickle("\x80\x02}X\x01\x00\x00\x00"
                                                  "aK\x01s."sv,
                                                  "x"),
                    ErrorKind::kInvalidArgument, "entry \"a\" is not a tensor");
  EXPECT_ERROR_KIND(hub::decode_state_dict_pickle("\x80\x02\xff", "x"), ErrorKind::kInvalidArgument,
                    "unsupported pickle opcode 0xff at byte 2");
  EXPECT_ERROR_KIND(hub::decode_state_dict_pickle("\x80\x02h\x07", "x"),
                    ErrorKind::kInvalidArgument, "memo 7 unset");
  EXPECT_ERROR_KIND(hub::decode_state_dict_pickle("\x80\x02t", "x"), ErrorKind::kInvalidArgument,
                    "MARK missing");
}

}  // namespace
}  // namespace spanloop::testing
