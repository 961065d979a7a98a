// The conversion pipeline: read (any format) -> spans or tags -> write (any format).
#include "text/convert.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <system_error>

#include "text/error.h"
#include "text/hf_dataset.h"
#include "text/jsonl_spans.h"
#include "text/jsonl_tokens.h"
#include "text/record_convert.h"

namespace spanloop::text {

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
        splits_.emplace_back("", o.input);
        break;
      }
      case DatasetFormat::kHf: {
        const HfDatasetInfo info = read_hf_dataset_info(o.input);
        tag_names_ = info.tag_names;
        for (const auto& s : info.splits) {
          if (o.splits.empty() ||
              std::find(o.splits.begin(), o.splits.end(), s) != o.splits.end()) {
            splits_.emplace_back(s, hf_split_path(o.input, s));
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
    ExportOptions e;
    e.format = options_.to;
    e.output = options_.output;
    e.labels = options_.labels.empty() ? discover_labels() : options_.labels;
    e.scheme = options_.scheme;
    e.tokenizer = options_.tokenizer;
    e.tagging = options_.tagging;
    e.write_offsets = options_.write_offsets;
    e.split = options_.split;
    if (is_token_format(options_.to) && options_.tagging.overlap == OverlapPolicy::kLayers) {
      e.layers = count_layers(LabelMap(e.labels, e.scheme));
    }
    DatasetExporter exporter(e);
    Source source(options_);
    Item item;
    std::size_t read = 0, skipped = 0;
    std::vector<InputProblem> problems;
    while (source.next(item)) {
      ++read;
      try {
        if (item.has_tokens) {
          SpanRecord spans = to_span_record(item.tokens, options_.decode, input_scheme_);
          exporter.add(spans, std::move(item.tokens.tokens), item.split,
                       item.tokens.document_start);
        } else {
          exporter.add(item.spans, item.split);
        }
      } catch (const Error& err) {
        const std::size_t line = item.has_tokens ? item.tokens.line : item.spans.line;
        InputProblem problem{item.file, line, err.what()};
        if (!options_.skip_invalid || err.kind() != ErrorKind::kInvalidArgument) {
          throw Error(err.kind(), problem.to_string());
        }
        ++skipped;
        if (problems.size() < detail::ProblemLog::kKept) problems.push_back(std::move(problem));
      }
    }
    ConvertResult result = exporter.finish();
    const auto read_problems = source.problems();
    result.records_read = read;
    result.records_skipped = skipped + source.skipped();
    result.problems = read_problems;
    result.problems.insert(result.problems.end(), problems.begin(), problems.end());
    return result;
  }

 private:
  // A record's span form, and the tokens to tag it on when it came with tokens.
  void convert(Item& item, SpanTagger& tagger, TokenRecord& tokens) {
    if (item.has_tokens) {
      const SpanRecord spans = to_span_record(item.tokens, options_.decode, input_scheme_);
      tokens = to_token_record(spans, tagger, item.tokens.tokens);
    } else {
      tokens = to_token_record(item.spans, tagger, *pretokenizer_);
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
      TokenRecord tokens;
      convert(item, tagger, tokens);
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

}  // namespace spanloop::text
