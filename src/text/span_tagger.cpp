// SpanTagger: validation, alignment, overlap resolution and encoding of one record.
#include "text/span_tagger.h"

#include <optional>

#include "text/encode.h"
#include "text/error.h"
#include "text/utf8.h"

namespace spanloop::text {
namespace {

// Lazily built view of a record for report examples and error messages.
class RecordView {
 public:
  RecordView(std::string_view id, std::string_view text, const std::vector<Token>& tokens)
      : id_(id), text_(text), tokens_(tokens) {}

  ReportExample example(std::size_t index, const Span& span, std::string what) {
    if (!index_) index_.emplace(text_);
    ReportExample e;
    e.record_id = std::string(id_);
    e.span_index = index;
    e.span = span;
    e.span_text = std::string(substr_code_points(text_, *index_, span.start, span.end));
    for (const Token& t : tokens_) {
      if (t.end > span.start && t.start < span.end) e.tokens += "[" + t.text + "]";
    }
    if (e.tokens.empty()) e.tokens = "(none)";
    e.what = std::move(what);
    return e;
  }

  std::string describe(std::size_t index, const Span& span) {
    const ReportExample e = example(index, span, "");
    return "record '" + e.record_id + "': span #" + std::to_string(index) + " [" +
           std::to_string(span.start) + ", " + std::to_string(span.end) + ") '" + span.label +
           "' \"" + e.span_text + "\" (tokens " + e.tokens + ")";
  }

 private:
  std::string_view id_;
  std::string_view text_;
  const std::vector<Token>& tokens_;
  std::optional<CodepointIndex> index_;
};

std::string range(const TokenSpan& s) {
  return "[" + std::to_string(s.begin) + ", " + std::to_string(s.end) + ")";
}

void check_tokens(std::string_view record_id, const std::vector<Token>& tokens,
                  std::size_t text_length) {
  std::size_t previous_end = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.start >= t.end || t.start < previous_end || t.end > text_length) {
      throw Error(ErrorKind::kInvalidArgument,
                  "record '" + std::string(record_id) + "': token #" + std::to_string(i) + " [" +
                      std::to_string(t.start) + ", " + std::to_string(t.end) +
                      ") is empty, out of order or past the end of the text");
    }
    previous_end = t.end;
  }
}

}  // namespace

SpanTagger::SpanTagger(LabelMap map, TaggingOptions options)
    : map_(std::move(map)), options_(options) {
  report_.alignment_policy = options_.alignment;
  report_.overlap_policy = options_.overlap;
  report_.max_examples = options_.max_examples;
}

TaggedRecord SpanTagger::tag(std::string_view record_id, std::string_view text,
                             std::vector<Token> tokens, std::span<const Span> spans) {
  validate_utf8(text, "record '" + std::string(record_id) + "' text");
  const std::size_t text_length = count_code_points(text);
  check_tokens(record_id, tokens, text_length);
  validate_spans(spans, {text_length, map_.labels(), true, record_id});

  TaggingReport delta;
  delta.max_examples = options_.max_examples;
  delta.records = 1;
  delta.tokens = tokens.size();
  delta.spans = spans.size();
  RecordView view(record_id, text, tokens);
  const bool want_examples = report_.alignment_examples.size() < options_.max_examples ||
                             report_.overlap_examples.size() < options_.max_examples;

  std::vector<TokenSpan> aligned;
  aligned.reserve(spans.size());
  for (std::size_t i = 0; i < spans.size(); ++i) {
    TokenSpan ts;
    const AlignmentOutcome outcome = align_span(tokens, spans[i], options_.alignment, ts);
    ++delta.alignment[static_cast<std::size_t>(outcome)];
    if (outcome == AlignmentOutcome::kMisaligned) {
      throw Error(
          ErrorKind::kInvalidArgument,
          view.describe(i, spans[i]) + " starts or ends inside a token (alignment policy strict)");
    }
    const bool kept =
        outcome == AlignmentOutcome::kExact || outcome == AlignmentOutcome::kExpanded ||
        outcome == AlignmentOutcome::kContracted || outcome == AlignmentOutcome::kPartial;
    if (outcome != AlignmentOutcome::kExact && want_examples &&
        delta.alignment_examples.size() < options_.max_examples) {
      std::string what(alignment_outcome_name(outcome));
      if (kept) what += ": tagged on tokens " + range(ts);
      delta.alignment_examples.push_back(view.example(i, spans[i], std::move(what)));
    }
    if (!kept) continue;
    ts.label = *map_.find_label(spans[i].label);
    ts.span_index = i;
    aligned.push_back(ts);
  }

  OverlapResolution resolved = resolve_overlaps(std::move(aligned), options_.overlap);
  if (!resolved.conflicts.empty()) {
    const auto [later, earlier] = resolved.conflicts.front();
    if (options_.overlap == OverlapPolicy::kError) {
      throw OverlapError(view.describe(later, spans[later]) + " shares tokens with span #" +
                         std::to_string(earlier) + " [" + std::to_string(spans[earlier].start) +
                         ", " + std::to_string(spans[earlier].end) + ") '" + spans[earlier].label +
                         "' (overlap policy error; use longest, first or layers)");
    }
    delta.records_with_overlap = 1;
    delta.overlapping_spans = resolved.overlapping;
    delta.overlap_dropped = resolved.dropped.size();
    if (want_examples) {
      for (std::size_t dropped : resolved.dropped) {
        if (delta.overlap_examples.size() >= options_.max_examples) break;
        delta.overlap_examples.push_back(view.example(
            dropped, spans[dropped],
            "dropped by overlap policy " + std::string(overlap_policy_name(options_.overlap))));
      }
      if (options_.overlap == OverlapPolicy::kLayers) {
        for (std::size_t l = 1; l < resolved.layers.size(); ++l) {
          for (const TokenSpan& s : resolved.layers[l]) {
            if (delta.overlap_examples.size() >= options_.max_examples) break;
            delta.overlap_examples.push_back(view.example(
                s.span_index, spans[s.span_index],
                "tagged in layer " + std::to_string(l + 1) + " on tokens " + range(s)));
          }
        }
      }
    }
  }
  delta.max_layers = resolved.layers.size();

  TaggedRecord out;
  out.layers.reserve(resolved.layers.size());
  for (const auto& layer : resolved.layers) {
    out.layers.push_back(encode_layer(tokens.size(), layer, map_));
  }
  out.tokens = std::move(tokens);
  report_.merge(delta);
  return out;
}

}  // namespace spanloop::text
