// Mapping character spans onto tokens (alignment policies) and resolving spans that share
// tokens (overlap policies).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "text/pretokenizer.h"
#include "text/span.h"

namespace spanloop::text {

// What to do with a span whose start or end falls inside a token.
enum class AlignmentPolicy {
  kExpand,    // grow the span to whole tokens (default)
  kContract,  // shrink it to the tokens wholly inside it (dropped when none is)
  kStrict,    // error
  kDrop,      // drop the span
  kLegacy,    // the original notebook workflow: a token is tagged only if it lies wholly inside
              // a span, and it gets the begin (end) tag only when it starts (ends) exactly where
              // the span does, so a span cut inside its first token starts with I-.
};

// What to do with spans that share a token (nested, crossing or duplicate annotations).
enum class OverlapPolicy {
  kError,    // error naming both spans
  kLongest,  // keep the longest spans (most tokens, then most characters, then earliest)
  kFirst,    // keep the earliest spans (smallest start, then longest)
  kLayers,   // keep every span: one tag sequence per overlap layer
};

AlignmentPolicy parse_alignment_policy(
    std::string_view name);  // expand|contract|strict|drop|legacy
std::string_view alignment_policy_name(AlignmentPolicy policy);
OverlapPolicy parse_overlap_policy(std::string_view name);  // error|longest|first|layers
std::string_view overlap_policy_name(OverlapPolicy policy);

// What alignment did to one span.
enum class AlignmentOutcome {
  kExact,           // both edges on token boundaries
  kExpanded,        // an edge was inside a token; grown to whole tokens
  kContracted,      // an edge was inside a token; shrunk to the tokens inside
  kPartial,         // legacy: an edge was not a token boundary; begin/end tags left out there
  kDropped,         // an edge was inside a token; dropped by the `drop` policy
  kContractedAway,  // contract/legacy: no token lies wholly inside the span; dropped
  kNoToken,         // the span covers no token at all (only whitespace or removed characters)
  kMisaligned,      // strict: an edge is inside a token (the caller raises the error)
};
inline constexpr std::size_t kAlignmentOutcomeCount = 8;
std::string_view alignment_outcome_name(AlignmentOutcome outcome);

// A span mapped onto tokens [begin, end). open_begin / open_end (legacy only) mark a first or
// last token that does not start or end where the span does.
struct TokenSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t label = 0;       // index into the label map's labels
  std::size_t span_index = 0;  // position of the source span in the record
  std::size_t char_length = 0;
  bool open_begin = false;
  bool open_end = false;
};

// Aligns one span to `tokens` (sorted, non-overlapping). On success (kExact, kExpanded,
// kContracted, kPartial) `out` holds the token range; its label/span_index are left to the caller.
AlignmentOutcome align_span(std::span<const Token> tokens, const Span& span, AlignmentPolicy policy,
                            TokenSpan& out);

// The spans kept, split into layers of non-overlapping spans sorted by begin (one layer except
// with kLayers), the spans dropped (by span_index) and the first conflicting pair found.
struct OverlapResolution {
  std::vector<std::vector<TokenSpan>> layers{};
  std::vector<std::size_t> dropped{};
  std::size_t overlapping = 0;  // spans that share a token with another span
  std::vector<std::pair<std::size_t, std::size_t>>
      conflicts{};  // (later, earlier) span_index pairs
};

// With kError nothing is dropped and the one layer may overlap: the caller raises an error
// naming the record and the first conflict.
OverlapResolution resolve_overlaps(std::vector<TokenSpan> spans, OverlapPolicy policy);

}  // namespace spanloop::text
