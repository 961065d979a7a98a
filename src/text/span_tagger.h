// SpanTagger: records (text + character spans) -> tokens + tag sequences, with a report.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "text/alignment.h"
#include "text/error.h"
#include "text/label_map.h"
#include "text/pretokenizer.h"
#include "text/span.h"
#include "text/tagging_report.h"

namespace spanloop::text {

struct TaggingOptions {
  AlignmentPolicy alignment = AlignmentPolicy::kExpand;
  OverlapPolicy overlap = OverlapPolicy::kError;
  std::size_t max_examples = 5;  // examples the report keeps per section
};

// Thrown by SpanTagger::tag under OverlapPolicy::kError for spans sharing a token. It is a
// spanloop::Error of kind kInvalidArgument, so every existing catch still sees it; its own type
// lets a dataset export make an overlap fatal while other per-record refusals (strict
// alignment) are only counted.
class OverlapError : public Error {
 public:
  explicit OverlapError(const std::string& message) : Error(ErrorKind::kInvalidArgument, message) {}
};

// The tags of one record: label map ids, one sequence per layer (one layer unless the overlap
// policy is `layers` and the record has overlapping spans), each as long as `tokens`.
struct TaggedRecord {
  std::vector<Token> tokens{};
  std::vector<std::vector<int>> layers{};
};

// Converts records one at a time (streaming) and accumulates a TaggingReport over all of them.
// Typical use (export):
//   SpanTagger tagger(LabelMap(labels, Scheme::kIOB2), {AlignmentPolicy::kExpand,
//                     OverlapPolicy::kLongest});
//   auto pre = make_pretokenizer("bert");
//   for (record : records) write(tagger.tag(record.id, record.text, record.spans, *pre));
//   print(tagger.report().to_text());
class SpanTagger {
 public:
  SpanTagger(LabelMap map, TaggingOptions options);

  const LabelMap& label_map() const { return map_; }
  const TaggingOptions& options() const { return options_; }

  // Tags `spans` over `tokens` (sorted, disjoint, inside the text). Throws InvalidArgument
  // naming the record and span for a span out of range, empty or with a label not in the map;
  // under strict alignment for a span cut inside a token; under the `error` overlap policy for
  // spans sharing a token (OverlapError). A record that throws leaves the report unchanged.
  TaggedRecord tag(std::string_view record_id, std::string_view text, std::vector<Token> tokens,
                   std::span<const Span> spans);
  // Pre-tokenizes `text` first.
  TaggedRecord tag(std::string_view record_id, std::string_view text, std::span<const Span> spans,
                   const PreTokenizer& pretokenizer) {
    return tag(record_id, text, pretokenizer.split(text), spans);
  }

  const TaggingReport& report() const { return report_; }
  // Puts back an earlier report, to undo a record the caller then failed to write.
  void restore_report(TaggingReport report) { report_ = std::move(report); }

 private:
  LabelMap map_;
  TaggingOptions options_;
  TaggingReport report_;
};

}  // namespace spanloop::text
