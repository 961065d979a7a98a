// export_dataset: RecordStream -> SpanRecord (spans of the chosen answer) -> DatasetExporter.
#include "server/dataio/export.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "text/alignment.h"
#include "text/error.h"
#include "text/span_tagger.h"

namespace spanloop::dataio {
namespace {

constexpr std::size_t kFailuresKept = 20;

const store::Question& span_question(const std::vector<store::Question>& questions,
                                     const std::string& name, const std::string& dataset_id) {
  for (const auto& q : questions) {
    if (store::question_type(q.settings) != store::QuestionType::kSpan) continue;
    if (name.empty() || q.name == name) return q;
  }
  if (!name.empty())
    throw_invalid("`" + name + "` is not a span question of dataset `" + dataset_id + "`");
  throw_invalid("dataset `" + dataset_id + "` has no span question to export");
}

// The spans to export for one record, or nullopt when it has no answer of the requested kind.
std::optional<std::vector<store::SpanValue>> chosen_spans(const store::Record& record,
                                                          const store::Question& q,
                                                          const ExportRequest& request) {
  if (request.source == ExportSource::kSuggestions) {
    if (!record.suggestions) return std::nullopt;
    for (const auto& s : *record.suggestions)
      if (s.question_id == q.id)
        if (auto* spans = std::get_if<std::vector<store::SpanValue>>(&s.value)) return *spans;
    return std::nullopt;
  }
  if (!record.responses) return std::nullopt;
  const store::Response* best = nullptr;
  for (const auto& r : *record.responses) {
    if (r.status != store::ResponseStatus::kSubmitted) continue;
    if (request.user_id && r.user_id != *request.user_id) continue;
    if (!best || r.inserted_at < best->inserted_at) best = &r;
  }
  if (!best) return std::nullopt;
  auto it = best->values.find(q.name);
  if (it == best->values.end()) return std::vector<store::SpanValue>{};  // not answered: no spans
  if (auto* spans = std::get_if<std::vector<store::SpanValue>>(&it->second)) return *spans;
  return std::vector<store::SpanValue>{};
}

}  // namespace

ExportRequest parse_export_params(const ExportParams& p) {
  ExportRequest r;
  if (p.format == "conll")
    r.format = text::DatasetFormat::kConll;
  else if (p.format == "iob-jsonl" || p.format == "tokens-jsonl")
    r.format = text::DatasetFormat::kTokensJsonl;
  else if (p.format == "spans-jsonl" || p.format == "jsonl")
    r.format = text::DatasetFormat::kJsonl;
  else
    throw_invalid("format: unknown value '" + p.format +
                  "' (expected conll, iob-jsonl or spans-jsonl)");
  auto with_name = [](const char* name, auto parse) {
    try {
      return parse();
    } catch (const Error& e) {
      throw Error(ErrorKind::kInvalidArgument, std::string(name) + ": " + e.what());
    }
  };
  r.scheme = with_name("scheme", [&] { return text::parse_scheme(p.scheme); });
  r.tagging.alignment =
      with_name("alignment", [&] { return text::parse_alignment_policy(p.alignment); });
  r.tagging.overlap = with_name("overlap", [&] { return text::parse_overlap_policy(p.overlap); });
  if (p.tokenizer.empty()) throw_invalid("tokenizer: must not be empty");
  r.tokenizer = p.tokenizer;
  if (p.status == "submitted")
    r.status = ExportStatus::kSubmitted;
  else if (p.status == "completed")
    r.status = ExportStatus::kCompleted;
  else if (p.status == "all" || p.status == "any")
    r.status = ExportStatus::kAll;
  else
    throw_invalid("status: unknown value '" + p.status +
                  "' (expected submitted, completed or all)");
  if (p.source == "responses")
    r.source = ExportSource::kResponses;
  else if (p.source == "suggestions")
    r.source = ExportSource::kSuggestions;
  else
    throw_invalid("source: unknown value '" + p.source + "' (expected responses or suggestions)");
  r.question = p.question;
  if (!p.user_id.empty()) r.user_id = p.user_id;
  return r;
}

std::string export_content_type(text::DatasetFormat format) {
  return format == text::DatasetFormat::kConll ? "text/plain; charset=utf-8"
                                               : "application/x-ndjson; charset=utf-8";
}

ExportSummary export_dataset(store::Store& store, const std::string& dataset_id,
                             const ExportRequest& request, const std::filesystem::path& output) {
  auto dataset = store.get_dataset(dataset_id);
  if (!dataset) throw_not_found("Dataset with id `" + dataset_id + "` not found");
  const std::vector<store::Question> questions = store.list_questions(dataset_id);
  const store::Question& q = span_question(questions, request.question, dataset_id);
  const auto& settings = std::get<store::SpanQuestionSettings>(q.settings);

  ExportSummary summary;
  summary.dataset_id = dataset_id;
  summary.question = q.name;
  text::ExportOptions options;
  options.format = request.format;
  options.output = output;
  for (const auto& o : settings.options) options.labels.push_back(o.value);
  options.scheme = request.scheme;
  options.tokenizer = request.tokenizer;
  options.tagging = request.tagging;
  text::DatasetExporter exporter(options);

  store::SearchQuery query;
  query.dataset_id = dataset_id;
  query.with_total = false;
  if (request.status == ExportStatus::kSubmitted && request.source == ExportSource::kResponses) {
    query.filters.push_back(
        store::TermsFilter{{store::ScopeEntity::kResponse, "status", "", ""}, {"submitted"}});
    if (request.user_id) query.user_id = request.user_id;
  } else if (request.status == ExportStatus::kCompleted) {
    query.filters.push_back(
        store::TermsFilter{{store::ScopeEntity::kRecord, "status", "", ""}, {"completed"}});
  }
  query.include.responses = request.source == ExportSource::kResponses;
  query.include.responses_user_id = request.user_id;
  query.include.suggestions = request.source == ExportSource::kSuggestions;

  store::RecordStream stream(store, query);
  std::vector<store::Record> batch;
  while (stream.next(batch)) {
    for (const store::Record& record : batch) {
      ++summary.records_seen;
      auto spans = chosen_spans(record, q, request);
      if (!spans) {
        ++summary.records_without_answer;
        continue;
      }
      text::SpanRecord r;
      r.id = record.external_id.value_or(record.id);
      auto text = record.fields.find(settings.field);
      r.text = text == record.fields.end() ? std::string() : text->second;
      for (const auto& s : *spans)
        r.spans.push_back(
            {static_cast<std::size_t>(s.start), static_cast<std::size_t>(s.end), s.label});
      std::sort(r.spans.begin(), r.spans.end(), text::span_less);
      try {
        exporter.add(r);
      } catch (const text::OverlapError& e) {
        // The caller asked for overlaps to be an error: one such record fails the export.
        throw Error(ErrorKind::kFailedPrecondition,
                    std::string("export failed (overlap policy error): ") + e.what());
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::kInvalidArgument) throw;
        ++summary.records_failed;
        if (summary.failures.size() < kFailuresKept) summary.failures.push_back(e.what());
      }
    }
  }
  summary.result = exporter.finish();
  return summary;
}

std::string ExportSummary::to_json() const {
  nlohmann::ordered_json j;
  j["dataset_id"] = dataset_id;
  j["question"] = question;
  j["records_seen"] = records_seen;
  j["records_without_answer"] = records_without_answer;
  j["records_failed"] = records_failed;
  j["failures"] = failures;
  j["export"] = nlohmann::ordered_json::parse(result.to_json());
  return j.dump(2) + "\n";
}

std::string ExportSummary::to_text() const {
  std::string out = "question: " + question + ", records matched: " + std::to_string(records_seen) +
                    ", without an answer: " + std::to_string(records_without_answer) +
                    ", refused: " + std::to_string(records_failed) + "\n";
  for (const auto& f : failures) out += "  " + f + "\n";
  return out + result.to_text();
}

}  // namespace spanloop::dataio
