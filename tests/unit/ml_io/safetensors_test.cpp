// safetensors reading/writing, zero-copy views, sharded checkpoints and corrupt files.
#include "ml/io/safetensors.h"

#include <ATen/ops/allclose.h>
#include <ATen/ops/arange.h>
#include <ATen/ops/equal.h>
#include <ATen/ops/randn.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "ml/io/weight_source.h"
#include "support/test_support.h"

namespace spanloop::ml {
namespace {

using spanloop::testing::TempDir;
namespace fs = std::filesystem;

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
void write_all(const fs::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << s;
}

TEST(Safetensors, ReadsFixtureWeights) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto file = SafetensorsFile::open(shared / "fixtures/bert-uncased/model/model.safetensors");
  EXPECT_EQ(file.metadata().at("format"), "pt");
  const auto* t = file.find("bert.embeddings.word_embeddings.weight");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->dtype, StDtype::kF32);
  EXPECT_EQ(t->shape, (std::vector<std::int64_t>{3300, 64}));
  auto source = open_weights(shared / "fixtures/bert-uncased/model");
  const auto w = source->load("classifier.weight");
  EXPECT_EQ(w.sizes().vec(), (std::vector<std::int64_t>{11, 64}));
  EXPECT_EQ(source->info("classifier.bias").shape, (std::vector<std::int64_t>{11}));
}

TEST(Safetensors, RoundTripsEveryDtypeZeroCopy) {
  TempDir tmp;
  const auto f32 = at::randn({3, 5});
  const auto bf16 = at::randn({4}).to(c10::kBFloat16);
  const auto f16 = at::randn({2, 2}).to(c10::kHalf);
  const auto i64 = at::arange(7, at::TensorOptions().dtype(c10::kLong));
  const auto u8 = at::arange(3, at::TensorOptions().dtype(c10::kByte));
  const auto path = tmp.path() / "t.safetensors";
  // u8 first so that the tensors after it are misaligned in the data section: those get copied.
  save_safetensors(path, {{"u8", u8}, {"f32", f32}, {"bf16", bf16}, {"f16", f16}, {"i64", i64}});
  auto src = open_safetensors(path);
  EXPECT_EQ(src->names(), (std::vector<std::string>{"u8", "f32", "bf16", "f16", "i64"}));
  EXPECT_TRUE(at::equal(src->load("u8"), u8));
  EXPECT_TRUE(at::equal(src->load("f32"), f32));
  EXPECT_TRUE(at::equal(src->load("bf16"), bf16));
  EXPECT_TRUE(at::equal(src->load("f16"), f16));
  EXPECT_TRUE(at::equal(src->load("i64"), i64));
  EXPECT_EQ(src->info("bf16").dtype, "BF16");

  // Aligned data is a view of the mapping: it outlives the source, and writes never reach the file.
  const auto aligned = tmp.path() / "a.safetensors";
  save_safetensors(aligned, {{"f32", f32}});
  at::Tensor view;
  {
    auto s = open_safetensors(aligned);
    view = s->load("f32");
  }
  EXPECT_TRUE(at::equal(view, f32));
  view.zero_();
  EXPECT_TRUE(at::equal(open_safetensors(aligned)->load("f32"), f32));
}

TEST(Safetensors, HeaderIsPaddedAndMetadataFirst) {
  TempDir tmp;
  save_safetensors(tmp.path() / "x.safetensors", {{"a", at::randn({3})}});
  const auto bytes = read_all(tmp.path() / "x.safetensors");
  std::uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[i]);
  EXPECT_EQ(n % 8, 0u);
  EXPECT_EQ(bytes.substr(8, 15), R"({"__metadata__")");
}

TEST(Safetensors, ShardedCheckpoint) {
  TempDir tmp;
  const auto a = at::randn({2, 3}), b = at::randn({4});
  save_safetensors(tmp.path() / "model-00001-of-00002.safetensors", {{"x.a", a}});
  save_safetensors(tmp.path() / "model-00002-of-00002.safetensors", {{"x.b", b}});
  write_all(
      tmp.path() / "model.safetensors.index.json",
      R"({"metadata":{"total_size":40},"weight_map":{"x.a":"model-00001-of-00002.safetensors",)"
      R"("x.b":"model-00002-of-00002.safetensors"}})");
  auto src = open_weights(tmp.path());
  EXPECT_EQ(src->names().size(), 2u);
  EXPECT_TRUE(at::equal(src->load("x.a"), a));
  EXPECT_TRUE(at::equal(src->load("x.b"), b));
  EXPECT_ERROR_KIND(src->load("x.c"), ErrorKind::kNotFound, "no tensor 'x.c'");

  fs::remove(tmp.path() / "model-00002-of-00002.safetensors");
  auto again = open_weights(tmp.path());
  EXPECT_ERROR_KIND(again->load("x.b"), ErrorKind::kNotFound,
                    "shard 'model-00002-of-00002.safetensors'");
}

