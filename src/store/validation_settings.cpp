// Validation of names, dataset settings, questions, record fields, metadata and vectors.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "store/validation.h"
#include "store/validation_util.h"
#include "text/error.h"
#include "text/utf8.h"

namespace spanloop::store {

std::string quoted(std::string_view s) {
  return "'" + std::string(s) + "'";
}

std::string quoted_list(const std::vector<std::string>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ", ";
    out += quoted(values[i]);
  }
  return out + "]";
}

namespace {

std::size_t length(std::string_view what, std::string_view s) {
  text::validate_utf8(s, what);
  return text::count_code_points(s);
}

void check_length(std::string_view what, std::string_view s, std::size_t min, std::size_t max) {
  const std::size_t n = length(what, s);
  if (n < min || n > max)
    throw_invalid(fmt::format("{} must have {}..{} characters, found {}", what, min, max, n));
}

void validate_options(std::string_view question, const std::vector<LabelOption>& options,
                      std::size_t min_items, const std::optional<std::int64_t>& visible) {
  if (options.size() < min_items || options.size() > kMaxLabelOptions)
    throw_invalid(fmt::format("question {} must have {}..{} options, found {}", quoted(question),
                              min_items, kMaxLabelOptions, options.size()));
  std::set<std::string> seen;
  for (std::size_t i = 0; i < options.size(); ++i) {
    const auto& o = options[i];
    const std::string where = fmt::format("option at index {} of question {}", i, quoted(question));
    check_length(where + " value", o.value, 1, 200);
    check_length(where + " text", o.text, 1, 500);
    if (o.description) check_length(where + " description", *o.description, 1, 1000);
    if (o.color) {
      const std::string& c = *o.color;
      const bool ok =
          c.size() == 7 && c[0] == '#' && std::all_of(c.begin() + 1, c.end(), [](char ch) {
            return std::isxdigit(static_cast<unsigned char>(ch));
          });
      if (!ok) throw_invalid(fmt::format("{} color {} must look like #1f77b4", where, quoted(c)));
    }
    if (!seen.insert(o.value).second)
      throw_invalid(fmt::format("question {} option values must be unique; {} is repeated",
                                quoted(question), quoted(o.value)));
  }
  if (visible) {
    if (*visible < 3)
      throw_invalid(
          fmt::format("question {}: visible_options must be greater or equal to 3, found {}",
                      quoted(question), *visible));
    if (*visible > static_cast<std::int64_t>(options.size()))
      throw_invalid(
          fmt::format("question {}: visible_options must be lower or equal to the number of "
                      "options ({}), found {}",
                      quoted(question), options.size(), *visible));
  }
}

void validate_settings(std::string_view name, const QuestionSettings& settings) {
  std::visit(
      [&](const auto& s) {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, RatingQuestionSettings>) {
          if (s.values.size() < 2 || s.values.size() > 11)
            throw_invalid(fmt::format("rating question {} must have 2..11 values, found {}",
                                      quoted(name), s.values.size()));
          std::set<std::int64_t> seen;
          for (auto v : s.values) {
            if (v < 0 || v > 10)
              throw_invalid(fmt::format("rating question {} values must be in 0..10, found {}",
                                        quoted(name), v));
            if (!seen.insert(v).second)
              throw_invalid(fmt::format("rating question {} values must be unique; {} is repeated",
                                        quoted(name), v));
          }
        } else if constexpr (std::is_same_v<T, LabelSelectionSettings>) {
          validate_options(name, s.options, 2, s.visible_options);
        } else if constexpr (std::is_same_v<T, MultiLabelSelectionSettings>) {
          validate_options(name, s.options, 2, s.visible_options);
          if (s.options_order != "natural" && s.options_order != "suggestion")
            throw_invalid(fmt::format(
                "question {}: options_order must be 'natural' or 'suggestion', found {}",
                quoted(name), quoted(s.options_order)));
        } else if constexpr (std::is_same_v<T, SpanQuestionSettings>) {
          validate_options(name, s.options, 1, s.visible_options);
        }
      },
      settings);
}

