// JSONL spans reading and writing.
#include "text/jsonl_spans.h"

#include "text/error.h"
#include "text/span_json.h"
#include "text/utf8.h"

namespace spanloop::text {

JsonlSpansReader::JsonlSpansReader(const std::filesystem::path& path, ReadOptions read)
    : lines_(path), log_(read) {}

JsonlSpansReader::JsonlSpansReader(std::istream& in, std::string name, ReadOptions read)
    : lines_(in, std::move(name)), log_(read) {}

bool JsonlSpansReader::next(SpanRecord& out) {
  std::string line;
  while (lines_.next(line)) {
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const std::size_t number = lines_.line_number();
    auto problem = [&](const std::string& message) { log_.report(lines_.name(), number, message); };
    if (auto bad = detail::utf8_problem(line)) {
      problem(*bad);
      continue;
    }
    nlohmann::ordered_json j;
    if (auto bad = detail::parse_json(line, j)) {
      problem(*bad);
      continue;
    }
    if (!j.is_object()) {
      problem("expected a JSON object");
      continue;
    }
    if (!j.contains("text") || !j["text"].is_string()) {
      problem("\"text\" (a string) is missing");
      continue;
    }
    SpanRecord record;
    record.line = number;
    record.text = j["text"].get<std::string>();
    if (j.contains("id")) {
      auto id = detail::id_from_json(j["id"]);
      if (!id) {
        problem("\"id\" must be a string or an integer");
        continue;
      }
      record.id = std::move(*id);
    } else {
      record.id = "line " + std::to_string(number);
    }
    if (j.contains("spans")) {
      if (auto bad =
              detail::spans_from_json(j["spans"], count_code_points(record.text), record.spans)) {
        problem("record '" + record.id + "': " + *bad);
        continue;
      }
    }
    for (const auto& [key, value] : j.items()) {
      if (key != "id" && key != "text" && key != "spans")
        record.extra.emplace_back(key, value.dump());
    }
    out = std::move(record);
    return true;
  }
  return false;
}

JsonlSpansWriter::JsonlSpansWriter(const std::filesystem::path& path)
    : file_(std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc)),
      out_(file_.get()),
      name_(path.string()) {
  if (!*file_) throw Error(ErrorKind::kInvalidArgument, "cannot write " + name_);
}

JsonlSpansWriter::JsonlSpansWriter(std::ostream& out, std::string name)
    : out_(&out), name_(std::move(name)) {}

void JsonlSpansWriter::write(const SpanRecord& record) {
  std::string line = "{\"id\": " + detail::json_string(record.id) +
                     ", \"text\": " + detail::json_string(record.text) +
                     ", \"spans\": " + detail::spans_to_json(record.spans);
  for (const auto& [key, value] : record.extra) {
    line += ", " + detail::json_string(key) + ": " + detail::extra_value(record.id, key, value);
  }
  line += "}\n";
  out_->write(line.data(), static_cast<std::streamsize>(line.size()));
}

void JsonlSpansWriter::close() {
  out_->flush();
  if (!*out_) throw Error(ErrorKind::kUnavailable, "cannot write " + name_);
}

}  // namespace spanloop::text
