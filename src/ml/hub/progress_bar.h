// A one-line download progress bar on stderr, drawn only when stderr is a terminal.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace spanloop::ml::hub {

class ProgressBar {
 public:
  // `already` counts bytes present before this transfer (a resumed download).
  ProgressBar(std::string label, std::uint64_t total, bool enabled);
  ~ProgressBar();
  void update(std::uint64_t done);
  void finish();

 private:
  std::string label_;
  std::uint64_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace spanloop::ml::hub
