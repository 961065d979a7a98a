// conlleval.pl's counting loop and report, learned from its public source.
#include "text/conlleval.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>

#include "text/error.h"

namespace spanloop::text {
namespace {

bool end_of_chunk(char prev, char tag, TypeId prev_type, TypeId type) {
  bool end = (prev == 'B' && (tag == 'B' || tag == 'O')) ||
             (prev == 'I' && (tag == 'B' || tag == 'O')) ||
             (prev == 'E' && (tag == 'E' || tag == 'I' || tag == 'O'));
  if (prev != 'O' && prev != '.' && prev_type != type) end = true;
  return end || prev == ']' || prev == '[';
}

bool start_of_chunk(char prev, char tag, TypeId prev_type, TypeId type) {
  bool start = (tag == 'B' && (prev == 'B' || prev == 'I' || prev == 'O')) ||
               (prev == 'O' && (tag == 'I' || tag == 'E')) ||
               (prev == 'E' && (tag == 'E' || tag == 'I'));
  if (tag != 'O' && tag != '.' && prev_type != type) start = true;
  return start || tag == '[' || tag == ']';
}

double percent(std::size_t num, std::size_t den) {
  return den > 0 ? 100.0 * static_cast<double>(num) / static_cast<double>(den) : 0.0;
}

double fb1(double p, double r) {
  return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

// Perl's printf "%6.2f".
std::string f62(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%6.2f", x);
  return buf;
}

}  // namespace

ConllevalCounter::Side ConllevalCounter::side(TagId id) const {
  const ParsedTag& p = tags_.parsed(id);
  return {p.conll_kind, p.conll_tag, p.conll_type};
}

void ConllevalCounter::count(std::vector<std::size_t>& counts, TypeId type) {
  if (counts.size() <= type) counts.resize(type + 1);
  ++counts[type];
}

void ConllevalCounter::step(const Side& correct, const Side& guessed, bool boundary) {
  const Side& lc = last_correct_;
  const Side& lg = last_guessed_;
  const bool end_correct = end_of_chunk(lc.kind, correct.kind, lc.type, correct.type);
  const bool end_guessed = end_of_chunk(lg.kind, guessed.kind, lg.type, guessed.type);
  const bool start_correct = start_of_chunk(lc.kind, correct.kind, lc.type, correct.type);
  const bool start_guessed = start_of_chunk(lg.kind, guessed.kind, lg.type, guessed.type);
  if (in_correct_) {
    if (end_correct && end_guessed && lg.type == lc.type) {
      in_correct_ = false;
      ++correct_chunks_;
      count(correct_by_type_, lc.type);
    } else if (end_correct != end_guessed || guessed.type != correct.type) {
      in_correct_ = false;
    }
  }
  if (start_correct && start_guessed && guessed.type == correct.type) in_correct_ = true;
  if (start_correct) {
    ++found_correct_;
    count(found_correct_by_type_, correct.type);
  }
  if (start_guessed) {
    ++found_guessed_;
    count(found_guessed_by_type_, guessed.type);
  }
  if (!boundary) {
    if (correct.tag == guessed.tag && guessed.type == correct.type) ++correct_tags_;
    ++tokens_;
  }
  last_correct_ = correct;
  last_guessed_ = guessed;
}

void ConllevalCounter::add_token(TagId gold, TagId pred) {
  step(side(gold), side(pred), false);
}

void ConllevalCounter::add_boundary() {
  const Side o = side(tags_.outside());
  step(o, o, true);
}

void ConllevalCounter::add(std::span<const TagId> gold, std::span<const TagId> pred) {
  if (gold.size() != pred.size()) {
    throw Error(ErrorKind::kInvalidArgument, "gold has " + std::to_string(gold.size()) +
                                                 " tags, prediction has " +
                                                 std::to_string(pred.size()));
  }
  for (std::size_t i = 0; i < gold.size(); ++i) add_token(gold[i], pred[i]);
  add_boundary();
}

void ConllevalCounter::add(std::span<const std::string> gold, std::span<const std::string> pred) {
  gold_ids_.clear();
  pred_ids_.clear();
  for (const auto& t : gold) gold_ids_.push_back(tags_.intern(t));
  for (const auto& t : pred) pred_ids_.push_back(tags_.intern(t));
  add(std::span<const TagId>(gold_ids_), std::span<const TagId>(pred_ids_));
}

ConllevalReport ConllevalCounter::report() const {
  ConllevalReport r;
  r.tokens = tokens_;
  r.correct_tags = correct_tags_;
  r.found_correct = found_correct_;
  r.found_guessed = found_guessed_;
  // The chunk still open at the end of the input counts when it was correct so far.
  r.correct_chunks = correct_chunks_ + (in_correct_ ? 1 : 0);
  r.accuracy = percent(correct_tags_, tokens_);
  r.precision = percent(r.correct_chunks, found_guessed_);
  r.recall = percent(r.correct_chunks, found_correct_);
  r.fb1 = fb1(r.precision, r.recall);

  auto at = [](const std::vector<std::size_t>& v, TypeId t) { return t < v.size() ? v[t] : 0; };
  std::vector<std::size_t> correct_by_type = correct_by_type_;
  if (in_correct_) {
    if (correct_by_type.size() <= last_correct_.type)
      correct_by_type.resize(last_correct_.type + 1);
    ++correct_by_type[last_correct_.type];
  }
  // sort(keys %foundCorrect, keys %foundGuessed), then drop repeats unless the previous name is
  // false in Perl (""), which conlleval prints twice.
  std::vector<std::string> names;
  for (TypeId t = 0; t < std::max(found_correct_by_type_.size(), found_guessed_by_type_.size());
       ++t) {
    if (at(found_correct_by_type_, t) > 0) names.push_back(tags_.type_name(t));
    if (at(found_guessed_by_type_, t) > 0) names.push_back(tags_.type_name(t));
  }
  std::sort(names.begin(), names.end());
  std::optional<std::string> last;
  std::vector<std::string> sorted;
  for (const auto& name : names) {
    if (!last || last->empty() || *last != name) sorted.push_back(name);
    last = name;
  }
  for (const auto& name : sorted) {
    const TypeId id = *tags_.find_type(name);
    ConllevalTypeRow row;
    row.type = name;
    row.found_correct = at(found_correct_by_type_, id);
    row.found_guessed = at(found_guessed_by_type_, id);
    row.correct = at(correct_by_type, id);
    row.precision = percent(row.correct, row.found_guessed);
    row.recall = percent(row.correct, row.found_correct);
    row.fb1 = fb1(row.precision, row.recall);
    r.types.push_back(row);
  }
  return r;
}

std::string ConllevalReport::to_text() const {
  std::string out = "processed " + std::to_string(tokens) + " tokens with " +
                    std::to_string(found_correct) +
                    " phrases; found: " + std::to_string(found_guessed) +
                    " phrases; correct: " + std::to_string(correct_chunks) + ".\n";
  if (tokens > 0) {
    out += "accuracy: " + f62(accuracy) + "%; precision: " + f62(precision) +
           "%; recall: " + f62(recall) + "%; FB1: " + f62(fb1) + "\n";
  }
  for (const auto& row : types) {
    // printf "%17s: " pads by bytes (conlleval reads undecoded bytes).
    if (row.type.size() < 17) out.append(17 - row.type.size(), ' ');
    out += row.type + ": precision: " + f62(row.precision) + "%; recall: " + f62(row.recall) +
           "%; FB1: " + f62(row.fb1) + "  " + std::to_string(row.found_guessed) + "\n";
  }
  return out;
}

std::string ConllevalReport::to_json() const {
  nlohmann::ordered_json j;
  j["tokens"] = tokens;
  j["phrases"] = found_correct;
  j["found"] = found_guessed;
  j["correct"] = correct_chunks;
  j["accuracy"] = accuracy;
  j["precision"] = precision;
  j["recall"] = recall;
  j["FB1"] = fb1;
  nlohmann::ordered_json per_type = nlohmann::ordered_json::array();
  for (const auto& row : types) {
    per_type.push_back({{"type", row.type},
                        {"precision", row.precision},
                        {"recall", row.recall},
                        {"FB1", row.fb1},
                        {"found", row.found_guessed},
                        {"phrases", row.found_correct},
                        {"correct", row.correct}});
  }
  j["types"] = std::move(per_type);
  return j.dump(2) + "\n";
}

}  // namespace spanloop::text
