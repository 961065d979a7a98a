// Validation of answers: span lists, label/rating/text values, responses and suggestions.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "store/validation.h"
#include "store/validation_util.h"
#include "text/error.h"
#include "text/utf8.h"

namespace spanloop::store {
namespace {

std::string describe(const SpanValue& s, std::size_t index) {
  return fmt::format("span at index {} {{label {}, start {}, end {}}}", index, quoted(s.label),
                     s.start, s.end);
}

std::vector<std::string> option_values(const std::vector<LabelOption>& options) {
  std::vector<std::string> out;
  out.reserve(options.size());
  for (const auto& o : options) out.push_back(o.value);
  return out;
}

std::string_view value_kind(const AnswerValue& v) {
  switch (v.index()) {
    case 0:
      return "a text value";
    case 1:
      return "an integer value";
    case 2:
      return "a list of labels";
    default:
      return "a list of spans";
  }
}

[[noreturn]] void wrong_kind(const Question& q, std::string_view expected, const AnswerValue& v) {
  throw_invalid(fmt::format("{} question {} expects {}, found {}",
                            to_string(question_type(q.settings)), quoted(q.name), expected,
                            value_kind(v)));
}

}  // namespace

void validate_spans(const std::vector<SpanValue>& spans, const SpanQuestionSettings& settings,
                    std::string_view question_name, std::string_view field_text) {
  const std::string prefix = fmt::format("span question {}: ", quoted(question_name));
  if (spans.size() > kMaxSpansPerValue)
    throw_invalid(fmt::format("{}{} spans, more than the {} allowed", prefix, spans.size(),
                              kMaxSpansPerValue));
  const auto length = static_cast<std::int64_t>(text::count_code_points(field_text));
  std::set<std::string_view> labels;
  for (const auto& o : settings.options) labels.insert(o.value);
  for (std::size_t i = 0; i < spans.size(); ++i) {
    const SpanValue& s = spans[i];
    auto bad = [&](const std::string& why) {
      throw_invalid(fmt::format("{}{}: {}", prefix, describe(s, i), why));
    };
    if (s.start < 0) bad("`start` must be greater or equal than 0");
    if (s.end <= s.start) bad("`end` must be greater than `start`");
    if (s.start > length - 1)
      bad(fmt::format("`start` must be lower than the length of field `{}` ({} code points)",
                      settings.field, length));
    if (s.end > length)
      bad(fmt::format("`end` must be lower or equal than the length of field `{}` ({} code points)",
                      settings.field, length));
    if (!labels.count(s.label))
      bad(fmt::format("undefined label {}; valid labels are: {}", quoted(s.label),
                      quoted_list(option_values(settings.options))));
  }
  if (settings.allow_overlapping || spans.size() < 2) return;
  // Sorted by start, a span overlaps an earlier one iff it starts before the furthest end seen.
  std::vector<std::size_t> order(spans.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (spans[a].start != spans[b].start) return spans[a].start < spans[b].start;
    if (spans[a].end != spans[b].end) return spans[a].end < spans[b].end;
    return a < b;
  });
  std::size_t reach = order[0];
  for (std::size_t k = 1; k < order.size(); ++k) {
    const std::size_t j = order[k];
    if (spans[j].start < spans[reach].end) {
      const std::size_t a = std::min(reach, j), b = std::max(reach, j);
      throw_invalid(
          fmt::format("{}{} overlaps {}, and the question does not allow overlapping spans", prefix,
                      describe(spans[a], a), describe(spans[b], b)));
    }
    if (spans[j].end > spans[reach].end) reach = j;
  }
}