TEST(Safetensors, RegisteredFormatIsUsedWhenNoSafetensors) {
  TempDir tmp;
  write_all(tmp.path() / "weights.fake", "x");
  register_weight_format({"weights.fake", "", [](const fs::path& p) {
                            return make_tensor_source({{"w", at::randn({1})}}, p.string());
                          }});
  auto src = open_weights(tmp.path());
  EXPECT_TRUE(src->contains("w"));
  EXPECT_NE(src->describe().find("weights.fake"), std::string::npos);
}

class CorruptSafetensors : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = tmp_.path() / "model.safetensors";
    save_safetensors(path_, {{"w", at::randn({4, 4})}});
    good_ = read_all(path_);
  }
  TempDir tmp_;
  fs::path path_;
  std::string good_;
};

TEST_F(CorruptSafetensors, MissingFile) {
  EXPECT_ERROR_KIND(open_safetensors(tmp_.path() / "nope.safetensors"), ErrorKind::kNotFound,
                    "nope.safetensors");
  TempDir empty;
  EXPECT_ERROR_KIND(open_weights(empty.path()), ErrorKind::kNotFound,
                    "looked for model.safetensors");
}

TEST_F(CorruptSafetensors, TooShortForTheLength) {
  write_all(path_, good_.substr(0, 5));
  EXPECT_ERROR_KIND(open_safetensors(path_), ErrorKind::kInvalidArgument,
                    "less than the 8-byte header length");
}

TEST_F(CorruptSafetensors, TruncatedHeader) {
  write_all(path_, good_.substr(0, 30));
  EXPECT_ERROR_KIND(open_safetensors(path_), ErrorKind::kInvalidArgument, "exceeds the file size");
}

TEST_F(CorruptSafetensors, TruncatedData) {
  write_all(path_, good_.substr(0, good_.size() - 4));
  EXPECT_ERROR_KIND(open_safetensors(path_), ErrorKind::kInvalidArgument, "tensor 'w' data");
}

TEST_F(CorruptSafetensors, HeaderNotJson) {
  std::string bad = good_;
  bad[9] = '#';
  write_all(path_, bad);
  EXPECT_ERROR_KIND(open_safetensors(path_), ErrorKind::kInvalidArgument,
                    "header is not valid JSON");
}

TEST_F(CorruptSafetensors, SizeDisagreesWithShape) {
  std::string header = R"({"w":{"dtype":"F32","shape":[4,5],"data_offsets":[0,64]}})";
  header.append((8 - header.size() % 8) % 8, ' ');
  std::string file(8, '\0');
  file[0] = static_cast<char>(header.size());
  write_all(path_, file + header + std::string(64, '\0'));
  EXPECT_ERROR_KIND(open_safetensors(path_), ErrorKind::kInvalidArgument,
                    "its shape and dtype need 80");
}

TEST_F(CorruptSafetensors, UnknownDtypeAndOverlap) {
  auto make = [&](const std::string& header_in) {
    std::string header = header_in;
    header.append((8 - header.size() % 8) % 8, ' ');
    std::string file(8, '\0');
    file[0] = static_cast<char>(header.size());
    write_all(path_, file + header + std::string(16, '\0'));
  };
  make(R"({"w":{"dtype":"F8","shape":[4],"data_offsets":[0,4]}})");
  EXPECT_ERROR_KIND(open_safetensors(path_), ErrorKind::kInvalidArgument, "unsupported dtype 'F8'");
  make(
      R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})");
  EXPECT_ERROR_KIND(open_safetensors(path_), ErrorKind::kInvalidArgument, "overlaps");
}

TEST_F(CorruptSafetensors, MissingKeyNamesFileAndKey) {
  auto src = open_safetensors(path_);
  EXPECT_ERROR_KIND(src->load("bert.x"), ErrorKind::kNotFound,
                    path_.string() + ": no tensor 'bert.x'");
}

}  // namespace
}  // namespace spanloop::ml
