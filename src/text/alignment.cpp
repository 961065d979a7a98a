// Alignment of character spans to tokens and overlap resolution.
#include "text/alignment.h"

#include <algorithm>
#include <string>
#include <tuple>

#include "text/error.h"

namespace spanloop::text {

AlignmentPolicy parse_alignment_policy(std::string_view name) {
  if (name == "expand") return AlignmentPolicy::kExpand;
  if (name == "contract") return AlignmentPolicy::kContract;
  if (name == "strict") return AlignmentPolicy::kStrict;
  if (name == "drop") return AlignmentPolicy::kDrop;
  if (name == "legacy") return AlignmentPolicy::kLegacy;
  throw Error(ErrorKind::kInvalidArgument,
              "unknown alignment policy '" + std::string(name) +
                  "' (expected expand, contract, strict, drop or legacy)");
}

std::string_view alignment_policy_name(AlignmentPolicy policy) {
  switch (policy) {
    case AlignmentPolicy::kExpand:
      return "expand";
    case AlignmentPolicy::kContract:
      return "contract";
    case AlignmentPolicy::kStrict:
      return "strict";
    case AlignmentPolicy::kDrop:
      return "drop";
    case AlignmentPolicy::kLegacy:
      return "legacy";
  }
  return "expand";
}

OverlapPolicy parse_overlap_policy(std::string_view name) {
  if (name == "error") return OverlapPolicy::kError;
  if (name == "longest") return OverlapPolicy::kLongest;
  if (name == "first") return OverlapPolicy::kFirst;
  if (name == "layers") return OverlapPolicy::kLayers;
  throw Error(ErrorKind::kInvalidArgument, "unknown overlap policy '" + std::string(name) +
                                               "' (expected error, longest, first or layers)");
}

std::string_view overlap_policy_name(OverlapPolicy policy) {
  switch (policy) {
    case OverlapPolicy::kError:
      return "error";
    case OverlapPolicy::kLongest:
      return "longest";
    case OverlapPolicy::kFirst:
      return "first";
    case OverlapPolicy::kLayers:
      return "layers";
  }
  return "error";
}

std::string_view alignment_outcome_name(AlignmentOutcome outcome) {
  switch (outcome) {
    case AlignmentOutcome::kExact:
      return "exact";
    case AlignmentOutcome::kExpanded:
      return "expanded";
    case AlignmentOutcome::kContracted:
      return "contracted";
    case AlignmentOutcome::kPartial:
      return "legacy_partial";
    case AlignmentOutcome::kDropped:
      return "dropped_misaligned";
    case AlignmentOutcome::kContractedAway:
      return "dropped_no_whole_token";
    case AlignmentOutcome::kNoToken:
      return "dropped_no_token";
    case AlignmentOutcome::kMisaligned:
      return "misaligned";
  }
  return "exact";
}

AlignmentOutcome align_span(std::span<const Token> tokens, const Span& span, AlignmentPolicy policy,
                            TokenSpan& out) {
  // Tokens are sorted and disjoint, so both starts and ends are increasing.
  const auto first = static_cast<std::size_t>(
      std::partition_point(tokens.begin(), tokens.end(),
                           [&](const Token& t) { return t.end <= span.start; }) -
      tokens.begin());
  const auto last = static_cast<std::size_t>(
      std::partition_point(tokens.begin() + static_cast<std::ptrdiff_t>(first), tokens.end(),
                           [&](const Token& t) { return t.start < span.end; }) -
      tokens.begin());
  if (first >= last) return AlignmentOutcome::kNoToken;
  const bool cut_begin = tokens[first].start < span.start;
  const bool cut_end = tokens[last - 1].end > span.end;
  out.char_length = span.end - span.start;
  if (policy == AlignmentPolicy::kLegacy) {
    out.begin = first + (cut_begin ? 1 : 0);
    out.end = last - (cut_end ? 1 : 0);
    if (out.begin >= out.end) return AlignmentOutcome::kContractedAway;
    out.open_begin = tokens[out.begin].start != span.start;
    out.open_end = tokens[out.end - 1].end != span.end;
    return out.open_begin || out.open_end ? AlignmentOutcome::kPartial : AlignmentOutcome::kExact;
  }
  if (!cut_begin && !cut_end) {
    out.begin = first;
    out.end = last;
    return AlignmentOutcome::kExact;
  }
  switch (policy) {
    case AlignmentPolicy::kExpand:
      out.begin = first;
      out.end = last;
      return AlignmentOutcome::kExpanded;
    case AlignmentPolicy::kContract:
      out.begin = first + (cut_begin ? 1 : 0);
      out.end = last - (cut_end ? 1 : 0);
      return out.begin < out.end ? AlignmentOutcome::kContracted
                                 : AlignmentOutcome::kContractedAway;
    case AlignmentPolicy::kDrop:
      return AlignmentOutcome::kDropped;
    case AlignmentPolicy::kStrict:
    case AlignmentPolicy::kLegacy:
      break;
  }
  return AlignmentOutcome::kMisaligned;
}

namespace {

// Greedy acceptance in `order`: a span is kept when none of its tokens is taken yet.
void keep_greedily(std::vector<TokenSpan>& spans, OverlapResolution& result) {
  std::vector<TokenSpan> kept;
  for (const TokenSpan& s : spans) {
    const bool clash = std::any_of(kept.begin(), kept.end(), [&](const TokenSpan& k) {
      return s.begin < k.end && k.begin < s.end;
    });
    if (clash) {
      result.dropped.push_back(s.span_index);
    } else {
      kept.push_back(s);
    }
  }
  std::sort(kept.begin(), kept.end(),
            [](const TokenSpan& a, const TokenSpan& b) { return a.begin < b.begin; });
  result.layers.push_back(std::move(kept));
}

}  // namespace

OverlapResolution resolve_overlaps(std::vector<TokenSpan> spans, OverlapPolicy policy) {
  OverlapResolution result;
  std::sort(spans.begin(), spans.end(), [](const TokenSpan& a, const TokenSpan& b) {
    return std::tie(a.begin, b.end, b.char_length, a.span_index) <
           std::tie(b.begin, a.end, a.char_length, b.span_index);
  });
  // Sweep in start order: a span conflicts with the span reaching furthest when it starts
  // before that span ends.
  std::vector<bool> involved(spans.size(), false);
  std::size_t reach = 0;
  for (std::size_t i = 1; i < spans.size(); ++i) {
    if (spans[i].begin < spans[reach].end) {
      result.conflicts.emplace_back(spans[i].span_index, spans[reach].span_index);
      involved[i] = involved[reach] = true;
    }
    if (spans[i].end > spans[reach].end) reach = i;
  }
  // A span can also clash with an earlier span that is not the furthest-reaching one; count
  // every span that shares a token with any other span.
  for (std::size_t i = 0; i < spans.size(); ++i) {
    for (std::size_t j = i + 1; j < spans.size() && spans[j].begin < spans[i].end; ++j) {
      involved[i] = involved[j] = true;
    }
  }
  result.overlapping = static_cast<std::size_t>(std::count(involved.begin(), involved.end(), true));
  if (result.conflicts.empty() || policy == OverlapPolicy::kError) {
    result.layers.push_back(std::move(spans));
    return result;
  }
  switch (policy) {
    case OverlapPolicy::kFirst:
      keep_greedily(spans, result);  // already in (begin, longest first) order
      break;
    case OverlapPolicy::kLongest:
      std::stable_sort(spans.begin(), spans.end(), [](const TokenSpan& a, const TokenSpan& b) {
        return std::make_tuple(b.end - b.begin, b.char_length, a.begin) <
               std::make_tuple(a.end - a.begin, a.char_length, b.begin);
      });
      keep_greedily(spans, result);
      break;
    case OverlapPolicy::kLayers:
      // Interval partitioning in start order: each span goes to the first layer it fits.
      for (const TokenSpan& s : spans) {
        auto layer =
            std::find_if(result.layers.begin(), result.layers.end(),
                         [&](const std::vector<TokenSpan>& l) { return l.back().end <= s.begin; });
        if (layer == result.layers.end()) {
          result.layers.push_back({s});
        } else {
          layer->push_back(s);
        }
      }
      break;
    case OverlapPolicy::kError:
      break;
  }
  return result;
}

}  // namespace spanloop::text
