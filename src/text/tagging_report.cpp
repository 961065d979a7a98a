// TaggingReport counts, merging and printing.
#include "text/tagging_report.h"

#include <nlohmann/json.hpp>

namespace spanloop::text {
namespace {

void append_examples(std::vector<ReportExample>& to, const std::vector<ReportExample>& from,
                     std::size_t limit) {
  for (const auto& e : from) {
    if (to.size() >= limit) break;
    to.push_back(e);
  }
}

std::string example_line(const ReportExample& e) {
  return "  record '" + e.record_id + "' span #" + std::to_string(e.span_index) + " [" +
         std::to_string(e.span.start) + ", " + std::to_string(e.span.end) + ") '" + e.span.label +
         "' \"" + e.span_text + "\" tokens " + e.tokens + ": " + e.what + "\n";
}

nlohmann::ordered_json example_json(const ReportExample& e) {
  return {{"record_id", e.record_id}, {"span_index", e.span_index},
          {"start", e.span.start},    {"end", e.span.end},
          {"label", e.span.label},    {"text", e.span_text},
          {"tokens", e.tokens},       {"what", e.what}};
}

}  // namespace

std::size_t TaggingReport::spans_tagged() const {
  return count(AlignmentOutcome::kExact) + count(AlignmentOutcome::kExpanded) +
         count(AlignmentOutcome::kContracted) + count(AlignmentOutcome::kPartial) - overlap_dropped;
}

void TaggingReport::merge(const TaggingReport& other) {
  records += other.records;
  tokens += other.tokens;
  spans += other.spans;
  for (std::size_t i = 0; i < alignment.size(); ++i) alignment[i] += other.alignment[i];
  overlapping_spans += other.overlapping_spans;
  records_with_overlap += other.records_with_overlap;
  overlap_dropped += other.overlap_dropped;
  max_layers = std::max(max_layers, other.max_layers);
  append_examples(alignment_examples, other.alignment_examples, max_examples);
  append_examples(overlap_examples, other.overlap_examples, max_examples);
}

std::string TaggingReport::to_text() const {
  std::string out;
  out += "records: " + std::to_string(records) + ", tokens: " + std::to_string(tokens) +
         ", spans: " + std::to_string(spans) + ", spans tagged: " + std::to_string(spans_tagged()) +
         "\n";
  out += "alignment (" + std::string(alignment_policy_name(alignment_policy)) + "):";
  for (std::size_t i = 0; i < alignment.size(); ++i) {
    const auto outcome = static_cast<AlignmentOutcome>(i);
    if (outcome == AlignmentOutcome::kMisaligned && alignment[i] == 0) continue;
    out += " " + std::string(alignment_outcome_name(outcome)) + " " + std::to_string(alignment[i]);
    if (i + 1 < alignment.size()) out += ",";
  }
  if (out.back() == ',') out.pop_back();
  out += "\n";
  out += "overlap (" + std::string(overlap_policy_name(overlap_policy)) + "): overlapping spans " +
         std::to_string(overlapping_spans) + " in " + std::to_string(records_with_overlap) +
         " records, dropped " + std::to_string(overlap_dropped) + ", layers " +
         std::to_string(max_layers) + "\n";
  if (!alignment_examples.empty()) {
    out += "first alignment changes:\n";
    for (const auto& e : alignment_examples) out += example_line(e);
  }
  if (!overlap_examples.empty()) {
    out += "first overlaps:\n";
    for (const auto& e : overlap_examples) out += example_line(e);
  }
  return out;
}

std::string TaggingReport::to_json() const {
  nlohmann::ordered_json j;
  j["alignment_policy"] = alignment_policy_name(alignment_policy);
  j["overlap_policy"] = overlap_policy_name(overlap_policy);
  j["records"] = records;
  j["tokens"] = tokens;
  j["spans"] = spans;
  j["spans_tagged"] = spans_tagged();
  nlohmann::ordered_json counts = nlohmann::ordered_json::object();
  for (std::size_t i = 0; i < alignment.size(); ++i) {
    counts[std::string(alignment_outcome_name(static_cast<AlignmentOutcome>(i)))] = alignment[i];
  }
  j["alignment"] = std::move(counts);
  j["overlap"] = {{"overlapping_spans", overlapping_spans},
                  {"records_with_overlap", records_with_overlap},
                  {"dropped", overlap_dropped},
                  {"layers", max_layers}};
  auto examples = [](const std::vector<ReportExample>& list) {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (const auto& e : list) a.push_back(example_json(e));
    return a;
  };
  j["alignment_examples"] = examples(alignment_examples);
  j["overlap_examples"] = examples(overlap_examples);
  return j.dump(2) + "\n";
}

}  // namespace spanloop::text
