// TensorBoard event files (events.out.tfevents.*): TFRecord framing (length, masked CRC32C)
// around hand-encoded tensorflow.Event protobufs with scalar summaries.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

namespace spanloop::ml::train {

// CRC-32C (Castagnoli), and the masked form TFRecord stores.
std::uint32_t crc32c(std::string_view data);
std::uint32_t masked_crc32c(std::string_view data);

// One scalar read back from an event file (for tests and tools).
struct ScalarEvent {
  double wall_time = 0;
  std::int64_t step = 0;
  std::string tag;
  float value = 0;
};

class TensorBoardWriter {
 public:
  // Creates `dir` and events.out.tfevents.<seconds>.<host> in it, starting with the
  // file_version event ("brain.Event:2").
  explicit TensorBoardWriter(const std::filesystem::path& dir);
  void add_scalar(const std::string& tag, float value, std::int64_t step);
  void flush() { out_.flush(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  void write_record(const std::string& event);
  std::filesystem::path path_;
  std::ofstream out_;
};

// Reads every record of an event file, checking both CRCs of each (InvalidArgument naming the
// record otherwise), and returns the scalar summaries; `file_version` gets the first event's.
std::vector<ScalarEvent> read_scalar_events(const std::filesystem::path& file,
                                            std::string* file_version = nullptr);

}  // namespace spanloop::ml::train
