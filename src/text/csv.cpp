// RFC 4180 parsing, the column mapping and CSV writing.
#include "text/csv.h"

#include <algorithm>

#include "text/error.h"
#include "text/span_json.h"
#include "text/utf8.h"

namespace spanloop::text {

CsvColumns CsvColumns::parse(std::string_view spec) {
  CsvColumns c;
  std::size_t pos = 0;
  while (pos <= spec.size() && !spec.empty()) {
    const std::size_t comma = std::min(spec.find(',', pos), spec.size());
    const std::string_view item = spec.substr(pos, comma - pos);
    const std::size_t eq = item.find('=');
    const std::string_view key = item.substr(0, eq);
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1);
    if (eq == std::string_view::npos || value.empty()) {
      throw_invalid("column mapping item '" + std::string(item) + "' is not KEY=COLUMN");
    }
    if (key == "text") {
      c.text = std::string(value);
    } else if (key == "spans") {
      c.spans = std::string(value);
    } else if (key == "id") {
      c.id.clear();
      std::size_t p = 0;
      while (true) {
        const std::size_t plus = value.find('+', p);
        c.id.emplace_back(
            value.substr(p, plus == std::string_view::npos ? std::string_view::npos : plus - p));
        if (plus == std::string_view::npos) break;
        p = plus + 1;
      }
    } else {
      throw_invalid("unknown column mapping key '" + std::string(key) +
                    "' (expected text, id or spans)");
    }
    pos = comma + 1;
  }
  return c;
}

CsvParser::Result CsvParser::next(std::vector<std::string>& fields, std::string& problem,
                                  std::size_t& line) {
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };
  fields.clear();
  do {
    if (!lines_.next(buffer_, true)) return Result::kEnd;
  } while (buffer_.empty() || buffer_ == "\r");
  line = lines_.line_number();
  std::string field;
  State state = State::kFieldStart;
  auto fail = [&](std::string message) {
    problem = std::move(message);
    // Leave a broken quoted field behind by resuming at the next line.
    return Result::kProblem;
  };
  while (true) {
    if (auto bad = detail::utf8_problem(buffer_)) {
      return fail(*bad + (lines_.line_number() != line
                              ? " (line " + std::to_string(lines_.line_number()) + ")"
                              : ""));
    }
    const std::size_t n = buffer_.size();
    for (std::size_t i = 0; i < n; ++i) {
      const char c = buffer_[i];
      const bool last_cr = c == '\r' && i + 1 == n;
      switch (state) {
        case State::kFieldStart:
          if (c == '"') {
            state = State::kQuoted;
          } else if (c == delimiter_) {
            fields.push_back(std::move(field));
            field.clear();
          } else if (!last_cr) {
            field += c;
            state = State::kUnquoted;
          }
          break;
        case State::kUnquoted:
          if (c == delimiter_) {
            fields.push_back(std::move(field));
            field.clear();
            state = State::kFieldStart;
          } else if (!last_cr) {
            field += c;  // a stray quote inside an unquoted field is kept, as Python's csv does
          }
          break;
        case State::kQuoted:
          if (c == '"') {
            state = State::kQuoteInQuoted;
          } else {
            field += c;
          }
          break;
        case State::kQuoteInQuoted:
          if (c == '"') {
            field += '"';
            state = State::kQuoted;
          } else if (c == delimiter_) {
            fields.push_back(std::move(field));
            field.clear();
            state = State::kFieldStart;
          } else if (!last_cr) {
            return fail("unexpected character '" + std::string(1, c) +
                        "' after a closing quote (line " + std::to_string(lines_.line_number()) +
                        ")");
          }
          break;
      }
    }
    if (state != State::kQuoted) break;
    // A line break inside quotes belongs to the field.
    field += '\n';
    if (!lines_.next(buffer_, true)) {
      return fail("unterminated quoted field (the quote opened on line " + std::to_string(line) +
                  ")");
    }
  }
  fields.push_back(std::move(field));
  return Result::kRecord;
}

CsvSpansReader::CsvSpansReader(const std::filesystem::path& path, char delimiter,
                               CsvColumns columns, ReadOptions read)
    : lines_(path), parser_(lines_, delimiter), log_(read) {
  read_header(columns);
}

CsvSpansReader::CsvSpansReader(std::istream& in, std::string name, char delimiter,
                               CsvColumns columns, ReadOptions read)
    : lines_(in, std::move(name)), parser_(lines_, delimiter), log_(read) {
  read_header(columns);
}

