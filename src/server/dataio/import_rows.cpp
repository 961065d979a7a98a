// CSV/TSV rows through the text library's RFC 4180 parser; JSONL rows through nlohmann.
#include "server/dataio/import_rows.h"

#include <algorithm>
#include <set>

#include "text/csv.h"
#include "text/error.h"
#include "text/line_reader.h"

namespace spanloop::dataio::detail {
namespace {

constexpr std::size_t kMaxJsonDepth = 512;

// nlohmann parses recursively; refuse absurd nesting before parsing (as the text readers do).
bool too_deep(const std::string& line) {
  std::size_t depth = 0, max_depth = 0;
  bool in_string = false, escaped = false;
  for (char c : line) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      max_depth = std::max(max_depth, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return max_depth > kMaxJsonDepth;
}

class CsvSource : public RowSource {
 public:
  CsvSource(std::istream& in, char delimiter) : lines_(in, "input"), parser_(lines_, delimiter) {
    std::string problem;
    std::size_t line = 0;
    switch (parser_.next(header_, problem, line)) {
      case text::CsvParser::Result::kEnd:
        throw_invalid("the file is empty: a CSV import needs a header row naming the columns");
      case text::CsvParser::Result::kProblem:
        throw_invalid("line " + std::to_string(line) + ": header row: " + problem);
      case text::CsvParser::Result::kRecord:
        break;
    }
    std::set<std::string> seen;
    for (const auto& name : header_) {
      if (auto bad = text::detail::utf8_problem(name)) throw_invalid("line 1: header row: " + *bad);
      if (!seen.insert(name).second)
        throw_invalid("line 1: header row: column `" + name + "` appears twice");
    }
  }

  bool next(SourceRow& row) override {
    std::string problem;
    row.problem.reset();
    switch (parser_.next(cells_, problem, row.line)) {
      case text::CsvParser::Result::kEnd:
        return false;
      case text::CsvParser::Result::kProblem:
        row.problem = problem;
        return true;
      case text::CsvParser::Result::kRecord:
        break;
    }
    if (cells_.size() != header_.size()) {
      row.problem = "expected " + std::to_string(header_.size()) +
                    " fields (as in the header), found " + std::to_string(cells_.size());
      return true;
    }
    row.values = nlohmann::json::object();
    for (std::size_t i = 0; i < cells_.size(); ++i) {
      if (auto bad = text::detail::utf8_problem(cells_[i])) {
        row.problem = "column `" + header_[i] + "`: " + *bad;
        return true;
      }
      row.values[header_[i]] = std::move(cells_[i]);
    }
    return true;
  }

  const std::vector<std::string>* header() const override { return &header_; }

 private:
  text::detail::LineReader lines_;
  text::CsvParser parser_;
  std::vector<std::string> header_;
  std::vector<std::string> cells_;
};

class JsonlSource : public RowSource {
 public:
  explicit JsonlSource(std::istream& in) : lines_(in, "input") {}

  bool next(SourceRow& row) override {
    std::string line;
    while (lines_.next(line)) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      row.line = lines_.line_number();
      row.problem.reset();
      if (auto bad = text::detail::utf8_problem(line)) {
        row.problem = *bad;
        return true;
      }
      if (too_deep(line)) {
        row.problem = "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels";
        return true;
      }
      try {
        row.values = nlohmann::json::parse(line);
      } catch (const nlohmann::json::parse_error& e) {
        row.problem = std::string("invalid JSON: ") + e.what();
        return true;
      }
      if (!row.values.is_object()) row.problem = "expected a JSON object per line";
      return true;
    }
    return false;
  }

  const std::vector<std::string>* header() const override { return nullptr; }

 private:
  text::detail::LineReader lines_;
};

}  // namespace

std::unique_ptr<RowSource> make_row_source(ImportFormat format, std::istream& in) {
  switch (format) {
    case ImportFormat::kCsv:
      return std::make_unique<CsvSource>(in, ',');
    case ImportFormat::kTsv:
      return std::make_unique<CsvSource>(in, '\t');
    case ImportFormat::kJsonl:
      return std::make_unique<JsonlSource>(in);
  }
  return nullptr;
}

}  // namespace spanloop::dataio::detail
