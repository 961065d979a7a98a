// SearchCompiler: filters, text conditions and sort keys as SQL; keyset cursor conditions.
#include "store/sql/search_compiler.h"

#include <fmt/format.h>

#include <algorithm>

#include "store/sql/text_index.h"
#include "store/validation_util.h"
#include "text/error.h"

namespace spanloop::store::sql {

namespace {

SqlText placeholders(const std::vector<std::string>& values) {
  SqlText out;
  if (values.size() == 1) {
    out.text = " = ?";
  } else {
    out.text = " IN (";
    for (std::size_t i = 0; i < values.size(); ++i) out.text += i ? ", ?" : "?";
    out.text += ")";
  }
  for (const auto& v : values) out.params.push_back(v);
  return out;
}

}  // namespace

std::string scope_name(const FilterScope& s) {
  switch (s.entity) {
    case ScopeEntity::kRecord:
      return "record." + s.property;
    case ScopeEntity::kResponse:
      return s.question.empty() ? "response." + s.property
                                : "response." + s.question + "." + s.property;
    case ScopeEntity::kSuggestion:
      return "suggestion." + s.question + "." + s.property;
    case ScopeEntity::kMetadata:
      return "metadata." + s.metadata_property;
  }
  return "?";
}

// Compiles one query against one dataset.

std::optional<SqlText> SearchCompiler::from_where() {
  std::vector<SqlText> conditions;
  conditions.push_back(SqlText("r.dataset_seq = ?", {ctx_.seq}));
  if (q_.text) {
    auto text = text_conditions(*q_.text);
    if (!text) return std::nullopt;
    for (auto& t : *text) conditions.push_back(std::move(t));
  }
  for (const auto& f : q_.filters) conditions.push_back(filter(f));
  text_only_ = text_one_row_per_record_ && q_.filters.empty();
  SqlText out("FROM ");
  if (driver_) {
    out += SqlText("(SELECT DISTINCT record_seq FROM (") + *driver_ +
           SqlText(") AS d) AS m CROSS JOIN records r WHERE r.seq = m.record_seq AND ");
  } else {
    out += "records r WHERE ";
  }
  return out + join(conditions, " AND ");
}

std::vector<KeyExpr> SearchCompiler::sort_keys() {
  std::vector<KeyExpr> out;
  for (const auto& s : q_.sort) out.push_back(sort_key(s));
  if (out.empty()) out.push_back(KeyExpr{SqlText("r.seq"), false, false, KeyKind::kInt});
  return out;
}

const std::optional<SqlText>& SearchCompiler::text_only_matches() const {
  static const std::optional<SqlText> kNone;
  return text_only_ ? driver_ : kNone;
}

const Question& SearchCompiler::question(const std::string& name) {
  const Question* q = ctx_.question_by_name(name);
  if (!q) throw_invalid(fmt::format("question {} not found in dataset", quoted(name)));
  return *q;
}

const MetadataProperty& SearchCompiler::property(const std::string& name) {
  const MetadataProperty* p = ctx_.property_by_name(name);
  if (!p) throw_invalid(fmt::format("metadata property {} not found in dataset", quoted(name)));
  return *p;
}

std::optional<std::vector<SqlText>> SearchCompiler::text_conditions(const TextQuery& t) {
  if (t.field && std::none_of(ctx_.fields.begin(), ctx_.fields.end(),
                              [&](const Field& f) { return f.name == *t.field; }))
    throw_invalid(fmt::format("field {} not found in dataset", quoted(*t.field)));
  const ParsedTextQuery parsed = parse_text_query(t.q);
  if (parsed.matches_nothing()) return std::nullopt;
  std::optional<std::int64_t> field_index;
  if (t.field)
    field_index = std::find_if(ctx_.fields.begin(), ctx_.fields.end(),
                               [&](const Field& f) { return f.name == *t.field; }) -
                  ctx_.fields.begin();
  auto match = [&](const ParsedTextQuery& part, bool negated) {
    SqlText seqs(d_.fts_record_seqs(field_index.has_value()),
                 d_.fts_params(part, ctx_.seq, field_index));
    if (!negated && !driver_) {
      driver_ = seqs;
      return SqlText("1 = 1");
    }
    return SqlText(negated ? "r.seq NOT IN (" : "r.seq IN (") + seqs + SqlText(")");
  };
  std::vector<SqlText> out;
  if (t.field || ctx_.fields.size() <= 1) {
    out.push_back(match(parsed, false));
    text_one_row_per_record_ = true;
    return out;
  }
  // Several text fields: each word or phrase may match in any field (as Elasticsearch's
  // simple_query_string over several fields), so each clause is its own subquery.
  std::vector<TextQueryClause> clauses = parsed.clauses;  // positive ones first: one drives
  std::stable_partition(clauses.begin(), clauses.end(),
                        [](const TextQueryClause& c) { return !c.negated; });
  for (const auto& clause : clauses) {
    ParsedTextQuery one;
    one.clauses.push_back(clause);
    one.clauses.back().negated = false;
    out.push_back(match(one, clause.negated));
  }
  return out;
}

SqlText SearchCompiler::filter(const Filter& f) {
  const FilterScope& scope =
      std::visit([](const auto& x) -> const FilterScope& { return x.scope; }, f);
  const auto* terms = std::get_if<TermsFilter>(&f);
  const auto* range = std::get_if<RangeFilter>(&f);
  if (terms && (terms->values.empty() || terms->values.size() > kMaxTerms))
    throw_invalid(fmt::format("filter on {} must list 1..{} values, found {}", scope_name(scope),
                              kMaxTerms, terms->values.size()));
  auto range_sql = [&](std::string_view column) {
    SqlText s;
    std::vector<SqlText> parts;
    if (range->ge) parts.push_back(SqlText(std::string(column) + " >= ?", {*range->ge}));
    if (range->le) parts.push_back(SqlText(std::string(column) + " <= ?", {*range->le}));
    if (parts.empty()) parts.push_back(SqlText(std::string(column) + " IS NOT NULL"));
    return join(parts, " AND ");
  };
  auto unsupported = [&]() -> SqlText {
    throw_invalid(fmt::format("{} filter is not supported on {}", terms ? "terms" : "range",
                              scope_name(scope)));
  };
  switch (scope.entity) {
    case ScopeEntity::kRecord:
      if (scope.property == "status" && terms) {
        for (const auto& v : terms->values)
          if (!parse_record_status(v))
            throw_invalid(fmt::format("unknown record status {}", quoted(v)));
        return SqlText("r.status") + placeholders(terms->values);
      }
      if ((scope.property == "inserted_at" || scope.property == "updated_at") && range)
        return range_sql("r." + scope.property);
      return unsupported();
    case ScopeEntity::kResponse:
      if (scope.question.empty()) {
        if (scope.property != "status" || !terms) return unsupported();
        return response_status(terms->values);
      }
      if (!scope.property.empty() && scope.property != "value") return unsupported();
      return answer_terms("response_terms", question(scope.question), terms, range, true);
    case ScopeEntity::kSuggestion: {
      const Question& q = question(scope.question);
      if (scope.property.empty() || scope.property == "value")
        return answer_terms("suggestion_terms", q, terms, range, false);
      SqlText s("r.seq IN (SELECT s.record_seq FROM suggestions s WHERE s.question_id = ? AND ",
                {q.id});
      if (scope.property == "agent" && terms) {
        s += SqlText("s.agent") + placeholders(terms->values);
      } else if (scope.property == "type" && terms) {
        for (const auto& v : terms->values)
          if (!parse_suggestion_type(v))
            throw_invalid(fmt::format("unknown suggestion type {}", quoted(v)));
        s += SqlText("s.type") + placeholders(terms->values);
      } else if (scope.property == "score" && range) {
        // score_min/score_max narrow the candidates; the JSON check is exact for lists.
        std::vector<SqlText> parts;
        if (range->ge) parts.push_back(SqlText("s.score_max >= ?", {*range->ge}));
        if (range->le) parts.push_back(SqlText("s.score_min <= ?", {*range->le}));
        parts.push_back(SqlText(d_.json_number_in_range("s.score"),
                                {range->ge.value_or(-1e308), range->le.value_or(1e308)}));
        s += join(parts, " AND ");
      } else {
        return unsupported();
      }
      s += ")";
      return s;
    }
    case ScopeEntity::kMetadata: {
      const MetadataProperty& p = property(scope.metadata_property);
      SqlText s("r.seq IN (SELECT m.record_seq FROM record_metadata m WHERE m.property_id = ? AND ",
                {p.id});
      const bool is_terms = metadata_type(p.settings) == MetadataType::kTerms;
      if (terms && is_terms)
        s += SqlText("m.term") + placeholders(terms->values);
      else if (range && !is_terms)
        s += range_sql("m.num");
      else
        return unsupported();
      s += ")";
      return s;
    }
  }
  return unsupported();
}

SqlText SearchCompiler::response_status(const std::vector<std::string>& values) {
  std::vector<std::string> statuses;
  bool pending = false;
  for (const auto& v : values) {
    if (v == "pending")
      pending = true;
    else if (parse_response_status(v))
      statuses.push_back(v);
    else
      throw_invalid(fmt::format("unknown response status {}", quoted(v)));
  }
  std::vector<SqlText> any;
  const bool scoped = q_.user_id.has_value();
  if (!statuses.empty()) {
    SqlText seqs("SELECT x.record_seq FROM responses x WHERE x.dataset_seq = ?", {ctx_.seq});
    if (scoped) seqs += SqlText(" AND x.user_id = ?", {*q_.user_id});
    seqs += SqlText(" AND x.status") + placeholders(statuses);
    // One user's answered records are few: drive from them (the Submitted / Draft tabs).
    if (scoped && !pending && !driver_) {
      driver_ = seqs;
      return SqlText("1 = 1");
    }
    any.push_back(SqlText("r.seq IN (") + seqs + SqlText(")"));
  }
  if (pending) {
    SqlText s("r.seq NOT IN (SELECT x.record_seq FROM responses x WHERE x.dataset_seq = ?",
              {ctx_.seq});
    if (scoped) s += SqlText(" AND x.user_id = ?", {*q_.user_id});
    s += ")";
    any.push_back(std::move(s));
  }
  if (any.size() == 1) return any.front();
  return SqlText("(") + join(any, " OR ") + SqlText(")");
}

SqlText SearchCompiler::answer_terms(std::string_view table, const Question& q,
                                     const TermsFilter* terms, const RangeFilter* range,
                                     bool responses) {
  const QuestionType type = question_type(q.settings);
  if (type == QuestionType::kText)
    throw_invalid(fmt::format("text question {} cannot be filtered", quoted(q.name)));
  if (range && type != QuestionType::kRating)
    throw_invalid(fmt::format("range filter needs a rating question; {} is a {} question",
                              quoted(q.name), to_string(type)));
  SqlText s(
      "r.seq IN (SELECT t.record_seq FROM " + std::string(table) + " t WHERE t.question_id = ?",
      {q.id});
  if (responses && q_.user_id) s += SqlText(" AND t.user_id = ?", {*q_.user_id});
  if (terms) {
    s += SqlText(" AND t.term") + placeholders(terms->values);
  } else {
    if (range->ge) s += SqlText(" AND t.num >= ?", {*range->ge});
    if (range->le) s += SqlText(" AND t.num <= ?", {*range->le});
  }
  s += ")";
  return s;
}

KeyExpr SearchCompiler::sort_key(const SortKey& k) {
  const bool desc = k.order == SortOrder::kDesc;
  const FilterScope& scope = k.scope;
  switch (scope.entity) {
    case ScopeEntity::kRecord:
      // inserted_at sorts by insertion order (the record key, assigned with the timestamp).
      if (scope.property == "inserted_at")
        return KeyExpr{SqlText("r.seq"), desc, false, KeyKind::kInt};
      if (scope.property == "updated_at")
        return KeyExpr{SqlText("r.updated_at"), desc, false, KeyKind::kInt};
      break;
    case ScopeEntity::kMetadata: {
      const MetadataProperty& p = property(scope.metadata_property);
      const bool is_terms = metadata_type(p.settings) == MetadataType::kTerms;
      return KeyExpr{
          SqlText(std::string("(SELECT MIN(m.") + (is_terms ? "term" : "num") +
                      ") FROM record_metadata m WHERE m.record_seq = r.seq AND m.property_id = ?)",
                  {p.id}),
          desc, true, is_terms ? KeyKind::kText : KeyKind::kReal};
    }
    case ScopeEntity::kSuggestion:
      if (scope.property == "score") {
        const Question& q = question(scope.question);
        return KeyExpr{
            SqlText("(SELECT s.score_max FROM suggestions s WHERE s.record_seq = r.seq AND "
                    "s.question_id = ?)",
                    {q.id}),
            desc, true, KeyKind::kReal};
      }
      break;
    case ScopeEntity::kResponse:
      if (!scope.question.empty() && (scope.property.empty() || scope.property == "value")) {
        const Question& q = question(scope.question);
        if (question_type(q.settings) != QuestionType::kRating)
          throw_invalid(
              fmt::format("sorting by response value needs a rating question; {} is a {} question",
                          quoted(q.name), to_string(question_type(q.settings))));
        SqlText e(
            "(SELECT MAX(t.num) FROM response_terms t WHERE t.record_seq = r.seq AND "
            "t.question_id = ?",
            {q.id});
        if (q_.user_id) e += SqlText(" AND t.user_id = ?", {*q_.user_id});
        e += ")";
        return KeyExpr{e, desc, true, KeyKind::kReal};
      }
      break;
  }
  throw_invalid(fmt::format("sorting by {} is not supported", scope_name(scope)));
}

// "after the cursor" for keys referenced by refs (lexicographic, nulls last, seq tiebreak).
SqlText after_cursor(const std::vector<KeyExpr>& keys, const std::vector<SqlText>& refs,
                     const SqlText& seq_ref, const Cursor& cur) {
  std::vector<SqlText> any;
  std::vector<SqlText> equal_so_far;
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const CursorValue& v = cur.keys[i];
    const bool null = std::holds_alternative<std::monostate>(v);
    const std::string op = keys[i].desc ? " < ?" : " > ?";
    if (!null) {
      SqlText gt = keys[i].nullable ? SqlText("(") + refs[i] + SqlText(" IS NULL OR ") + refs[i] +
                                          SqlText(op, {to_param(v)}) + SqlText(")")
                                    : refs[i] + SqlText(op, {to_param(v)});
      std::vector<SqlText> parts = equal_so_far;
      parts.push_back(gt);
      any.push_back(SqlText("(") + join(parts, " AND ") + SqlText(")"));
      equal_so_far.push_back(refs[i] + SqlText(" = ?", {to_param(v)}));
    } else {
      equal_so_far.push_back(refs[i] + SqlText(" IS NULL"));
    }
  }
  std::vector<SqlText> parts = equal_so_far;
  parts.push_back(seq_ref + SqlText(keys.front().desc ? " < ?" : " > ?", {cur.seq}));
  any.push_back(SqlText("(") + join(parts, " AND ") + SqlText(")"));
  SqlText out = SqlText("(") + join(any, " OR ") + SqlText(")");
  // A plain bound on the first key lets an index seek to the cursor instead of filtering from
  // the start (the OR above is not a range an index can use).
  if (!keys.front().nullable && !std::holds_alternative<std::monostate>(cur.keys.front()))
    out = refs.front() +
          SqlText(keys.front().desc ? " <= ?" : " >= ?", {to_param(cur.keys.front())}) +
          SqlText(" AND ") + out;
  return out;
}

}  // namespace spanloop::store::sql
