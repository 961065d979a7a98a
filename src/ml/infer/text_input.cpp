// TextInputReader: lines, CSV (text module's RFC 4180 parser) and JSONL, validated per record.
#include "ml/infer/text_input.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "text/csv.h"
#include "text/error.h"
#include "text/line_reader.h"
#include "text/utf8.h"

namespace spanloop::ml {

TextFormat text_format_for(const std::filesystem::path& path) {
  const auto ext = path.extension().string();
  if (ext == ".csv") return TextFormat::kCsv;
  if (ext == ".jsonl" || ext == ".json") return TextFormat::kJsonl;
  return TextFormat::kLines;
}

struct TextInputReader::State {
  State(text::detail::LineReader reader, TextFormat f, std::string field)
      : lines(std::move(reader)), format(f), text_field(std::move(field)) {}

  text::detail::LineReader lines;
  TextFormat format;
  std::string text_field;
  std::optional<text::CsvParser> csv;
  std::size_t text_column = 0;
  std::optional<std::size_t> id_column;
  std::vector<std::string> fields;

  [[noreturn]] void fail(std::size_t line, const std::string& message) const {
    throw Error(ErrorKind::kInvalidArgument,
                lines.name() + ":" + std::to_string(line) + ": " + message);
  }

  void read_header() {
    csv.emplace(lines, ',');
    std::string problem;
    std::size_t line = 0;
    const auto r = csv->next(fields, problem, line);
    if (r == text::CsvParser::Result::kEnd) fail(1, "empty CSV file (no header)");
    if (r == text::CsvParser::Result::kProblem) fail(line, problem);
    const auto column = std::find(fields.begin(), fields.end(), text_field);
    if (column == fields.end()) fail(1, "no column '" + text_field + "' in the header");
    text_column = static_cast<std::size_t>(column - fields.begin());
    const auto id = std::find(fields.begin(), fields.end(), "id");
    if (id != fields.end()) id_column = static_cast<std::size_t>(id - fields.begin());
  }

  void check_text(const TextRecord& r) const {
    if (const auto bad = text::find_invalid_utf8(r.text))
      fail(r.line, "invalid UTF-8 at byte " + std::to_string(*bad) + " of the text");
    if (r.text.empty()) fail(r.line, "empty text");
  }

  bool next_line(TextRecord& out) {
    if (!lines.next(out.text)) return false;
    out.line = lines.line_number();
    out.id = "line " + std::to_string(out.line);
    return true;
  }

  bool next_jsonl(TextRecord& out) {
    std::string line;
    do {
      if (!lines.next(line)) return false;
    } while (line.find_first_not_of(" \t") == std::string::npos);  // blank lines separate nothing
    out.line = lines.line_number();
    if (const auto bad = text::find_invalid_utf8(line))
      fail(out.line, "invalid UTF-8 at byte " + std::to_string(*bad) + " of the line");
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error&) {
      fail(out.line, "not a JSON object");
    }
    if (!j.is_object()) fail(out.line, "not a JSON object");
    const auto field = j.find(text_field);
    if (field == j.end()) fail(out.line, "no field '" + text_field + "'");
    if (!field->is_string()) fail(out.line, "field '" + text_field + "' is not a string");
    out.text = field->get<std::string>();
    const auto id = j.find("id");
    if (id != j.end() && id->is_string()) {
      out.id = id->get<std::string>();
    } else if (id != j.end() && id->is_number()) {
      out.id = id->dump();
    } else {
      out.id = "line " + std::to_string(out.line);
    }
    return true;
  }

  bool next_csv(TextRecord& out) {
    if (!csv) read_header();
    std::string problem;
    std::size_t line = 0;
    const auto r = csv->next(fields, problem, line);
    if (r == text::CsvParser::Result::kEnd) return false;
    if (r == text::CsvParser::Result::kProblem) fail(line, problem);
    out.line = line;
    if (text_column >= fields.size())
      fail(line,
           "row has " + std::to_string(fields.size()) + " fields, no column '" + text_field + "'");
    out.text = std::move(fields[text_column]);
    out.id = id_column && *id_column < fields.size() ? fields[*id_column]
                                                     : "line " + std::to_string(line);
    return true;
  }
};

TextInputReader::TextInputReader(const std::filesystem::path& path, std::string text_field)
    : state_(std::make_unique<State>(text::detail::LineReader(path), text_format_for(path),
                                     std::move(text_field))) {
  if (state_->format == TextFormat::kCsv) state_->read_header();
}

TextInputReader::TextInputReader(std::istream& in, std::string name, TextFormat format,
                                 std::string text_field)
    : state_(std::make_unique<State>(text::detail::LineReader(in, std::move(name)), format,
                                     std::move(text_field))) {
  if (state_->format == TextFormat::kCsv) state_->read_header();
}

TextInputReader::~TextInputReader() = default;

bool TextInputReader::next(TextRecord& out) {
  bool got = false;
  switch (state_->format) {
    case TextFormat::kLines:
      got = state_->next_line(out);
      break;
    case TextFormat::kJsonl:
      got = state_->next_jsonl(out);
      break;
    case TextFormat::kCsv:
      got = state_->next_csv(out);
      break;
  }
  if (got) state_->check_text(out);
  return got;
}

}  // namespace spanloop::ml
