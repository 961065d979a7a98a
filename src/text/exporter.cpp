// DatasetExporter: tagging, per-format writers and the label map.
#include "text/exporter.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "text/conll.h"
#include "text/csv.h"
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

// One writer per format.
class Sink {
 public:
  Sink(const ExportOptions& o, const LabelMap& map, std::size_t layers) {
    const TokenFileOptions token_options{layers, o.write_offsets};
    switch (o.format) {
      case DatasetFormat::kConll:
        conll_ = std::make_unique<ConllWriter>(o.output);
        break;
      case DatasetFormat::kJsonl:
        jsonl_ = std::make_unique<JsonlSpansWriter>(o.output);
        break;
      case DatasetFormat::kCsv:
      case DatasetFormat::kTsv:
        csv_ = std::make_unique<CsvSpansWriter>(o.output,
                                                o.format == DatasetFormat::kCsv ? ',' : '\t');
        break;
      case DatasetFormat::kTokensJsonl:
        tokens_ = std::make_unique<JsonlTokensWriter>(o.output, map, token_options);
        break;
      case DatasetFormat::kHf:
        hf_ = std::make_unique<HfDatasetWriter>(o.output, map, token_options);
        break;
    }
  }

  void write_spans(const SpanRecord& r) {
    if (jsonl_) {
      jsonl_->write(r);
    } else {
      csv_->write(r);
    }
  }

  void write_tokens(const TokenRecord& r, const std::string& split) {
    if (conll_) {
      conll_->write(r);
    } else if (tokens_) {
      tokens_->write(r);
    } else {
      hf_->write(split, r);
    }
  }

  void finish() {
    if (conll_) conll_->close();
    if (jsonl_) jsonl_->close();
    if (csv_) csv_->close();
    if (tokens_) tokens_->close();
    if (hf_) hf_->finish();
  }

 private:
  std::unique_ptr<ConllWriter> conll_;
  std::unique_ptr<JsonlSpansWriter> jsonl_;
  std::unique_ptr<CsvSpansWriter> csv_;
  std::unique_ptr<JsonlTokensWriter> tokens_;
  std::unique_ptr<HfDatasetWriter> hf_;
};

}  // namespace

struct DatasetExporter::Impl {
  ExportOptions options;
  LabelMap map;
  SpanTagger tagger;
  std::unique_ptr<PreTokenizer> pretokenizer;
  std::unique_ptr<Sink> sink;  // null while records are held for the layer count
  std::vector<std::pair<TokenRecord, std::string>> held;
  ExportResult result;
  bool finished = false;

  explicit Impl(ExportOptions o)
      : options(std::move(o)),
        map(options.labels, options.scheme),
        tagger(map, options.tagging),
        pretokenizer(make_pretokenizer(options.tokenizer)) {
    const bool need_layer_count = is_token_format(options.format) &&
                                  options.tagging.overlap == OverlapPolicy::kLayers &&
                                  !options.layers;
    if (options.format == DatasetFormat::kConll) {
      for (const auto& label : options.labels) {
        if (label.find_first_of(" \t\r\n") != std::string::npos) {
          throw Error(
              ErrorKind::kInvalidArgument,
              "label '" + label + "' contains whitespace, which a CoNLL tag column cannot hold");
        }
      }
    }
    if (!need_layer_count) sink = std::make_unique<Sink>(options, map, options.layers.value_or(1));
    result.labels = options.labels;
    result.layers = options.layers.value_or(1);
  }

  void add(const SpanRecord& record, std::vector<Token>* tokens, const std::string& split,
           bool document_start) {
    if (finished)
      throw Error(ErrorKind::kFailedPrecondition, "DatasetExporter: add() after finish()");
    ++result.records_read;
    if (!is_token_format(options.format)) {
      sink->write_spans(record);
      ++result.records_written;
      return;
    }
    // The tagger leaves its report alone when tagging throws; a writer failure is undone here.
    const TaggingReport before = tagger.report();
    TokenRecord out = tokens ? to_token_record(record, tagger, std::move(*tokens))
                             : to_token_record(record, tagger, *pretokenizer);
    out.document_start = document_start;
    try {
      write(out, split);
    } catch (...) {
      tagger.restore_report(before);
      throw;
    }
  }

  void write(TokenRecord& out, const std::string& split) {
    if (options.layers && out.tags.size() > *options.layers) {
      throw Error(ErrorKind::kInvalidArgument,
                  "record '" + out.id + "' needs " + std::to_string(out.tags.size()) +
                      " tag layers, the export declares " + std::to_string(*options.layers));
    }
    const std::string& where = split.empty() ? options.split : split;
    // Every record of a token file has the same tag layers: missing ones are all "O".
    if (options.layers)
      out.tags.resize(*options.layers, std::vector<std::string>(out.tokens.size(), "O"));
    if (options.format == DatasetFormat::kConll && out.tokens.empty()) {
      ++result.records_empty;
    } else if (sink) {
      sink->write_tokens(out, where);
      ++result.records_written;
    } else {
      // Held until the layer count is known: check now that the record can be written.
      std::ostringstream scratch;
      if (options.format == DatasetFormat::kConll) {
        ConllWriter(scratch, options.output.string()).write(out);
      } else {
        JsonlTokensWriter(scratch, options.output.string(), map,
                          {out.tags.size(), options.write_offsets})
            .write(out);
      }
      result.layers = std::max(result.layers, out.tags.size());
      held.emplace_back(std::move(out), where);
    }
  }

  ExportResult finish() {
    if (finished)
      throw Error(ErrorKind::kFailedPrecondition, "DatasetExporter: finish() called twice");
    finished = true;
    if (!sink) {
      sink = std::make_unique<Sink>(options, map, result.layers);
      for (auto& [record, split] : held) {
        record.tags.resize(result.layers, std::vector<std::string>(record.tokens.size(), "O"));
        sink->write_tokens(record, split);
        ++result.records_written;
      }
      held.clear();
    }
    sink->finish();
    if (is_token_format(options.format)) result.tagging = tagger.report();
    const bool folder = options.format == DatasetFormat::kHf;
    result.label_map_path = label_map_path_for(options.output, folder);
    if (!folder) map.write_file(result.label_map_path);  // the hf writer writes its own
    return result;
  }
};

DatasetExporter::DatasetExporter(ExportOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
DatasetExporter::~DatasetExporter() = default;

void DatasetExporter::add(const SpanRecord& record, const std::string& split) {
  impl_->add(record, nullptr, split, false);
}

void DatasetExporter::add(const SpanRecord& record, std::vector<Token> tokens,
                          const std::string& split, bool document_start) {
  impl_->add(record, &tokens, split, document_start);
}

ExportResult DatasetExporter::finish() {
  return impl_->finish();
}

std::string ExportResult::to_text() const {
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

std::string ExportResult::to_json() const {
  nlohmann::ordered_json j;
  j["records_read"] = records_read;
  j["records_written"] = records_written;
  j["records_skipped"] = records_skipped;
  j["records_without_tokens"] = records_empty;
  j["labels"] = labels;
  j["layers"] = layers;
  j["label_map"] = label_map_path.string();
  nlohmann::ordered_json problems_json = nlohmann::ordered_json::array();
  for (const auto& p : problems) {
    problems_json.push_back({{"file", p.file}, {"line", p.line}, {"message", p.message}});
  }
  j["problems"] = std::move(problems_json);
  j["tagging"] =
      tagging ? nlohmann::ordered_json::parse(tagging->to_json()) : nlohmann::ordered_json();
  return j.dump(2) + "\n";
}

}  // namespace spanloop::text
