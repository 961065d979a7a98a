// Span validation: range, emptiness, label set, overlap.
#include "text/span.h"

#include <algorithm>
#include <numeric>
#include <tuple>

#include "text/error.h"

namespace spanloop::text {
namespace {

std::string describe(std::string_view record_id, std::size_t index, const Span& s) {
  return "record '" + std::string(record_id) + "': span #" + std::to_string(index) + " [" +
         std::to_string(s.start) + ", " + std::to_string(s.end) + ") '" + s.label + "'";
}

}  // namespace

bool span_less(const Span& a, const Span& b) {
  return std::tie(a.start, a.end, a.label) < std::tie(b.start, b.end, b.label);
}

std::vector<SpanProblem> find_span_problems(std::span<const Span> spans, const SpanCheck& check) {
  std::vector<SpanProblem> problems;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const Span& s = spans[i];
    if (s.end > check.text_length || s.start > check.text_length) {
      problems.push_back({SpanProblemKind::kOutOfRange, i, std::nullopt,
                          describe(check.record_id, i, s) + " ends past the end of the text (" +
                              std::to_string(check.text_length) + " code points)"});
    } else if (s.start >= s.end) {
      problems.push_back({SpanProblemKind::kEmpty, i, std::nullopt,
                          describe(check.record_id, i, s) + " is empty (start must be < end)"});
    }
    if (!check.labels.empty() &&
        std::find(check.labels.begin(), check.labels.end(), s.label) == check.labels.end()) {
      problems.push_back({SpanProblemKind::kUnknownLabel, i, std::nullopt,
                          describe(check.record_id, i, s) + " has a label that is not one of the " +
                              std::to_string(check.labels.size()) + " dataset labels"});
    }
  }
  if (check.allow_overlap || spans.size() < 2) return problems;
  // Sweep in start order; a span overlaps the open span that reaches furthest when it starts
  // before that span's end. Empty or out-of-range spans are already reported.
  std::vector<std::size_t> order(spans.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(spans[a].start, spans[a].end) < std::tie(spans[b].start, spans[b].end);
  });
  std::optional<std::size_t> reach;  // index of the span with the largest end so far
  for (std::size_t i : order) {
    const Span& s = spans[i];
    if (s.start >= s.end || s.end > check.text_length) continue;
    if (reach && s.start < spans[*reach].end) {
      const std::size_t j = *reach;
      problems.push_back({SpanProblemKind::kOverlap, i, j,
                          describe(check.record_id, i, s) + " overlaps span #" + std::to_string(j) +
                              " [" + std::to_string(spans[j].start) + ", " +
                              std::to_string(spans[j].end) + ") '" + spans[j].label +
                              "' and overlapping spans are not allowed here"});
    }
    if (!reach || s.end > spans[*reach].end) reach = i;
  }
  std::stable_sort(problems.begin(), problems.end(),
                   [](const SpanProblem& a, const SpanProblem& b) { return a.index < b.index; });
  return problems;
}

void validate_spans(std::span<const Span> spans, const SpanCheck& check) {
  auto problems = find_span_problems(spans, check);
  if (!problems.empty()) throw Error(ErrorKind::kInvalidArgument, problems.front().message);
}

}  // namespace spanloop::text
