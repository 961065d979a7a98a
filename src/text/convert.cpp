// The conversion pipeline: read (any format) -> spans or tags -> write (any format).
#include "text/convert.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <system_error>

#include "text/error.h"
#include "text/hf_dataset.h"
#include "text/jsonl_spans.h"
#include "text/jsonl_tokens.h"
#include "text/record_convert.h"

namespace spanloop::text {

DatasetFormat parse_dataset_format(std::string_view name) {
  if (name == "conll") return DatasetFormat::kConll;
  if (name == "jsonl") return DatasetFormat::kJsonl;
  if (name == "tokens-jsonl") return DatasetFormat::kTokensJsonl;
  if (name == "hf") return DatasetFormat::kHf;
  if (name == "csv") return DatasetFormat::kCsv;
  if (name == "tsv") return DatasetFormat::kTsv;
  throw Error(ErrorKind::kInvalidArgument,
              "unknown format '" + std::string(name) +
                  "' (expected conll, jsonl, tokens-jsonl, hf, csv or tsv)");
}

std::string_view dataset_format_name(DatasetFormat format) {
  switch (format) {
    case DatasetFormat::kConll:
      return "conll";
    case DatasetFormat::kJsonl:
      return "jsonl";
    case DatasetFormat::kTokensJsonl:
      return "tokens-jsonl";
    case DatasetFormat::kHf:
      return "hf";
    case DatasetFormat::kCsv:
      return "csv";
    case DatasetFormat::kTsv:
      return "tsv";
  }
  return "jsonl";
}

bool is_token_format(DatasetFormat format) {
  return format == DatasetFormat::kConll || format == DatasetFormat::kTokensJsonl ||
         format == DatasetFormat::kHf;
}

namespace {

namespace fs = std::filesystem;

// One input record in either shape, with where it came from.
struct Item {
  bool has_tokens = false;
  SpanRecord spans;
  TokenRecord tokens;
  std::string file;
  std::string split;
};

// Streams the records of options.input in any format.
class Source {
 public:
  explicit Source(const ConvertOptions& o) : options_(o) {
    const ReadOptions read{o.skip_invalid};
    switch (o.from) {
      case DatasetFormat::kConll:
        conll_ = std::make_unique<ConllReader>(o.input, o.conll, read);
        break;
      case DatasetFormat::kJsonl:
        jsonl_ = std::make_unique<JsonlSpansReader>(o.input, read);
        break;
      case DatasetFormat::kCsv:
      case DatasetFormat::kTsv:
        csv_ = std::make_unique<CsvSpansReader>(o.input, o.from == DatasetFormat::kCsv ? ',' : '\t',
                                                o.csv_columns, read);
        break;
      case DatasetFormat::kTokensJsonl: {
        const fs::path labels = label_map_path_for(o.input, false);
        if (fs::exists(labels)) tag_names_ = LabelMap::read_file(labels).tags();
        splits_.push_back({"", o.input});
        break;
      }
      case DatasetFormat::kHf: {
        const HfDatasetInfo info = read_hf_dataset_info(o.input);
        tag_names_ = info.tag_names;
        for (const auto& s : info.splits) {
          if (o.splits.empty() ||
              std::find(o.splits.begin(), o.splits.end(), s) != o.splits.end()) {
            splits_.push_back({s, hf_split_path(o.input, s)});
          }
        }
        for (const auto& wanted : o.splits) {
          if (std::find(info.splits.begin(), info.splits.end(), wanted) == info.splits.end()) {
            throw Error(ErrorKind::kNotFound, "no split '" + wanted + "' in " + o.input.string());
          }
        }
        break;
      }
    }
  }

  const std::vector<std::string>& tag_names() const { return tag_names_; }

  bool next(Item& item) {
    item.file = options_.input.string();
    item.split.clear();
    if (conll_) return item.has_tokens = true, conll_->next(item.tokens);
    if (jsonl_) return item.has_tokens = false, jsonl_->next(item.spans);
    if (csv_) return item.has_tokens = false, csv_->next(item.spans);
    item.has_tokens = true;
    while (split_index_ < splits_.size()) {
      if (!tokens_) {
        tokens_ = std::make_unique<JsonlTokensReader>(splits_[split_index_].second, tag_names_,
                                                      ReadOptions{options_.skip_invalid});
      }
      item.file = splits_[split_index_].second.string();
      item.split = splits_[split_index_].first;
      if (tokens_->next(item.tokens)) return true;
      collect(*tokens_);
      tokens_.reset();
      ++split_index_;
    }
    return false;
  }

  // Problems and skipped counts of every reader used so far.
  std::vector<InputProblem> problems() {
    if (conll_) collect(*conll_);
    if (jsonl_) collect(*jsonl_);
    if (csv_) collect(*csv_);
    if (tokens_) collect(*tokens_);
    conll_.reset();
    jsonl_.reset();
    csv_.reset();
    tokens_.reset();
    return problems_;
  }
  std::size_t skipped() const { return skipped_; }

