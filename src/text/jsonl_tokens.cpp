// JSONL tokens reading and writing.
#include "text/jsonl_tokens.h"

#include "text/error.h"
#include "text/span_json.h"
#include "text/utf8.h"

namespace spanloop::text {

std::string tag_field_name(std::size_t layer) {
  return layer == 0 ? "ner_tags" : "ner_tags_" + std::to_string(layer + 1);
}

namespace {

// "text" and "offsets" ([[start, end], ...] in code points) written by JsonlTokensWriter.
std::optional<std::string> read_offsets(const nlohmann::ordered_json& j, TokenRecord& record) {
  if (!j.contains("text") || !j["text"].is_string() || !j.contains("offsets") ||
      !j["offsets"].is_array()) {
    return "\"text\" (a string) and \"offsets\" (an array) go together";
  }
  const auto& offsets = j["offsets"];
  if (offsets.size() != record.tokens.size()) return "\"offsets\" must be as long as \"tokens\"";
  std::string text = j["text"].get<std::string>();
  const std::size_t length = count_code_points(text);
  std::size_t previous_end = 0;
  for (std::size_t i = 0; i < offsets.size(); ++i) {
    const auto& o = offsets[i];
    if (!o.is_array() || o.size() != 2 || !o[0].is_number_unsigned() ||
        !o[1].is_number_unsigned()) {
      return "offsets[" + std::to_string(i) + "] must be [start, end]";
    }
    const auto start = o[0].get<std::size_t>(), end = o[1].get<std::size_t>();
    if (start >= end || start < previous_end || end > length) {
      return "offsets[" + std::to_string(i) + "] [" + std::to_string(start) + ", " +
             std::to_string(end) +
             "] is empty, overlaps the previous token or ends past the text (" +
             std::to_string(length) + " code points)";
    }
    record.tokens[i].start = start;
    record.tokens[i].end = end;
    previous_end = end;
  }
  record.text = std::move(text);
  return std::nullopt;
}

}  // namespace

JsonlTokensReader::JsonlTokensReader(const std::filesystem::path& path,
                                     std::vector<std::string> tag_names, ReadOptions read)
    : lines_(path), tag_names_(std::move(tag_names)), log_(read) {}

JsonlTokensReader::JsonlTokensReader(std::istream& in, std::string name,
                                     std::vector<std::string> tag_names, ReadOptions read)
    : lines_(in, std::move(name)), tag_names_(std::move(tag_names)), log_(read) {}

bool JsonlTokensReader::next(TokenRecord& out) {
  std::string line;
  while (lines_.next(line)) {
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const std::size_t number = lines_.line_number();
    std::optional<std::string> problem = detail::utf8_problem(line);
    nlohmann::ordered_json j;
    if (!problem) {
      problem = detail::parse_json(line, j);
      if (!problem && !j.is_object()) problem = "expected a JSON object";
    }
    TokenRecord record;
    record.line = number;
    if (!problem) {
      record.id = "line " + std::to_string(number);
      if (j.contains("id")) {
        if (auto id = detail::id_from_json(j["id"]))
          record.id = *id;
        else
          problem = "\"id\" must be a string or an integer";
      }
    }
    if (!problem && (!j.contains("tokens") || !j["tokens"].is_array())) {
      problem = "\"tokens\" (an array of strings) is missing";
    }
    std::vector<std::string> token_strings;
    if (!problem) {
      for (const auto& t : j["tokens"]) {
        if (!t.is_string() || t.get_ref<const std::string&>().empty()) {
          problem = "\"tokens\" must hold non-empty strings";
          break;
        }
        token_strings.push_back(t.get<std::string>());
      }
    }
    if (!problem) {
      set_tokens_joined(record, token_strings);
      if (j.contains("text") || j.contains("offsets")) problem = read_offsets(j, record);
    }
    for (std::size_t layer = 0; !problem; ++layer) {
      const std::string field = tag_field_name(layer);
      if (!j.contains(field)) {
        if (layer == 0) problem = "\"ner_tags\" is missing";
        break;
      }
      const auto& tags = j[field];
      if (!tags.is_array() || tags.size() != record.tokens.size()) {
        problem = "\"" + field + "\" must be an array as long as \"tokens\" (" +
                  std::to_string(record.tokens.size()) + ")";
        break;
      }
      std::vector<std::string> layer_tags;
      for (const auto& t : tags) {
        if (t.is_string() && !t.get_ref<const std::string&>().empty()) {
          layer_tags.push_back(t.get<std::string>());
        } else if (t.is_number_unsigned() && t.get<std::size_t>() < tag_names_.size()) {
          layer_tags.push_back(tag_names_[t.get<std::size_t>()]);
        } else {
          problem = "\"" + field + "\" holds " + t.dump() +
                    (tag_names_.empty()
                         ? ", but no tag names are known (dataset_info.json or a label map)"
                         : ", which is not a tag id below " + std::to_string(tag_names_.size()) +
                               " or a tag string");
          break;
        }
      }
      record.tags.push_back(std::move(layer_tags));
    }
    if (problem) {
      log_.report(lines_.name(), number, *problem);
      continue;
    }
    for (const auto& [key, value] : j.items()) {
      if (key != "id" && key != "tokens" && key != "text" && key != "offsets" &&
          key.rfind("ner_tags", 0) != 0) {
        record.extra.emplace_back(key, value.dump());
      }
    }
    out = std::move(record);
    return true;
  }
  return false;
}

JsonlTokensWriter::JsonlTokensWriter(const std::filesystem::path& path, LabelMap map,
                                     TokenFileOptions options)
    : file_(std::make_unique<std::ofstream>(path, std::ios::binary | std::ios::trunc)),
      out_(file_.get()),
      name_(path.string()),
      map_(std::move(map)),
      layers_(options.layers),
      write_offsets_(options.write_offsets) {
  if (!*file_) throw Error(ErrorKind::kInvalidArgument, "cannot write " + name_);
}

JsonlTokensWriter::JsonlTokensWriter(std::ostream& out, std::string name, LabelMap map,
                                     TokenFileOptions options)
    : out_(&out),
      name_(std::move(name)),
      map_(std::move(map)),
      layers_(options.layers),
      write_offsets_(options.write_offsets) {}

void JsonlTokensWriter::write(const TokenRecord& record) {
  const auto fail = [&](const std::string& what) {
    throw Error(ErrorKind::kInvalidArgument,
                "cannot write record '" + record.id + "' to " + name_ + ": " + what);
  };
  if (record.tags.size() > layers_) {
    fail(std::to_string(record.tags.size()) + " tag layers, the file declares " +
         std::to_string(layers_));
  }
  std::string line = "{\"id\": " + detail::json_string(record.id) + ", \"tokens\": [";
  for (std::size_t i = 0; i < record.tokens.size(); ++i) {
    if (i > 0) line += ", ";
    line += detail::json_string(record.tokens[i].text);
  }
  line += "]";
  if (write_offsets_) {
    line += ", \"text\": " + detail::json_string(record.text) + ", \"offsets\": [";
    for (std::size_t i = 0; i < record.tokens.size(); ++i) {
      if (i > 0) line += ", ";
      line += "[" + std::to_string(record.tokens[i].start) + ", " +
              std::to_string(record.tokens[i].end) + "]";
    }
    line += "]";
  }
  for (std::size_t layer = 0; layer < layers_; ++layer) {
    line += ", \"" + tag_field_name(layer) + "\": [";
    const bool present = layer < record.tags.size();
    if (present && record.tags[layer].size() != record.tokens.size()) {
      fail(std::to_string(record.tags[layer].size()) + " tags for " +
           std::to_string(record.tokens.size()) + " tokens");
    }
    for (std::size_t i = 0; i < record.tokens.size(); ++i) {
      if (i > 0) line += ", ";
      if (!present) {
        line += "0";
        continue;
      }
      const auto id = map_.find_tag(record.tags[layer][i]);
      if (!id) fail("tag '" + record.tags[layer][i] + "' is not in the label map");
      line += std::to_string(*id);
    }
    line += "]";
  }
  for (const auto& [key, value] : record.extra) {
    line += ", " + detail::json_string(key) + ": " + detail::extra_value(record.id, key, value);
  }
  line += "}\n";
  out_->write(line.data(), static_cast<std::streamsize>(line.size()));
  bytes_ += line.size();
  ++records_;
}

void JsonlTokensWriter::close() {
  out_->flush();
  if (!*out_) throw Error(ErrorKind::kUnavailable, "cannot write " + name_);
}

}  // namespace spanloop::text