std::vector<std::string> values_of(const QuestionSettings& s) {
  std::vector<std::string> out;
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, RatingQuestionSettings>) {
          for (auto v : x.values) out.push_back(std::to_string(v));
        } else if constexpr (!std::is_same_v<T, TextQuestionSettings>) {
          for (const auto& o : x.options) out.push_back(o.value);
        }
      },
      s);
  return out;
}

}  // namespace

void validate_setting_name(std::string_view what, std::string_view name) {
  bool alnum = false, ok = !name.empty() && name.size() <= 200;
  for (unsigned char c : name) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      alnum = true;
    else if (c != '_' && c != '-')
      ok = false;
  }
  if (!ok || !alnum)
    throw_invalid(
        fmt::format("{} name {} is not valid: use 1..200 of a-z, 0-9, '_' and '-', "
                    "with at least one letter or digit",
                    what, quoted(name)));
}

void validate_dataset_name(std::string_view what, std::string_view name) {
  bool ok = !name.empty() && name.size() <= 200 && name[0] != '-' && name[0] != '_';
  for (unsigned char c : name)
    if (!(std::isalnum(c) || c == '-' || c == '_' || c == ' ')) ok = false;
  if (!ok)
    throw_invalid(
        fmt::format("{} name {} is not valid: use 1..200 of A-Z, a-z, 0-9, ' ', '_' "
                    "and '-', not starting with '-' or '_'",
                    what, quoted(name)));
}

void validate_username(std::string_view username) {
  bool ok = !username.empty() && username.size() <= 200 &&
            std::isalnum(static_cast<unsigned char>(username[0]));
  for (unsigned char c : username)
    if (!(std::isalnum(c) || c == '-' || c == '_')) ok = false;
  if (!ok)
    throw_invalid(
        fmt::format("username {} is not valid: use 1..200 of A-Z, a-z, 0-9, '_' and "
                    "'-', starting with a letter or digit",
                    quoted(username)));
}

void validate_distribution(const Distribution& d) {
  if (d.strategy != "overlap")
    throw_invalid(fmt::format("distribution strategy {} is not supported; use 'overlap'",
                              quoted(d.strategy)));
  if (d.min_submitted < 1)
    throw_invalid(fmt::format("distribution min_submitted must be greater or equal to 1, found {}",
                              d.min_submitted));
}

void validate_dataset_create(const DatasetCreate& d) {
  validate_dataset_name("dataset", d.name);
  if (d.guidelines) check_length("dataset guidelines", *d.guidelines, 1, kMaxGuidelinesLength);
  validate_distribution(d.distribution);
}

void validate_field_create(const FieldCreate& f) {
  validate_setting_name("field", f.name);
  check_length(fmt::format("field {} title", quoted(f.name)), f.title, 1, 500);
}

void validate_question_create(const QuestionCreate& q, const std::vector<Field>& fields,
                              const std::vector<Question>& existing) {
  validate_setting_name("question", q.name);
  check_length(fmt::format("question {} title", quoted(q.name)), q.title, 1, 500);
  if (q.description)
    check_length(fmt::format("question {} description", quoted(q.name)), *q.description, 1, 1000);
  for (const auto& e : existing)
    if (e.name == q.name)
      throw Error(
          ErrorKind::kConflict,
          fmt::format("question with name {} already exists for the dataset", quoted(q.name)));
  validate_settings(q.name, q.settings);
  if (const auto* span = std::get_if<SpanQuestionSettings>(&q.settings)) {
    if (std::none_of(fields.begin(), fields.end(),
                     [&](const Field& f) { return f.name == span->field; }))
      throw_invalid(
          fmt::format("span question {} refers to field {}, which the dataset does not have",
                      quoted(q.name), quoted(span->field)));
    for (const auto& e : existing)
      if (const auto* other = std::get_if<SpanQuestionSettings>(&e.settings);
          other && other->field == span->field)
        throw_invalid(
            fmt::format("span question {} uses field {}, which span question {} already uses; "
                        "only one span question per field is allowed",
                        quoted(q.name), quoted(span->field), quoted(e.name)));
  }
}

