// Texts to predict on, from a plain text file (one text per line), CSV (a column) or JSONL (a
// field), or stdin; every record validated (UTF-8, non-empty) with errors naming file and line.
#pragma once

#include <cstddef>
#include <filesystem>
#include <istream>
#include <memory>
#include <string>

namespace spanloop::ml {

struct TextRecord {
  std::string id;  // the record's "id" field/column when it has one, else "line N"
  std::string text;
  std::size_t line = 0;  // 1-based line where the record starts
};

enum class TextFormat { kLines, kCsv, kJsonl };

// .csv -> CSV, .jsonl/.json -> JSONL, anything else one text per line.
TextFormat text_format_for(const std::filesystem::path& path);

class TextInputReader {
 public:
  // Throws NotFound when the file cannot be read, InvalidArgument "FILE:1: ..." when a CSV header
  // lacks the text column.
  TextInputReader(const std::filesystem::path& path, std::string text_field);
  // Reads `in` (kept by reference) in the given format, naming it `name` in errors.
  TextInputReader(std::istream& in, std::string name, TextFormat format, std::string text_field);
  ~TextInputReader();

  // Next record; false at the end. Throws InvalidArgument "FILE:LINE: ..." for a record that is
  // not valid UTF-8, not valid JSON, lacks the text field, or whose text is empty.
  bool next(TextRecord& out);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace spanloop::ml