 private:
  template <typename Reader>
  void collect(const Reader& r) {
    problems_.insert(problems_.end(), r.problems().begin(), r.problems().end());
    skipped_ += r.skipped();
  }

  const ConvertOptions& options_;
  std::unique_ptr<ConllReader> conll_;
  std::unique_ptr<JsonlSpansReader> jsonl_;
  std::unique_ptr<CsvSpansReader> csv_;
  std::unique_ptr<JsonlTokensReader> tokens_;
  std::vector<std::pair<std::string, fs::path>> splits_;
  std::size_t split_index_ = 0;
  std::vector<std::string> tag_names_;
  std::vector<InputProblem> problems_;
  std::size_t skipped_ = 0;
};

// Writes records to options.output in any format.
class Sink {
 public:
  Sink(const ConvertOptions& o, const LabelMap& map, std::size_t layers) : split_(o.split) {
    const TokenFileOptions token_options{layers, o.write_offsets};
    switch (o.to) {
      case DatasetFormat::kConll:
        conll_ = std::make_unique<ConllWriter>(o.output);
        break;
      case DatasetFormat::kJsonl:
        jsonl_ = std::make_unique<JsonlSpansWriter>(o.output);
        break;
      case DatasetFormat::kCsv:
      case DatasetFormat::kTsv:
        csv_ = std::make_unique<CsvSpansWriter>(o.output, o.to == DatasetFormat::kCsv ? ',' : '\t');
        break;
      case DatasetFormat::kTokensJsonl:
        tokens_ = std::make_unique<JsonlTokensWriter>(o.output, map, token_options);
        break;
      case DatasetFormat::kHf:
        hf_ = std::make_unique<HfDatasetWriter>(o.output, map, token_options);
        break;
    }
  }

  // Returns false when the record could not be written because it has no tokens (CoNLL).
  bool write(const Item& in, const SpanRecord* spans, const TokenRecord* tokens) {
    if (conll_) {
      if (tokens->tokens.empty()) return false;
      conll_->write(*tokens);
    } else if (tokens_) {
      tokens_->write(*tokens);
    } else if (hf_) {
      hf_->write(in.split.empty() ? split_ : in.split, *tokens);
    } else if (jsonl_) {
      jsonl_->write(*spans);
    } else {
      csv_->write(*spans);
    }
    return true;
  }

  void finish() {
    if (conll_) conll_->close();
    if (jsonl_) jsonl_->close();
    if (csv_) csv_->close();
    if (tokens_) tokens_->close();
    if (hf_) hf_->finish();
  }

 private:
  std::string split_;
  std::unique_ptr<ConllWriter> conll_;
  std::unique_ptr<JsonlSpansWriter> jsonl_;
  std::unique_ptr<CsvSpansWriter> csv_;
  std::unique_ptr<JsonlTokensWriter> tokens_;
  std::unique_ptr<HfDatasetWriter> hf_;
};

// The type a tag name gives in seqeval's default mode ("B-PER" -> "PER"), for label order.
std::optional<std::string> label_of_tag(const std::string& tag) {
  if (tag == "O" || tag.size() < 2) return std::nullopt;
  TagSet set;
  const TypeId type = set.parsed(set.intern(tag)).default_type;
  if (type == TagSet::kUnderscoreType) return std::nullopt;
  return set.type_name(type);
}

void add_label(std::vector<std::string>& labels, const std::string& label) {
  if (std::find(labels.begin(), labels.end(), label) == labels.end()) labels.push_back(label);
}

class Converter {
 public:
  explicit Converter(const ConvertOptions& o)
      : options_(o), pretokenizer_(make_pretokenizer(o.tokenizer)) {
    if (o.decode == DecodeMode::kStrict) {
      input_scheme_ = o.input_scheme ? *o.input_scheme : o.scheme;
      check_strict_scheme(*input_scheme_);
    }
  }

  ConvertResult run() {
    ConvertResult result;
    result.labels = options_.labels.empty() ? discover_labels() : options_.labels;
    const LabelMap map(result.labels, options_.scheme);
    if (is_token_format(options_.to) && options_.tagging.overlap == OverlapPolicy::kLayers) {
      result.layers = count_layers(map);
    }
    SpanTagger tagger(map, options_.tagging);
    Source source(options_);
    Sink sink(options_, map, result.layers);
    Item item;
    while (source.next(item)) {
      ++result.records_read;
      try {
        SpanRecord spans;
        TokenRecord tokens;
        convert(item, tagger, spans, tokens);
        if (sink.write(item, &spans, &tokens)) {
          ++result.records_written;
        } else {
          ++result.records_empty;
        }
      } catch (const Error& e) {
        const std::size_t line = item.has_tokens ? item.tokens.line : item.spans.line;
        InputProblem problem{item.file, line, e.what()};
        if (!options_.skip_invalid || e.kind() != ErrorKind::kInvalidArgument) {
          throw Error(e.kind(), problem.to_string());
        }
        ++result.records_skipped;
        if (result.problems.size() < 20) result.problems.push_back(std::move(problem));
      }
    }
    sink.finish();
    const auto read_problems = source.problems();
    result.records_skipped += source.skipped();
    result.problems.insert(result.problems.begin(), read_problems.begin(), read_problems.end());
    if (is_token_format(options_.to)) result.tagging = tagger.report();
    result.label_map_path = label_map_path_for(options_.output, options_.to == DatasetFormat::kHf);
    if (options_.to != DatasetFormat::kHf) map.write_file(result.label_map_path);
    return result;
  }

