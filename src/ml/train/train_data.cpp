// Reading training data from every supported source into word-level examples.
#include "ml/train/train_data.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>

#include "ml/train/server_source.h"
#include "ml/train/train_options.h"
#include "text/conll.h"
#include "text/error.h"
#include "text/hf_dataset.h"
#include "text/jsonl_spans.h"
#include "text/pretokenizer.h"
#include "text/record_convert.h"
#include "text/span_tagger.h"

namespace spanloop::ml::train {
namespace fs = std::filesystem;
namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_not_found("cannot read " + path.string());
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The type part of a tag ("B-Material" -> "Material"; "O" -> "").
std::string tag_type(const std::string& tag) {
  if (tag == "O") return "";
  const auto dash = tag.find('-');
  return dash == std::string::npos ? tag : tag.substr(dash + 1);
}
char tag_prefix(const std::string& tag) {
  return tag.size() > 1 && tag[1] == '-' ? tag[0] : 'I';
}

TaggedSentences read_conll(const fs::path& path) {
  TaggedSentences out;
  text::ConllReader reader(path);
  text::TokenRecord r;
  while (reader.next(r)) {
    if (r.tokens.empty()) continue;
    out.records.push_back(r);
  }
  return out;
}

// JSONL spans: labels in first-appearance order over all files, words from the pre-tokenizer.
std::vector<TaggedSentences> read_spans(const std::vector<fs::path>& files, const TrainOptions& o) {
  std::vector<std::vector<text::SpanRecord>> raw(files.size());
  std::vector<std::string> labels;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < files.size(); ++i) {
    text::JsonlSpansReader reader(files[i]);
    text::SpanRecord r;
    while (reader.next(r)) {
      for (const auto& s : r.spans)
        if (seen.insert(s.label).second) labels.push_back(s.label);
      raw[i].push_back(r);
    }
  }
  const text::LabelMap map(labels, text::parse_scheme(o.scheme));
  text::SpanTagger tagger(map, {text::AlignmentPolicy::kExpand, text::OverlapPolicy::kLongest});
  const auto pre = text::make_pretokenizer(o.pretokenizer);
  std::vector<TaggedSentences> out(files.size());
  for (std::size_t i = 0; i < files.size(); ++i) {
    out[i].declared_labels = labels;
    for (const auto& r : raw[i]) {
      auto tr = text::to_token_record(r, tagger, *pre);
      if (!tr.tokens.empty()) out[i].records.push_back(std::move(tr));
    }
  }
  return out;
}

bool looks_like_spans(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto j = nlohmann::json::parse(line, nullptr, false);
    return j.is_object() && j.contains("spans") && !j.contains("tokens");
  }
  return false;
}

std::string detect_format(const fs::path& path, const std::string& given) {
  if (given != "auto") return given;
  if (fs::is_directory(path)) return "hf";
  if (path.extension() == ".jsonl" || path.extension() == ".json")
    return looks_like_spans(path) ? "jsonl-spans" : "jsonl-tokens";
  return "conll";
}

// A split next to a data file: an existing path as given, else relative to the file's folder.
fs::path sibling(const fs::path& data_file, const std::string& split) {
  if (fs::exists(split)) return split;
  const fs::path p = data_file.parent_path() / split;
  if (!fs::exists(p))
    throw_not_found("validation data '" + split + "' not found (as given or next to " +
                    data_file.string() + ")");
  return p;
}

}  // namespace