void validate_question_settings_update(std::string_view name, const QuestionSettings& current,
                                       const QuestionSettings& next) {
  if (current.index() != next.index())
    throw_invalid(fmt::format(
        "question {}: question type cannot be changed. expected {} but got {}", quoted(name),
        quoted(to_string(question_type(current))), quoted(to_string(question_type(next)))));
  const auto before = values_of(current), after = values_of(next);
  if (before.size() != after.size())
    throw_invalid(
        fmt::format("question {}: the number of options cannot be modified. expected {} but got {}",
                    quoted(name), before.size(), after.size()));
  std::vector<std::string> unexpected;
  for (const auto& v : after)
    if (std::find(before.begin(), before.end(), v) == before.end()) unexpected.push_back(v);
  if (!unexpected.empty())
    throw_invalid(fmt::format(
        "question {}: the option values cannot be modified. found unexpected option values: {}",
        quoted(name), quoted_list(unexpected)));
  if (const auto* cur = std::get_if<SpanQuestionSettings>(&current)) {
    const auto& nxt = std::get<SpanQuestionSettings>(next);
    if (cur->field != nxt.field)
      throw_invalid(
          fmt::format("question {}: the field of a span question cannot be changed (from {} to {})",
                      quoted(name), quoted(cur->field), quoted(nxt.field)));
    if (cur->allow_overlapping && !nxt.allow_overlapping)
      throw_invalid(fmt::format(
          "question {}: allow_overlapping cannot be changed from true to false", quoted(name)));
  }
  validate_settings(name, next);
}

void validate_record_fields(const std::map<std::string, std::string>& fields,
                            const std::vector<Field>& dataset_fields) {
  for (const auto& f : dataset_fields)
    if (f.required && !fields.count(f.name))
      throw_invalid(fmt::format("missing required value for field: {}", quoted(f.name)));
  std::vector<std::string> unknown;
  for (const auto& [name, value] : fields) {
    if (std::none_of(dataset_fields.begin(), dataset_fields.end(),
                     [&](const Field& f) { return f.name == name; }))
      unknown.push_back(name);
    else
      text::validate_utf8(value, fmt::format("field {}", quoted(name)));
  }
  if (!unknown.empty())
    throw_invalid(
        fmt::format("found fields values for non configured fields: {}", quoted_list(unknown)));
}

namespace {

std::string property_problem(const MetadataProperty& p, const MetadataValue& v) {
  return std::visit(
      [&](const auto& s) -> std::string {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, TermsMetadataSettings>) {
          std::vector<std::string> terms;
          if (auto* str = std::get_if<std::string>(&v))
            terms.push_back(*str);
          else if (auto* list = std::get_if<std::vector<std::string>>(&v))
            terms = *list;
          else
            return "terms metadata expects a string or a list of strings";
          if (s.values)
            for (const auto& t : terms)
              if (std::find(s.values->begin(), s.values->end(), t) == s.values->end())
                return fmt::format("{} is not an allowed term; allowed terms are {}", quoted(t),
                                   quoted_list(*s.values));
          return "";
        } else if constexpr (std::is_same_v<T, IntegerMetadataSettings>) {
          const auto* i = std::get_if<std::int64_t>(&v);
          if (!i) return "integer metadata expects an integer value";
          if (s.min && *i < *s.min)
            return fmt::format("value {} is lower than the minimum {}", *i, *s.min);
          if (s.max && *i > *s.max)
            return fmt::format("value {} is greater than the maximum {}", *i, *s.max);
          return "";
        } else {
          double d;
          if (auto* f = std::get_if<double>(&v))
            d = *f;
          else if (auto* i = std::get_if<std::int64_t>(&v))
            d = static_cast<double>(*i);
          else
            return "float metadata expects a number";
          if (!std::isfinite(d)) return "float metadata expects a finite number";
          if (s.min && d < *s.min)
            return fmt::format("value {} is lower than the minimum {}", d, *s.min);
          if (s.max && d > *s.max)
            return fmt::format("value {} is greater than the maximum {}", d, *s.max);
          return "";
        }
      },
      p.settings);
}

}  // namespace