 private:
  // Input record -> its span form and, for token outputs, its token form.
  void convert(Item& item, SpanTagger& tagger, SpanRecord& spans, TokenRecord& tokens) {
    if (item.has_tokens) {
      spans = to_span_record(item.tokens, options_.decode, input_scheme_);
      if (is_token_format(options_.to)) {
        tokens = to_token_record(spans, tagger, item.tokens.tokens);
        tokens.document_start = item.tokens.document_start;
      }
    } else {
      spans = std::move(item.spans);
      if (is_token_format(options_.to)) tokens = to_token_record(spans, tagger, *pretokenizer_);
    }
  }

  void each_record(const std::function<void(Item&)>& fn) {
    Source source(options_);
    Item item;
    while (source.next(item)) {
      try {
        fn(item);
      } catch (const Error& e) {
        if (!options_.skip_invalid) {
          const std::size_t line = item.has_tokens ? item.tokens.line : item.spans.line;
          throw Error(e.kind(), InputProblem{item.file, line, e.what()}.to_string());
        }
      }
    }
  }

  // The input's label map names first (hf, tokens-jsonl), then labels in order of appearance.
  std::vector<std::string> discover_labels() {
    std::vector<std::string> labels;
    const std::vector<std::string> names = Source(options_).tag_names();
    for (const auto& name : names) {
      if (auto l = label_of_tag(name)) add_label(labels, *l);
    }
    each_record([&](Item& item) {
      const SpanRecord spans = item.has_tokens
                                   ? to_span_record(item.tokens, options_.decode, input_scheme_)
                                   : item.spans;
      for (const Span& s : spans.spans) add_label(labels, s.label);
    });
    return labels;
  }

  std::size_t count_layers(const LabelMap& map) {
    SpanTagger tagger(map, options_.tagging);
    std::size_t layers = 1;
    each_record([&](Item& item) {
      SpanRecord spans;
      TokenRecord tokens;
      convert(item, tagger, spans, tokens);
      layers = std::max(layers, tokens.tags.size());
    });
    return layers;
  }

  const ConvertOptions& options_;
  std::unique_ptr<PreTokenizer> pretokenizer_;
  std::optional<Scheme> input_scheme_;
};

}  // namespace

ConvertResult convert_dataset(const ConvertOptions& options) {
  std::error_code ec;
  if (fs::exists(options.output, ec) && fs::exists(options.input, ec) &&
      fs::equivalent(options.input, options.output, ec)) {
    throw Error(ErrorKind::kInvalidArgument,
                "the output " + options.output.string() + " is the input");
  }
  return Converter(options).run();
}

std::string ConvertResult::to_text() const {
  std::string out = "records: read " + std::to_string(records_read) + ", written " +
                    std::to_string(records_written) + ", skipped " +
                    std::to_string(records_skipped);
  if (records_empty > 0) out += ", without tokens (not written) " + std::to_string(records_empty);
  out += "\nlabels (" + std::to_string(labels.size()) + "):";
  for (const auto& l : labels) out += " " + l;
  out += "\nlabel map: " + label_map_path.string() + "\n";
  if (layers > 1) out += "tag layers: " + std::to_string(layers) + "\n";
  if (tagging) out += tagging->to_text();
  if (!problems.empty()) {
    out += "skipped records (first " + std::to_string(problems.size()) + "):\n";
    for (const auto& p : problems) out += "  " + p.to_string() + "\n";
  }
  return out;
}

std::string ConvertResult::to_json() const {
  nlohmann::ordered_json j;
  j["records_read"] = records_read;
  j["records_written"] = records_written;
  j["records_skipped"] = records_skipped;
  j["records_without_tokens"] = records_empty;
  j["labels"] = labels;
  j["layers"] = layers;
  j["label_map"] = label_map_path.string();
  nlohmann::ordered_json problems_json = nlohmann::ordered_json::array();
  for (const auto& p : problems)
    problems_json.push_back({{"file", p.file}, {"line", p.line}, {"message", p.message}});
  j["problems"] = std::move(problems_json);
  j["tagging"] =
      tagging ? nlohmann::ordered_json::parse(tagging->to_json()) : nlohmann::ordered_json();
  return j.dump(2) + "\n";
}

}  // namespace spanloop::text
