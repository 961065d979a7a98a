// JSONL tokens: {"id", "tokens": [...], "ner_tags": [...], ...} per line, tags as label ids (the
// Hugging Face `datasets` convention) or as strings; extra tag layers as "ner_tags_2", ...
#pragma once

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "text/label_map.h"
#include "text/line_reader.h"
#include "text/record.h"

namespace spanloop::text {

class JsonlTokensReader {
 public:
  // tag_names: the names of integer tag ids (ClassLabel names, label map tags); without them
  // integer tags are an error. String tags are taken as they are.
  JsonlTokensReader(const std::filesystem::path& path, std::vector<std::string> tag_names = {},
                    ReadOptions read = {});
  JsonlTokensReader(std::istream& in, std::string name, std::vector<std::string> tag_names = {},
                    ReadOptions read = {});

  // Next record; false at the end. "tokens" and "ner_tags" (same length) are required; "id" is
  // the line number when absent; "text" + "offsets" give the token offsets (otherwise the tokens
  // are joined by spaces); other fields are kept in `extra`. Throws InvalidArgument
  // "FILE:LINE: PROBLEM" or skips the line with skip_invalid.
  bool next(TokenRecord& out);

  const std::vector<InputProblem>& problems() const { return log_.problems(); }
  std::size_t skipped() const { return log_.skipped(); }

 private:
  detail::LineReader lines_;
  std::vector<std::string> tag_names_;
  detail::ProblemLog log_;
};

struct TokenFileOptions {
  std::size_t layers = 1;      // tag fields per record: "ner_tags", "ner_tags_2", ...
  bool write_offsets = false;  // also write "text" and "offsets" ([[start, end], ...] code
                               // points), so spans can be restored exactly
};

// Writes tags as label map ids. Every record gets `layers` tag fields (a record with fewer
// layers gets all-"O" ones).
class JsonlTokensWriter {
 public:
  JsonlTokensWriter(const std::filesystem::path& path, LabelMap map, TokenFileOptions options = {});
  JsonlTokensWriter(std::ostream& out, std::string name, LabelMap map,
                    TokenFileOptions options = {});

  // Throws InvalidArgument naming the record for a tag not in the label map, more layers than
  // declared or a layer whose length differs from the tokens'.
  void write(const TokenRecord& record);
  void close();
  std::size_t bytes_written() const { return bytes_; }
  std::size_t records_written() const { return records_; }

 private:
  std::unique_ptr<std::ofstream> file_;
  std::ostream* out_;
  std::string name_;
  LabelMap map_;
  std::size_t layers_;
  bool write_offsets_;
  std::size_t bytes_ = 0;
  std::size_t records_ = 0;
};

// The name of tag layer `layer` (0-based) in token JSONL files: "ner_tags", "ner_tags_2", ...
std::string tag_field_name(std::size_t layer);

}  // namespace spanloop::text