void validate_record_metadata(const Metadata& metadata,
                              const std::vector<MetadataProperty>& properties,
                              bool allow_extra_metadata, std::string_view dataset_id) {
  for (const auto& [name, value] : metadata) {
    if (auto* d = std::get_if<double>(&value); d && !std::isfinite(*d))
      throw_invalid(fmt::format("metadata is not valid: {} is not a finite number", quoted(name)));
    auto it = std::find_if(properties.begin(), properties.end(),
                           [&](const MetadataProperty& p) { return p.name == name; });
    if (it == properties.end()) {
      if (!allow_extra_metadata)
        throw_invalid(
            fmt::format("metadata is not valid: {} metadata property does not exists for "
                        "dataset '{}' and extra metadata is not allowed for this dataset",
                        quoted(name), dataset_id));
      continue;
    }
    if (std::holds_alternative<std::monostate>(value)) continue;
    const std::string why = property_problem(*it, value);
    if (!why.empty())
      throw_invalid(
          fmt::format("metadata is not valid: {} metadata property validation failed because {}",
                      quoted(name), why));
  }
}

void validate_vectors(const Vectors& vectors, const std::vector<VectorSettings>& settings,
                      std::string_view dataset_id) {
  for (const auto& [name, values] : vectors) {
    auto it = std::find_if(settings.begin(), settings.end(),
                           [&](const VectorSettings& s) { return s.name == name; });
    if (it == settings.end())
      throw_invalid(
          fmt::format("vector with name={} does not exist for dataset_id={}", name, dataset_id));
    if (static_cast<std::int64_t>(values.size()) != it->dimensions)
      throw_invalid(
          fmt::format("vector value for vector name={} must have {} elements, got {} elements",
                      name, it->dimensions, values.size()));
    for (float f : values)
      if (!std::isfinite(f))
        throw_invalid(
            fmt::format("vector value for vector name={} must hold finite numbers", name));
  }
}

void validate_metadata_property_create(const MetadataPropertyCreate& p) {
  validate_setting_name("metadata property", p.name);
  check_length(fmt::format("metadata property {} title", quoted(p.name)), p.title, 1, 500);
  std::visit(
      [&](const auto& s) {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, TermsMetadataSettings>) {
          if (s.values) {
            if (s.values->empty() || s.values->size() > 250)
              throw_invalid(
                  fmt::format("terms metadata property {} must list 1..250 values, found {}",
                              quoted(p.name), s.values->size()));
            if (std::set<std::string>(s.values->begin(), s.values->end()).size() !=
                s.values->size())
              throw_invalid(
                  fmt::format("terms metadata property {} values must be unique", quoted(p.name)));
          }
        } else {
          if (s.min && s.max && *s.min > *s.max)
            throw_invalid(
                fmt::format("metadata property {}: min ({}) must be lower or equal than max ({})",
                            quoted(p.name), *s.min, *s.max));
        }
      },
      p.settings);
}

void validate_vector_settings_create(const VectorSettingsCreate& s) {
  validate_setting_name("vector settings", s.name);
  check_length(fmt::format("vector settings {} title", quoted(s.name)), s.title, 1, 500);
  if (s.dimensions <= 0)
    throw_invalid(fmt::format("vector settings {} dimensions must be greater than 0, found {}",
                              quoted(s.name), s.dimensions));
}

}  // namespace spanloop::store
