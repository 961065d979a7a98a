// span_agreement: per record, every pair of submitted responses compared as sets of
// (start, end, label); counts summed per pair and label (micro F1).
#include "server/dataio/agreement.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "text/error.h"

namespace spanloop::dataio {
namespace {

using SpanKey = std::tuple<std::int64_t, std::int64_t, std::string>;

std::set<SpanKey> span_set(const store::Response& r, const std::string& question) {
  std::set<SpanKey> out;
  auto it = r.values.find(question);
  if (it == r.values.end()) return out;
  if (auto* spans = std::get_if<std::vector<store::SpanValue>>(&it->second))
    for (const auto& s : *spans) out.emplace(s.start, s.end, s.label);
  return out;
}

nlohmann::ordered_json counts_json(const SpanCounts& c) {
  nlohmann::ordered_json j;
  auto f1 = c.f1();
  j["f1"] = f1 ? nlohmann::ordered_json(*f1) : nlohmann::ordered_json();
  j["matched"] = c.matched;
  j["spans_a"] = c.spans_a;
  j["spans_b"] = c.spans_b;
  return j;
}

nlohmann::ordered_json labels_json(const std::vector<LabelAgreement>& labels) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& l : labels) j[l.label] = counts_json(l.counts);
  return j;
}

}  // namespace

std::optional<double> SpanCounts::f1() const {
  if (spans_a + spans_b == 0) return std::nullopt;
  return 2.0 * static_cast<double>(matched) / static_cast<double>(spans_a + spans_b);
}

void SpanCounts::add(const SpanCounts& o) {
  matched += o.matched;
  spans_a += o.spans_a;
  spans_b += o.spans_b;
}

AgreementReport span_agreement(store::Store& store, const std::string& dataset_id,
                               const std::string& question) {
  if (!store.get_dataset(dataset_id))
    throw_not_found("Dataset with id `" + dataset_id + "` not found");
  const store::Question* q = nullptr;
  const auto questions = store.list_questions(dataset_id);
  for (const auto& candidate : questions) {
    if (store::question_type(candidate.settings) != store::QuestionType::kSpan) continue;
    if (question.empty() || candidate.name == question) {
      q = &candidate;
      break;
    }
  }
  if (!q)
    throw_invalid(question.empty() ? "dataset `" + dataset_id + "` has no span question"
                                   : "`" + question + "` is not a span question of the dataset");
  std::vector<std::string> labels;
  for (const auto& o : std::get<store::SpanQuestionSettings>(q->settings).options)
    labels.push_back(o.value);

  AgreementReport report;
  report.dataset_id = dataset_id;
  report.question = q->name;
  // (user_a, user_b) -> records, per-label counts
  std::map<std::pair<std::string, std::string>,
           std::pair<std::int64_t, std::map<std::string, SpanCounts>>>
      pairs;

  store::SearchQuery query;
  query.dataset_id = dataset_id;
  query.with_total = false;
  query.filters.push_back(
      store::TermsFilter{{store::ScopeEntity::kResponse, "status", "", ""}, {"submitted"}});
  query.include.responses = true;
  store::RecordStream stream(store, query);
  std::vector<store::Record> batch;
  while (stream.next(batch)) {
    for (const auto& record : batch) {
      if (!record.responses) continue;
      std::vector<const store::Response*> submitted;
      for (const auto& r : *record.responses)
        if (r.status == store::ResponseStatus::kSubmitted) submitted.push_back(&r);
      if (submitted.size() < 2) continue;
      ++report.records;
      std::sort(submitted.begin(), submitted.end(),
                [](auto* a, auto* b) { return a->user_id < b->user_id; });
      std::vector<std::set<SpanKey>> sets;
      for (auto* r : submitted) sets.push_back(span_set(*r, q->name));
      for (std::size_t i = 0; i < submitted.size(); ++i) {
        for (std::size_t j = i + 1; j < submitted.size(); ++j) {
          auto& [records, by_label] = pairs[{submitted[i]->user_id, submitted[j]->user_id}];
          ++records;
          for (const auto& [s, e, label] : sets[i]) {
            ++by_label[label].spans_a;
            if (sets[j].count({s, e, label})) ++by_label[label].matched;
          }
          for (const auto& k : sets[j]) ++by_label[std::get<2>(k)].spans_b;
        }
      }
    }
  }

  auto username = [&](const std::string& id) {
    auto u = store.get_user(id);
    return u ? u->username : std::string();
  };
  std::map<std::string, SpanCounts> label_totals;
  for (const auto& [users, value] : pairs) {
    PairAgreement p;
    p.user_a = users.first;
    p.user_b = users.second;
    p.username_a = username(users.first);
    p.username_b = username(users.second);
    p.records = value.first;
    for (const auto& label : labels) {
      auto it = value.second.find(label);
      LabelAgreement l{label, it == value.second.end() ? SpanCounts{} : it->second};
      p.counts.add(l.counts);
      label_totals[label].add(l.counts);
      p.labels.push_back(std::move(l));
    }
    report.overall.add(p.counts);
    report.pairs.push_back(std::move(p));
  }
  for (const auto& label : labels) report.labels.push_back({label, label_totals[label]});
  return report;
}

std::string AgreementReport::to_json() const {
  nlohmann::ordered_json j;
  j["dataset_id"] = dataset_id;
  j["question"] = question;
  j["records"] = records;
  auto f1 = overall.f1();
  j["f1"] = f1 ? nlohmann::ordered_json(*f1) : nlohmann::ordered_json();
  j["matched"] = overall.matched;
  j["labels"] = labels_json(labels);
  j["pairs"] = nlohmann::ordered_json::array();
  for (const auto& p : pairs) {
    nlohmann::ordered_json pj;
    pj["user_a"] = {{"id", p.user_a}, {"username", p.username_a}};
    pj["user_b"] = {{"id", p.user_b}, {"username", p.username_b}};
    pj["records"] = p.records;
    const auto c = counts_json(p.counts);
    for (const auto& [k, v] : c.items()) pj[k] = v;
    pj["labels"] = labels_json(p.labels);
    j["pairs"].push_back(std::move(pj));
  }
  return j.dump();
}

}  // namespace spanloop::dataio