TaggedSentences parse_token_jsonl(const std::string& body, const std::string& name,
                                  const std::string& tokens_column, const std::string& tags_column,
                                  const std::vector<std::string>& tag_names) {
  TaggedSentences out;
  std::istringstream in(body);
  std::string line;
  std::size_t line_no = 0;
  auto fail = [&](const std::string& msg) {
    throw_invalid(name + ":" + std::to_string(line_no) + ": " + msg);
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {
      fail(std::string("invalid JSON: ") + e.what());
    }
    if (!j.is_object()) fail("expected a JSON object");
    std::string tags_key = tags_column;
    if (!j.contains(tags_key) && tags_column == "tags" && j.contains("ner_tags"))
      tags_key = "ner_tags";
    if (!j.contains(tokens_column) || !j[tokens_column].is_array())
      fail("missing list field '" + tokens_column + "' (--tokens-column)");
    if (!j.contains(tags_key) || !j[tags_key].is_array())
      fail("missing list field '" + tags_column + "' (--tags-column)");
    const auto& toks = j[tokens_column];
    const auto& tags = j[tags_key];
    if (toks.size() != tags.size())
      fail(std::to_string(toks.size()) + " tokens but " + std::to_string(tags.size()) + " tags");
    std::vector<std::string> words, tag_strings;
    for (const auto& t : toks) {
      if (!t.is_string()) fail("tokens must be strings");
      words.push_back(t.get<std::string>());
    }
    for (const auto& t : tags) {
      if (t.is_string()) {
        tag_strings.push_back(t.get<std::string>());
      } else if (t.is_number_integer()) {
        const auto id = t.get<long long>();
        if (tag_names.empty()) fail("integer tags need tag names (dataset_info.json)");
        if (id < 0 || id >= static_cast<long long>(tag_names.size()))
          fail("tag id " + std::to_string(id) + " outside the " + std::to_string(tag_names.size()) +
               " declared tag names");
        tag_strings.push_back(tag_names[static_cast<std::size_t>(id)]);
      } else {
        fail("tags must be strings or integers");
      }
    }
    if (words.empty()) continue;
    text::TokenRecord r;
    r.id = j.contains("id") ? (j["id"].is_string() ? j["id"].get<std::string>() : j["id"].dump())
                            : std::to_string(line_no);
    text::set_tokens_joined(r, words);
    r.tags.push_back(std::move(tag_strings));
    r.line = line_no;
    out.records.push_back(std::move(r));
  }
  // Declared label order: the tag names' types in order.
  std::set<std::string> seen;
  for (const auto& t : tag_names) {
    const auto type = tag_type(t);
    if (!type.empty() && seen.insert(type).second) out.declared_labels.push_back(type);
  }
  return out;
}

text::LabelMap label_map_for(const std::vector<const TaggedSentences*>& sources) {
  std::vector<std::string> labels;
  std::set<std::string> seen;
  std::set<char> prefixes;
  for (const auto* s : sources)
    for (const auto& l : s->declared_labels)
      if (seen.insert(l).second) labels.push_back(l);
  for (const auto* s : sources)
    for (const auto& r : s->records)
      for (const auto& t : r.tags.front()) {
        if (t == "O") continue;
        prefixes.insert(tag_prefix(t));
        const auto type = tag_type(t);
        if (seen.insert(type).second) labels.push_back(type);
      }
  auto has = [&](char c) { return prefixes.count(c) != 0; };
  text::Scheme scheme = text::Scheme::kIOB2;
  if (has('L') || has('U')) {
    scheme = text::Scheme::kBILOU;
  } else if (has('S') || (has('E') && has('B'))) {
    scheme = text::Scheme::kIOBES;
  } else if (has('E')) {
    scheme = text::Scheme::kIOE2;
  } else if (!has('B') && !prefixes.empty()) {
    scheme = text::Scheme::kIO;
  }
  return text::LabelMap(labels, scheme);
}

std::vector<WordExample> encode_examples(const TaggedSentences& data, const text::LabelMap& map) {
  std::vector<WordExample> out;
  out.reserve(data.records.size());
  for (const auto& r : data.records) {
    WordExample e;
    e.id = r.id;
    for (const auto& t : r.tokens) e.words.push_back(t.text);
    e.tags = map.encode(r.tags.front(), "sentence '" + r.id + "'");
    out.push_back(std::move(e));
  }
  return out;
}

