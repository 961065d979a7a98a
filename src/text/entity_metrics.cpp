// Entity scoring with seqeval's arithmetic (numpy averaging included) and its report layout.
#include "text/entity_metrics.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "text/error.h"
#include "text/numeric_format.h"
#include "text/utf8.h"

namespace spanloop::text {
namespace {

double divide(std::size_t num, std::size_t den, ZeroDivision zd) {
  if (den == 0) return zd == ZeroDivision::kOne ? 1.0 : 0.0;
  return static_cast<double>(num) / static_cast<double>(den);
}

// _precision_recall_fscore_support for one row of counts (beta = 1).
ScoreRow score(std::string name, std::size_t tp, std::size_t pred, std::size_t gold,
               ZeroDivision zd) {
  ScoreRow row;
  row.name = std::move(name);
  row.correct = tp;
  row.predicted = pred;
  row.support = gold;
  row.precision = divide(tp, pred, zd);
  row.recall = divide(tp, gold, zd);
  double denom = 1.0 * row.precision + row.recall;
  if (denom == 0.0) denom = 1.0;
  row.f1 = (1.0 + 1.0) * row.precision * row.recall / denom;
  return row;
}

}  // namespace

EntityEvaluator::EntityEvaluator(EvalOptions options, TagSet tags)
    : options_(options), tags_(std::move(tags)) {
  if (options_.mode == DecodeMode::kConlleval) {
    throw_invalid(
        "EntityEvaluator scores seqeval's default and strict modes; use ConllevalCounter");
  }
  if (options_.mode == DecodeMode::kStrict) {
    if (!options_.scheme) throw_invalid("strict mode needs a scheme");
    check_strict_scheme(*options_.scheme);
  }
}

void EntityEvaluator::collect(const std::vector<Chunk>& chunks, std::uint64_t offset,
                              std::vector<std::vector<Entity>>& into) {
  for (const Chunk& c : chunks) {
    if (into.size() <= c.type) into.resize(c.type + 1);
    into[c.type].emplace_back(offset + c.begin, offset + c.end);
  }
}

void EntityEvaluator::add(std::span<const TagId> gold, std::span<const TagId> pred) {
  if (gold.size() != pred.size()) {
    throw Error(ErrorKind::kInvalidArgument, "sentence " + std::to_string(sentences_ + 1) +
                                                 ": gold has " + std::to_string(gold.size()) +
                                                 " tags, prediction has " +
                                                 std::to_string(pred.size()));
  }
  for (std::size_t i = 0; i < gold.size(); ++i) {
    if (gold[i] >= tags_.size() || pred[i] >= tags_.size()) {
      throw_invalid("sentence " + std::to_string(sentences_ + 1) + ": tag id out of range");
    }
    correct_tokens_ += tags_.tag(gold[i]) == tags_.tag(pred[i]) ? 1 : 0;
  }
  if (options_.mode == DecodeMode::kDefault) {
    // seqeval joins sentences with an "O" and decodes the whole corpus as one sequence; the
    // decoders carry their state across sentences the same way.
    scratch_.clear();
    for (TagId t : gold) gold_decoder_.feed(tags_.parsed(t), scratch_);
    gold_decoder_.end_sentence(scratch_);
    collect(scratch_, 0, gold_);
    scratch_.clear();
    for (TagId t : pred) pred_decoder_.feed(tags_.parsed(t), scratch_);
    pred_decoder_.end_sentence(scratch_);
    collect(scratch_, 0, pred_);
  } else {
    auto decode = [&](std::span<const TagId> tags, const char* side) {
      try {
        return decode_chunks(tags, tags_, DecodeMode::kStrict, options_.scheme);
      } catch (const Error& e) {
        throw Error(e.kind(),
                    "sentence " + std::to_string(sentences_ + 1) + ", " + side + ": " + e.what());
      }
    };
    collect(decode(gold, "gold"), offset_, gold_);
    collect(decode(pred, "prediction"), offset_, pred_);
    offset_ += gold.size() + 1;
  }
  ++sentences_;
  tokens_ += gold.size();
}

void EntityEvaluator::add(std::span<const std::string> gold, std::span<const std::string> pred) {
  gold_ids_.clear();
  pred_ids_.clear();
  for (const auto& t : gold) gold_ids_.push_back(tags_.intern(t));
  for (const auto& t : pred) pred_ids_.push_back(tags_.intern(t));
  add(std::span<const TagId>(gold_ids_), std::span<const TagId>(pred_ids_));
}

EntityReport EntityEvaluator::report() const {
  EntityReport r;
  r.mode = options_.mode;
  r.scheme = options_.scheme;
  r.sentences = sentences_;
  r.tokens = tokens_;
  r.correct_tokens = correct_tokens_;
  const ZeroDivision zd = options_.zero_division;

  std::vector<TypeId> types;
  for (TypeId t = 0; t < std::max(gold_.size(), pred_.size()); ++t) {
    const bool in_gold = t < gold_.size() && !gold_[t].empty();
    const bool in_pred = t < pred_.size() && !pred_[t].empty();
    if (in_gold || in_pred) types.push_back(t);
  }
  std::sort(types.begin(), types.end(),
            [&](TypeId a, TypeId b) { return tags_.type_name(a) < tags_.type_name(b); });

  std::size_t tp_total = 0, pred_total = 0, gold_total = 0;
  std::vector<double> ps, rs, fs, weights;
  for (TypeId t : types) {
    std::vector<Entity> g = t < gold_.size() ? gold_[t] : std::vector<Entity>{};
    std::vector<Entity> p = t < pred_.size() ? pred_[t] : std::vector<Entity>{};
    std::sort(g.begin(), g.end());
    g.erase(std::unique(g.begin(), g.end()), g.end());
    std::sort(p.begin(), p.end());
    p.erase(std::unique(p.begin(), p.end()), p.end());
    std::vector<Entity> both;
    std::set_intersection(g.begin(), g.end(), p.begin(), p.end(), std::back_inserter(both));
    r.types.push_back(score(tags_.type_name(t), both.size(), p.size(), g.size(), zd));
    tp_total += both.size();
    pred_total += p.size();
    gold_total += g.size();
    ps.push_back(r.types.back().precision);
    rs.push_back(r.types.back().recall);
    fs.push_back(r.types.back().f1);
    weights.push_back(static_cast<double>(g.size()));
  }

  r.micro = score("micro avg", tp_total, pred_total, gold_total, zd);

  // np.average(x): numpy sum / n (nan when there is no type, as numpy gives).
  const auto n = static_cast<double>(types.size());
  r.macro.name = "macro avg";
  r.macro.precision = detail::numpy_sum(ps) / n;
  r.macro.recall = detail::numpy_sum(rs) / n;
  r.macro.f1 = detail::numpy_sum(fs) / n;
  r.macro.support = gold_total;
  r.macro.predicted = pred_total;
  r.macro.correct = tp_total;

  r.weighted.name = "weighted avg";
  r.weighted.support = gold_total;
  r.weighted.predicted = pred_total;
  r.weighted.correct = tp_total;
  if (gold_total == 0) {
    // seqeval: precision and F1 are zero_division only when nothing was predicted either.
    const double zdv = zd == ZeroDivision::kOne ? 1.0 : 0.0;
    r.weighted.precision = pred_total == 0 ? zdv : 0.0;
    r.weighted.recall = zdv;
    r.weighted.f1 = pred_total == 0 ? zdv : 0.0;
  } else {
    // np.average(x, weights=w) = sum(x * w) / sum(w), both numpy sums.
    const double scale = detail::numpy_sum(weights);
    auto weighted = [&](const std::vector<double>& x) {
      std::vector<double> xw(x.size());
      for (std::size_t i = 0; i < x.size(); ++i) xw[i] = x[i] * weights[i];
      return detail::numpy_sum(xw) / scale;
    };
    r.weighted.precision = weighted(ps);
    r.weighted.recall = weighted(rs);
    r.weighted.f1 = weighted(fs);
  }
  return r;
}

std::string EntityReport::classification_report(int digits) const {
  if (digits < 0 || digits > 20) throw_invalid("digits must be between 0 and 20");
  std::size_t name_width = 0;
  for (const auto& row : types) name_width = std::max(name_width, count_code_points(row.name));
  const std::size_t width = std::max(
      {name_width, std::string_view("weighted avg").size(), static_cast<std::size_t>(digits)});
  auto cell = [](const std::string& s) { return " " + detail::align_right(s, 9); };
  std::string out = detail::align_right("", width) + " ";
  for (const char* h : {"precision", "recall", "f1-score", "support"}) out += cell(h);
  out += "\n\n";
  auto line = [&](const ScoreRow& row) {
    return detail::align_right(row.name, width) + " " +
           cell(detail::python_fixed(row.precision, digits)) +
           cell(detail::python_fixed(row.recall, digits)) +
           cell(detail::python_fixed(row.f1, digits)) + cell(std::to_string(row.support));
  };
  // StringReporter: rows joined by "\n", a blank entry after the types and after the averages.
  std::vector<std::string> buffer;
  for (const auto& row : types) buffer.push_back(line(row));
  buffer.emplace_back();
  for (const ScoreRow* row : {&micro, &macro, &weighted}) buffer.push_back(line(*row));
  buffer.emplace_back();
  for (std::size_t i = 0; i < buffer.size(); ++i) {
    if (i > 0) out += "\n";
    out += buffer[i];
  }
  return out;
}

std::string EntityReport::to_json() const {
  auto row_json = [](const ScoreRow& row) {
    return nlohmann::ordered_json{{"precision", row.precision}, {"recall", row.recall},
                                  {"f1-score", row.f1},         {"support", row.support},
                                  {"predicted", row.predicted}, {"correct", row.correct}};
  };
  nlohmann::ordered_json j;
  j["mode"] = decode_mode_name(mode);
  j["scheme"] = scheme ? nlohmann::ordered_json(scheme_name(*scheme)) : nlohmann::ordered_json();
  j["sentences"] = sentences;
  j["tokens"] = tokens;
  j["accuracy"] = accuracy();
  nlohmann::ordered_json per_type = nlohmann::ordered_json::object();
  for (const auto& row : types) per_type[row.name] = row_json(row);
  j["types"] = std::move(per_type);
  j["micro avg"] = row_json(micro);
  j["macro avg"] = row_json(macro);
  j["weighted avg"] = row_json(weighted);
  return j.dump(2) + "\n";
}

}  // namespace spanloop::text
