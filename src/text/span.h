// Labelled character spans and their validation against a text and a label set.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace spanloop::text {

// A labelled span of a record's text: code point offsets, end exclusive (DESIGN.md).
struct Span {
  std::size_t start = 0;
  std::size_t end = 0;
  std::string label{};

  bool operator==(const Span&) const = default;
};

// Orders spans by (start, end, label), the order exported files use.
bool span_less(const Span& a, const Span& b);

enum class SpanProblemKind { kOutOfRange, kEmpty, kUnknownLabel, kOverlap };

// One reason a span is invalid. `index` is the span's position in the input list; for an
// overlap, `other` is the earlier span it overlaps. `message` is a full sentence naming the
// record, the span (index, offsets, label) and what is wrong.
struct SpanProblem {
  SpanProblemKind kind{};
  std::size_t index = 0;
  std::optional<std::size_t> other{};
  std::string message{};
};

struct SpanCheck {
  std::size_t text_length = 0;            // in code points
  std::span<const std::string> labels{};  // allowed labels; empty = any label
  bool allow_overlap = false;             // nested / crossing spans allowed
  std::string_view record_id{};           // named in messages
};

// Every problem of `spans` (expected misses are values: the caller decides to skip or throw).
std::vector<SpanProblem> find_span_problems(std::span<const Span> spans, const SpanCheck& check);

// Throws InvalidArgument with the message of the first problem, if any.
void validate_spans(std::span<const Span> spans, const SpanCheck& check);

}  // namespace spanloop::text
