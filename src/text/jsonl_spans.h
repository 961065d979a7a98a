// JSONL spans: one {"id", "text", "spans": [{"start", "end", "label"}], ...} object per line,
// other fields kept. Offsets are code points, end exclusive. Streaming reader and writer.
#pragma once

#include <filesystem>
#include <fstream>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "text/line_reader.h"
#include "text/record.h"

namespace spanloop::text {

// Reads records one line at a time. "text" is required; "spans" may be absent (no spans); "id"
// may be a string or an integer, and is the line number ("line 12") when absent. Blank lines are
// skipped. Spans are checked against the text (range, empty, label type); labels are not.
class JsonlSpansReader {
 public:
  explicit JsonlSpansReader(const std::filesystem::path& path, ReadOptions read = {});
  JsonlSpansReader(std::istream& in, std::string name, ReadOptions read = {});

  // Next record; false at the end. Throws InvalidArgument "FILE:LINE: PROBLEM" (invalid JSON,
  // missing text, a span past the end of the text, ...) or skips the line with skip_invalid.
  bool next(SpanRecord& out);

  const std::vector<InputProblem>& problems() const { return log_.problems(); }
  std::size_t skipped() const { return log_.skipped(); }

 private:
  detail::LineReader lines_;
  detail::ProblemLog log_;
};

class JsonlSpansWriter {
 public:
  explicit JsonlSpansWriter(const std::filesystem::path& path);
  JsonlSpansWriter(std::ostream& out, std::string name);

  // {"id": ..., "text": ..., "spans": [...], <extra fields>} on one line. Throws
  // InvalidArgument when an extra field's value is not valid JSON.
  void write(const SpanRecord& record);
  void close();

 private:
  std::unique_ptr<std::ofstream> file_;
  std::ostream* out_;
  std::string name_;
};

}  // namespace spanloop::text