void validate_answer(AnswerValue& value, const Question& q,
                     const std::map<std::string, std::string>& record_fields) {
  // An empty JSON array may arrive as either list alternative.
  auto empty_list = [&] {
    if (auto* l = std::get_if<std::vector<std::string>>(&value)) return l->empty();
    if (auto* s = std::get_if<std::vector<SpanValue>>(&value)) return s->empty();
    return false;
  };
  std::visit(
      [&](const auto& settings) {
        using T = std::decay_t<decltype(settings)>;
        if constexpr (std::is_same_v<T, TextQuestionSettings>) {
          const auto* s = std::get_if<std::string>(&value);
          if (!s) wrong_kind(q, "a text value", value);
          text::validate_utf8(*s, fmt::format("the answer to question '{}'", q.name));
        } else if constexpr (std::is_same_v<T, RatingQuestionSettings>) {
          const auto* v = std::get_if<std::int64_t>(&value);
          if (!v) wrong_kind(q, "an integer value", value);
          if (std::find(settings.values.begin(), settings.values.end(), *v) ==
              settings.values.end())
            throw_invalid(fmt::format(
                "{} is not a valid rating for rating question {}; valid ratings are: [{}]", *v,
                quoted(q.name), fmt::join(settings.values, ", ")));
        } else if constexpr (std::is_same_v<T, LabelSelectionSettings>) {
          const auto* s = std::get_if<std::string>(&value);
          if (!s) wrong_kind(q, "a text value", value);
          const auto valid = option_values(settings.options);
          if (std::find(valid.begin(), valid.end(), *s) == valid.end())
            throw_invalid(fmt::format(
                "{} is not a valid label for label selection question {}; valid labels are: {}",
                quoted(*s), quoted(q.name), quoted_list(valid)));
        } else if constexpr (std::is_same_v<T, MultiLabelSelectionSettings>) {
          if (empty_list()) value = std::vector<std::string>{};
          const auto* l = std::get_if<std::vector<std::string>>(&value);
          if (!l) wrong_kind(q, "a list of labels", value);
          if (l->empty())
            throw_invalid(fmt::format(
                "multi label selection question {} expects a list of values, found empty list",
                quoted(q.name)));
          if (std::set<std::string>(l->begin(), l->end()).size() != l->size())
            throw_invalid(
                fmt::format("multi label selection question {} expects a list of unique values, "
                            "but duplicates were found",
                            quoted(q.name)));
          const auto valid = option_values(settings.options);
          std::vector<std::string> invalid;
          for (const auto& x : *l)
            if (std::find(valid.begin(), valid.end(), x) == valid.end()) invalid.push_back(x);
          if (!invalid.empty())
            throw_invalid(
                fmt::format("{} are not valid labels for multi label selection question {}; valid "
                            "labels are: {}",
                            quoted_list(invalid), quoted(q.name), quoted_list(valid)));
        } else {
          if (empty_list()) value = std::vector<SpanValue>{};
          const auto* spans = std::get_if<std::vector<SpanValue>>(&value);
          if (!spans) wrong_kind(q, "a list of spans", value);
          auto field = record_fields.find(settings.field);
          if (field == record_fields.end())
            throw_invalid(fmt::format("span question {} requires record to have field `{}`",
                                      quoted(q.name), settings.field));
          validate_spans(*spans, settings, q.name, field->second);
        }
      },
      q.settings);
}

void validate_response(ResponseInput& input, const std::vector<Question>& questions,
                       const std::map<std::string, std::string>& record_fields) {
  const bool submitted = input.status == ResponseStatus::kSubmitted;
  if (submitted && input.values.empty())
    throw_invalid("missing response values for submitted response");
  for (const auto& q : questions)
    if (submitted && q.required && !input.values.count(q.name))
      throw_invalid(
          fmt::format("missing response value for required question with name={}", quoted(q.name)));
  for (auto& [name, value] : input.values) {
    auto it = std::find_if(questions.begin(), questions.end(),
                           [&](const Question& q) { return q.name == name; });
    if (it == questions.end())
      throw_invalid(fmt::format("found response value for non configured question with name={}",
                                quoted(name)));
    validate_answer(value, *it, record_fields);
  }
}

void validate_suggestion(SuggestionInput& input, const Question& question,
                         const std::map<std::string, std::string>& record_fields) {
  validate_answer(input.value, question, record_fields);
  const bool list_value = std::holds_alternative<std::vector<std::string>>(input.value) ||
                          std::holds_alternative<std::vector<SpanValue>>(input.value);
  if (auto* scores = std::get_if<std::vector<double>>(&input.score)) {
    if (!list_value)
      throw_invalid("a list of score values is not allowed for a suggestion with a single value");
    const std::size_t items = std::visit(
        [](const auto& v) -> std::size_t {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::int64_t>)
            return 1;
          else
            return v.size();
        },
        input.value);
    if (scores->size() != items)
      throw_invalid(
          fmt::format("number of items on value and score attributes doesn't match "
                      "({} values, {} scores)",
                      items, scores->size()));
    for (std::size_t i = 0; i < scores->size(); ++i)
      if (!((*scores)[i] >= 0.0 && (*scores)[i] <= 1.0))
        throw_invalid(
            fmt::format("score at index {} must be between 0 and 1, found {}", i, (*scores)[i]));
  } else if (auto* score = std::get_if<double>(&input.score)) {
    if (list_value)
      throw_invalid(
          "a single score value is not allowed for a suggestion with a multiple items value");
    if (!(*score >= 0.0 && *score <= 1.0))
      throw_invalid(fmt::format("score must be between 0 and 1, found {}", *score));
  }
  if (input.agent) {
    const std::string& a = *input.agent;
    bool has_alnum = false, ok = !a.empty() && text::count_code_points(a) <= 200;
    for (unsigned char c : a) {
      if (std::isalnum(c)) has_alnum = true;
      if (!(std::isalnum(c) || c == '-' || c == '_' || c == ':' || c == '.' || c == '/' ||
            std::isspace(c)))
        ok = false;
    }
    if (!ok || !has_alnum)
      throw_invalid(
          fmt::format("suggestion agent {} is not valid: use 1..200 letters, digits, "
                      "spaces and - _ : . /",
                      quoted(a)));
  }
}

}  // namespace spanloop::store
