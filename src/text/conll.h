// CoNLL column files: one token per line, a blank line between sentences, "-DOCSTART-" lines
// between documents (CoNLL-2003: "token POS chunk NER", 4 columns). Streaming reader and writer.
#pragma once

#include <cstddef>
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

struct ConllOptions {
  std::size_t token_column = 0;            // 0-based
  std::vector<std::size_t> tag_columns{};  // 0-based, one per layer; empty: the last column
  bool tab_separated = false;              // columns split on tabs only (tokens may hold spaces);
                                           // default: any run of spaces and tabs
};

// Reads sentences one at a time. Record ids are sentence numbers ("1", "2", ... counting every
// sentence of the file); `line` is the sentence's first line.
//   ConllReader reader("eng.train", {.tag_columns = {3}});
//   TokenRecord sentence;
//   while (reader.next(sentence)) use(sentence.tokens, sentence.tags[0]);
class ConllReader {
 public:
  ConllReader(const std::filesystem::path& path, ConllOptions options = {}, ReadOptions read = {});
  ConllReader(std::istream& in, std::string name, ConllOptions options = {}, ReadOptions read = {});

  // Next sentence; false at the end. A malformed line (a missing column, invalid UTF-8) throws
  // InvalidArgument "FILE:LINE: PROBLEM", or skips its sentence with skip_invalid.
  bool next(TokenRecord& out);

  const std::vector<InputProblem>& problems() const { return log_.problems(); }
  std::size_t skipped() const { return log_.skipped(); }
  std::size_t documents() const { return documents_; }  // -DOCSTART- lines seen

 private:
  void split(const std::string& line, std::vector<std::string_view>& columns) const;

  detail::LineReader lines_;
  ConllOptions options_;
  detail::ProblemLog log_;
  std::size_t sentences_ = 0;
  std::size_t documents_ = 0;
  bool pending_document_ = false;
  std::vector<std::string_view> columns_;
  std::vector<std::string> tokens_;
};

struct ConllWriteOptions {
  char separator = ' ';        // between token and tag columns
  bool document_lines = true;  // write "-DOCSTART- O" (one O per layer) before a record with
                               // document_start, followed by a blank line
};

class ConllWriter {
 public:
  ConllWriter(const std::filesystem::path& path, ConllWriteOptions options = {});
  ConllWriter(std::ostream& out, std::string name, ConllWriteOptions options = {});

  // Writes one sentence: "token TAG [TAG2 ...]" lines and a blank line. Throws InvalidArgument
  // naming the record when a token is empty or contains whitespace (CoNLL cannot hold it) or a
  // layer's length differs from the tokens'. A record without tokens writes nothing.
  void write(const TokenRecord& record);
  // Flushes; throws Unavailable naming the file when writing failed.
  void close();

 private:
  std::unique_ptr<std::ofstream> file_;
  std::ostream* out_;
  std::string name_;
  ConllWriteOptions options_;
  std::string buffer_;
};

}  // namespace spanloop::text
