// Internal: numbered, validated lines of a text file or stream, and the skip-or-throw policy
// every reader shares.
#pragma once

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/record.h"

namespace spanloop::text::detail {

class LineReader {
 public:
  // Opens `path`; throws NotFound naming it when it cannot be read.
  explicit LineReader(const std::filesystem::path& path);
  // Reads from `in` (kept by reference), naming it `name` in messages.
  LineReader(std::istream& in, std::string name);

  // Next line without its "\n" or "\r\n" (and without a UTF-8 byte order mark on line 1).
  // Returns false at the end. Lines are not validated: see utf8_problem().
  // keep_cr keeps the "\r" of a "\r\n" ending (CSV keeps it inside quoted fields).
  bool next(std::string& line, bool keep_cr = false);
  std::size_t line_number() const { return line_; }
  const std::string& name() const { return name_; }

 private:
  std::unique_ptr<std::ifstream> file_;
  std::istream* in_;
  std::string name_;
  std::size_t line_ = 0;
};

// "invalid UTF-8 at byte N of the line" when `line` is not valid UTF-8.
std::optional<std::string> utf8_problem(std::string_view line);

// Collects problems; throws on the first one unless skipping invalid records.
class ProblemLog {
 public:
  static constexpr std::size_t kKept = 20;  // problems kept for the report; all are counted

  explicit ProblemLog(ReadOptions options) : options_(options) {}
  // Throws InvalidArgument "FILE:LINE: MESSAGE", or records it when skipping.
  void report(const std::string& file, std::size_t line, const std::string& message);
  const std::vector<InputProblem>& problems() const { return problems_; }
  std::size_t skipped() const { return skipped_; }

 private:
  ReadOptions options_;
  std::vector<InputProblem> problems_;
  std::size_t skipped_ = 0;
};

}  // namespace spanloop::text::detail