void split_validation(std::vector<WordExample>& train, std::vector<WordExample>& valid,
                      double fraction, std::uint64_t seed) {
  if (fraction <= 0 || train.size() < 2) return;
  std::vector<std::size_t> order(train.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  auto n = static_cast<std::size_t>(fraction * static_cast<double>(train.size()));
  n = std::clamp<std::size_t>(n, 1, train.size() - 1);
  std::vector<bool> held(train.size(), false);
  for (std::size_t i = 0; i < n; ++i) held[order[i]] = true;
  std::vector<WordExample> keep;
  for (std::size_t i = 0; i < train.size(); ++i)
    (held[i] ? valid : keep).push_back(std::move(train[i]));
  train = std::move(keep);
}

TrainData load_train_data(const TrainOptions& o) {
  TaggedSentences train, valid;
  std::vector<std::string> notes;
  if (!o.server.empty()) {
    const std::string body = fetch_server_export(o.server, o.dataset, o.api_key);
    train = parse_token_jsonl(body, o.server + " dataset " + o.dataset, o.tokens_column,
                              o.tags_column, {});
    notes.push_back("read " + std::to_string(train.records.size()) +
                    " submitted records of dataset '" + o.dataset + "' from " + o.server);
  } else {
    fs::path path = o.data_path;
    if (!fs::exists(path)) throw_not_found("--data-path " + path.string() + " does not exist");
    std::string format = detect_format(path, o.data_format);
    std::string valid_split = o.valid_split;
    // A folder of span splits (the shared data's layout: train.jsonl + validation.jsonl with
    // text and spans, no dataset_info.json) reads as JSONL spans, split names as file stems.
    if (format == "hf" && o.data_format == "auto" && !fs::exists(path / "dataset_info.json") &&
        fs::exists(text::hf_split_path(path, o.train_split)) &&
        looks_like_spans(text::hf_split_path(path, o.train_split))) {
      if (!valid_split.empty()) valid_split = text::hf_split_path(path, valid_split).string();
      path = text::hf_split_path(path, o.train_split);
      format = "jsonl-spans";
    }
    if (format == "hf") {
      const auto info = text::read_hf_dataset_info(path);
      auto read_split = [&](const std::string& split) {
        const auto file = text::hf_split_path(path, split);
        if (!fs::exists(file)) throw_not_found("split '" + split + "' not found: " + file.string());
        return parse_token_jsonl(read_file(file), file.string(), o.tokens_column, o.tags_column,
                                 info.tag_names);
      };
      train = read_split(o.train_split);
      if (!o.valid_split.empty()) valid = read_split(o.valid_split);
    } else if (format == "conll") {
      train = read_conll(path);
      if (!o.valid_split.empty()) valid = read_conll(sibling(path, o.valid_split));
    } else if (format == "jsonl-tokens") {
      train = parse_token_jsonl(read_file(path), path.string(), o.tokens_column, o.tags_column, {});
      if (!o.valid_split.empty()) {
        const auto v = sibling(path, o.valid_split);
        valid = parse_token_jsonl(read_file(v), v.string(), o.tokens_column, o.tags_column, {});
      }
    } else {  // jsonl-spans
      std::vector<fs::path> files{path};
      if (!valid_split.empty()) files.push_back(sibling(path, valid_split));
      auto both = read_spans(files, o);
      train = std::move(both[0]);
      if (both.size() > 1) valid = std::move(both[1]);
      notes.push_back("spans tagged with scheme " + o.scheme + " over '" + o.pretokenizer +
                      "' words");
    }
    notes.push_back("read " + std::to_string(train.records.size()) + " training sentences (" +
                    format + ") from " + path.string());
  }
  if (train.records.empty()) throw_invalid("no training sentences in the data");
  TrainData out{label_map_for({&train, &valid}), {}, {}, std::move(notes)};
  out.train = encode_examples(train, out.labels);
  out.valid = encode_examples(valid, out.labels);
  if (o.valid_fraction > 0) {
    split_validation(out.train, out.valid, o.valid_fraction, static_cast<std::uint64_t>(o.seed));
    out.notes.push_back("held out " + std::to_string(out.valid.size()) +
                        " training sentences for validation (--valid-fraction)");
  }
  out.notes.push_back("labels: " + std::to_string(out.labels.size()) + " tags, scheme " +
                      std::string(text::scheme_name(out.labels.scheme())));
  return out;
}

}  // namespace spanloop::ml::train