void CsvSpansReader::read_header(const CsvColumns& columns) {
  std::string problem;
  std::size_t line = 0;
  const auto result = parser_.next(header_, problem, line);
  const std::string where =
      lines_.name() + ":" + std::to_string(std::max<std::size_t>(line, 1)) + ": ";
  if (result == CsvParser::Result::kEnd)
    throw Error(ErrorKind::kInvalidArgument, where + "no header row");
  if (result == CsvParser::Result::kProblem)
    throw Error(ErrorKind::kInvalidArgument, where + problem);
  auto column = [&](const std::string& name) -> std::optional<std::size_t> {
    auto it = std::find(header_.begin(), header_.end(), name);
    if (it == header_.end()) return std::nullopt;
    return static_cast<std::size_t>(it - header_.begin());
  };
  auto require = [&](const std::string& name) {
    auto index = column(name);
    if (!index) {
      std::string names;
      for (const auto& h : header_) names += (names.empty() ? "" : ", ") + h;
      throw Error(ErrorKind::kInvalidArgument,
                  where + "no column '" + name + "' (columns: " + names + ")");
    }
    return *index;
  };
  text_ = require(columns.text);
  if (columns.id.empty()) {
    if (auto id = column("id")) id_.push_back(*id);
  } else {
    for (const auto& name : columns.id) id_.push_back(require(name));
  }
  if (!columns.spans.empty()) {
    spans_ = require(columns.spans);
  } else {
    spans_ = column("spans");
  }
}

bool CsvSpansReader::next(SpanRecord& out) {
  std::string problem;
  std::size_t line = 0;
  while (true) {
    const auto result = parser_.next(fields_, problem, line);
    if (result == CsvParser::Result::kEnd) return false;
    if (result == CsvParser::Result::kRecord && fields_.size() != header_.size()) {
      problem = std::to_string(fields_.size()) + " fields, the header has " +
                std::to_string(header_.size());
    } else if (result == CsvParser::Result::kRecord) {
      SpanRecord record;
      record.line = line;
      record.text = fields_[text_];
      for (std::size_t k = 0; k < id_.size(); ++k) record.id += (k ? ":" : "") + fields_[id_[k]];
      if (id_.empty()) record.id = "line " + std::to_string(line);
      problem.clear();
      if (spans_ && !fields_[*spans_].empty()) {
        nlohmann::ordered_json json;
        if (auto bad = detail::parse_json(fields_[*spans_], json)) {
          problem = "column '" + header_[*spans_] + "': " + *bad;
        } else if (auto bad = detail::spans_from_json(json, count_code_points(record.text),
                                                      record.spans)) {
          problem = "record '" + record.id + "': " + *bad;
        }
      }
      if (problem.empty()) {
        for (std::size_t c = 0; c < header_.size(); ++c) {
          const bool mapped = c == text_ || (spans_ && c == *spans_) ||
                              std::find(id_.begin(), id_.end(), c) != id_.end();
          if (!mapped) record.extra.emplace_back(header_[c], detail::json_string(fields_[c]));
        }
        out = std::move(record);
        return true;
      }
    }
    log_.report(lines_.name(), line, problem);
  }
}

CsvSpansWriter::CsvSpansWriter(const std::filesystem::path& path, char delimiter)
    : file_(std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc)),
      out_(file_.get()),
      name_(path.string()),
      delimiter_(delimiter) {
  if (!*file_) throw Error(ErrorKind::kInvalidArgument, "cannot write " + name_);
}

CsvSpansWriter::CsvSpansWriter(std::ostream& out, std::string name, char delimiter)
    : out_(&out), name_(std::move(name)), delimiter_(delimiter) {}

std::string CsvSpansWriter::field(const std::string& value) const {
  if (value.find_first_of(std::string("\"\r\n") + delimiter_) == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void CsvSpansWriter::write(const SpanRecord& record) {
  validate_utf8(record.text, "record '" + record.id + "' text");
  std::string line;
  if (!extra_columns_) {
    extra_columns_.emplace();
    line = "id" + std::string(1, delimiter_) + "text" + std::string(1, delimiter_) + "spans";
    for (const auto& [key, value] : record.extra) {
      extra_columns_->push_back(key);
      line += delimiter_ + field(key);
    }
    line += "\n";
  }
  std::vector<std::string> values(extra_columns_->size());
  for (const auto& [key, value] : record.extra) {
    auto it = std::find(extra_columns_->begin(), extra_columns_->end(), key);
    if (it == extra_columns_->end()) {
      throw Error(ErrorKind::kInvalidArgument, "cannot write record '" + record.id + "' to " +
                                                   name_ + ": field '" + key +
                                                   "' is not a column of the header");
    }
    const auto json = nlohmann::ordered_json::parse(detail::extra_value(record.id, key, value));
    values[static_cast<std::size_t>(it - extra_columns_->begin())] =
        json.is_string() ? json.get<std::string>() : json.dump();
  }
  line += field(record.id) + delimiter_ + field(record.text) + delimiter_ +
          field(detail::spans_to_json(record.spans));
  for (const auto& v : values) line += delimiter_ + field(v);
  line += "\n";
  out_->write(line.data(), static_cast<std::streamsize>(line.size()));
}

void CsvSpansWriter::close() {
  out_->flush();
  if (!*out_) throw Error(ErrorKind::kUnavailable, "cannot write " + name_);
}

}  // namespace spanloop::text
