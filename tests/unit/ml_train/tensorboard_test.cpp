// TensorBoard event files: CRC32C vectors, framing, and a round trip through the reader.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "ml/train/tensorboard.h"
#include "support/test_support.h"

namespace spanloop::ml::train {
namespace {

namespace fs = std::filesystem;

TEST(Crc32c, KnownVectors) {
  // RFC 3720 (iSCSI) test vectors.
  EXPECT_EQ(crc32c(std::string(32, '\0')), 0x8A9136AAu);
  EXPECT_EQ(crc32c(std::string(32, '\xFF')), 0x62A8AB43u);
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);
  const std::uint32_t c = crc32c("123456789");
  EXPECT_EQ(masked_crc32c("123456789"), ((c >> 15) | (c << 17)) + 0xa282ead8u);
}

TEST(TensorBoard, ScalarsRoundTripWithValidFraming) {
  spanloop::testing::TempDir tmp;
  fs::path file;
  {
    TensorBoardWriter w(tmp.path() / "runs");
    w.add_scalar("train/loss", 1.5f, 1);
    w.add_scalar("train/learning_rate", 2e-5f, 2);
    w.add_scalar("eval/f1", 0.75f, 300);
    file = w.path();
  }
  EXPECT_EQ(file.filename().string().rfind("events.out.tfevents.", 0), 0u);
  std::string version;
  const auto events = read_scalar_events(file, &version);
  EXPECT_EQ(version, "brain.Event:2");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].tag, "train/loss");
  EXPECT_FLOAT_EQ(events[0].value, 1.5f);
  EXPECT_EQ(events[0].step, 1);
  EXPECT_FLOAT_EQ(events[1].value, 2e-5f);
  EXPECT_EQ(events[2].step, 300);
  EXPECT_GT(events[2].wall_time, 1.6e9);

  // The first record is exactly: u64 length, masked crc of it, data, masked crc of data.
  std::ifstream in(file, std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::uint64_t len = 0;
  std::memcpy(&len, all.data(), 8);
  std::uint32_t crc = 0;
  std::memcpy(&crc, all.data() + 8, 4);
  EXPECT_EQ(crc, masked_crc32c(all.substr(0, 8)));
  std::memcpy(&crc, all.data() + 12 + len, 4);
  EXPECT_EQ(crc, masked_crc32c(all.substr(12, len)));

  // A flipped byte is caught by the data CRC.
  all[20] ^= 1;
  std::ofstream(tmp.path() / "bad", std::ios::binary) << all;
  EXPECT_ERROR_KIND(read_scalar_events(tmp.path() / "bad"), ErrorKind::kInvalidArgument,
                    "record 0: data CRC mismatch");
}

}  // namespace
}  // namespace spanloop::ml::train
