// TaggingReport: what alignment and overlap resolution did to the spans of a dataset.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "text/alignment.h"
#include "text/span.h"

namespace spanloop::text {

// One span the report shows as an example: where it is and what happened to it.
struct ReportExample {
  std::string record_id{};
  std::size_t span_index = 0;
  Span span{};
  std::string span_text{};  // the record text between the span's offsets
  std::string tokens{};     // the tokens the span touches, each in [brackets]
  std::string what{};       // e.g. "expanded to tokens [3, 5)" or "dropped: overlaps span #2 ..."
};

struct TaggingReport {
  AlignmentPolicy alignment_policy = AlignmentPolicy::kExpand;
  OverlapPolicy overlap_policy = OverlapPolicy::kError;
  std::size_t max_examples = 5;  // examples kept per section

  std::size_t records = 0;
  std::size_t tokens = 0;
  std::size_t spans = 0;
  std::array<std::size_t, kAlignmentOutcomeCount> alignment{};  // indexed by AlignmentOutcome
  std::size_t overlapping_spans = 0;  // spans that share a token with another span
  std::size_t records_with_overlap = 0;
  std::size_t overlap_dropped = 0;  // spans dropped by the longest / first policy
  std::size_t max_layers = 0;       // most tag layers a record needed
  std::vector<ReportExample> alignment_examples{};
  std::vector<ReportExample> overlap_examples{};

  std::size_t count(AlignmentOutcome outcome) const {
    return alignment[static_cast<std::size_t>(outcome)];
  }
  // Spans written as tags (every span minus those dropped by alignment or overlap).
  std::size_t spans_tagged() const;
  // Adds another report's counts (examples are appended up to max_examples).
  void merge(const TaggingReport& other);

  // Human-readable summary, one fact per line, then the examples.
  std::string to_text() const;
  // The same as a JSON object.
  std::string to_json() const;
};

}  // namespace spanloop::text
