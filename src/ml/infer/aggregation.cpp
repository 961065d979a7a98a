// transformers' TokenClassificationPipeline.postprocess in C++ (see aggregation.h). The Python
// names (gather_pre_entities, aggregate_word, group_sub_entities, get_tag) are kept so the two can
// be read side by side.
#include "ml/infer/aggregation.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "text/error.h"
#include "text/utf8.h"

namespace spanloop::ml {

std::string_view aggregation_name(Aggregation a) {
  switch (a) {
    case Aggregation::kNone:
      return "none";
    case Aggregation::kSimple:
      return "simple";
    case Aggregation::kFirst:
      return "first";
    case Aggregation::kAverage:
      return "average";
    case Aggregation::kMax:
      return "max";
  }
  return "simple";
}

Aggregation parse_aggregation(std::string_view name) {
  for (auto a : {Aggregation::kNone, Aggregation::kSimple, Aggregation::kFirst,
                 Aggregation::kAverage, Aggregation::kMax}) {
    if (aggregation_name(a) == name) return a;
  }
  throw Error(ErrorKind::kInvalidArgument, "unknown aggregation '" + std::string(name) +
                                               "' (expected none, simple, first, average or max)");
}

void softmax_rows(float* values, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r) {
    float* row = values + r * cols;
    const float max = *std::max_element(row, row + cols);
    float sum = 0;
    for (std::size_t c = 0; c < cols; ++c) {
      row[c] = std::exp(row[c] - max);
      sum += row[c];
    }
    for (std::size_t c = 0; c < cols; ++c) row[c] /= sum;
  }
}

namespace {

// numpy argmax: the first maximum.
std::size_t argmax(const std::vector<float>& v) {
  return static_cast<std::size_t>(std::max_element(v.begin(), v.end()) - v.begin());
}

// get_tag: "B-X" -> (B, X), "I-X" -> (I, X), anything else counts as a continuation (I, label).
std::pair<char, std::string_view> get_tag(std::string_view label) {
  if (label.starts_with("B-")) return {'B', label.substr(2)};
  if (label.starts_with("I-")) return {'I', label.substr(2)};
  return {'I', label};
}

}  // namespace

struct EntityAggregator::PreEntity {
  std::string word;
  std::vector<float> scores;
  std::size_t start = 0, end = 0, index = 0;
  bool is_subword = false;
};

EntityAggregator::EntityAggregator(Tokenizer tokenizer, std::vector<std::string> labels,
                                   PostprocessOptions options)
    : tokenizer_(std::move(tokenizer)), labels_(std::move(labels)), options_(std::move(options)) {
  if (labels_.empty()) throw Error(ErrorKind::kInvalidArgument, "the model has no labels");
  // Python tests the prefix for truthiness: RoBERTa's "" counts as absent.
  const auto prefix = tokenizer_.continuing_subword_prefix();
  word_aware_ = prefix && !prefix->empty();
  unk_id_ = tokenizer_.unk_token_id();
}

bool EntityAggregator::ignored(const std::string& label) const {
  return std::find(options_.ignore_labels.begin(), options_.ignore_labels.end(), label) !=
         options_.ignore_labels.end();
}

std::vector<EntityAggregator::PreEntity> EntityAggregator::gather(
    const std::u32string& text, std::string_view utf8, const WindowLogits& window) const {
  const Encoding& e = *window.encoding;
  const std::size_t n_labels = labels_.size();
  std::vector<PreEntity> out;
  out.reserve(e.size());
  for (std::size_t idx = 0; idx < e.size(); ++idx) {
    if (e.special_tokens_mask[idx]) continue;
    PreEntity p;
    p.word =
        tokenizer_.id_to_token(e.ids[idx]);  // convert_ids_to_tokens, not the encoding's string
    p.scores.assign(window.logits + idx * n_labels, window.logits + (idx + 1) * n_labels);
    softmax_rows(p.scores.data(), 1, n_labels);
    p.start = std::min(e.offsets[idx].begin, text.size());
    p.end = std::min(e.offsets[idx].end, text.size());
    p.index = window.index_offset + idx;
    const std::size_t ref_len = p.end >= p.start ? p.end - p.start : 0;  // len(sentence[start:end])
    if (word_aware_) {
      p.is_subword = text::count_code_points(p.word) != ref_len;
    } else {
      // transformers' fallback heuristic: no space right before or at the token start.
      bool space = false;
      for (std::size_t i = p.start == 0 ? 0 : p.start - 1; i < std::min(p.start + 1, text.size());
           ++i)
        space = space || text[i] == U' ';
      p.is_subword = p.start > 0 && !space;
    }
    if (unk_id_ && e.ids[idx] == *unk_id_) {
      // The unknown token shows the text it covers.
      text::CodepointIndex index(utf8);
      p.word = std::string(text::substr_code_points(utf8, index, p.start, p.end));
      p.is_subword = false;
    }
    out.push_back(std::move(p));
  }
  return out;
}

Entity EntityAggregator::aggregate_word(const std::vector<const PreEntity*>& group) const {
  std::vector<std::string> words;
  for (const auto* p : group) words.push_back(p->word);
  Entity e;
  e.word = tokenizer_.decode_tokens(words);
  e.start = group.front()->start;
  e.end = group.back()->end;
  switch (options_.aggregation) {
    case Aggregation::kFirst: {
      const auto idx = argmax(group.front()->scores);
      e.label = labels_[idx];
      e.score = group.front()->scores[idx];
      break;
    }
    case Aggregation::kMax: {
      // Python's max(): the first token with the highest top score.
      const PreEntity* best = group.front();
      float best_score = *std::max_element(best->scores.begin(), best->scores.end());
      for (const auto* p : group) {
        const float s = *std::max_element(p->scores.begin(), p->scores.end());
        if (s > best_score) best = p, best_score = s;
      }
      const auto idx = argmax(best->scores);
      e.label = labels_[idx];
      e.score = best->scores[idx];
      break;
    }
    default: {  // average: argmax of the mean score vector
      std::vector<float> mean(labels_.size(), 0.0f);
      for (std::size_t c = 0; c < mean.size(); ++c) {
        double sum = 0;
        for (const auto* p : group) sum += p->scores[c];
        mean[c] = static_cast<float>(sum / static_cast<double>(group.size()));
      }
      const auto idx = argmax(mean);
      e.label = labels_[idx];
      e.score = mean[idx];
      break;
    }
  }
  return e;
}

Entity EntityAggregator::group_sub_entities(const Entities& group) const {
  Entity out;
  // entities[0]["entity"].split("-", 1)[-1]
  const std::string& first = group.front().label;
  const auto dash = first.find('-');
  out.label = dash == std::string::npos ? first : first.substr(dash + 1);
  double sum = 0;
  std::vector<std::string> words;
  for (const auto& e : group) {
    sum += e.score;
    words.push_back(e.word);
  }
  out.score = static_cast<float>(sum / static_cast<double>(group.size()));
  out.word = tokenizer_.decode_tokens(words);
  out.start = group.front().start;
  out.end = group.back().end;
  return out;
}

Entities EntityAggregator::group_entities(const Entities& entities) const {
  Entities groups, current;
  for (const auto& e : entities) {
    if (current.empty()) {
      current.push_back(e);
      continue;
    }
    const auto [bi, tag] = get_tag(e.label);
    const auto [last_bi, last_tag] = get_tag(current.back().label);
    if (tag == last_tag && bi != 'B') {
      current.push_back(e);
    } else {
      groups.push_back(group_sub_entities(current));
      current = {e};
    }
  }
  if (!current.empty()) groups.push_back(group_sub_entities(current));
  return groups;
}

Entities EntityAggregator::aggregate_window(std::vector<PreEntity>& pre) const {
  Entities entities;
  const auto strategy = options_.aggregation;
  if (strategy == Aggregation::kNone || strategy == Aggregation::kSimple) {
    for (auto& p : pre) {
      Entity e;
      const auto idx = argmax(p.scores);
      e.label = labels_[idx];
      e.score = p.scores[idx];
      e.index = p.index;
      e.word = std::move(p.word);
      e.start = p.start;
      e.end = p.end;
      entities.push_back(std::move(e));
    }
  } else {
    // aggregate_words: a token that is not a sub-word starts a new word.
    std::vector<const PreEntity*> group;
    for (const auto& p : pre) {
      if (!group.empty() && !p.is_subword) {
        entities.push_back(aggregate_word(group));
        group.clear();
      }
      group.push_back(&p);
    }
    if (!group.empty()) entities.push_back(aggregate_word(group));
  }
  if (strategy != Aggregation::kNone) entities = group_entities(entities);
  // Both `entity` and `entity_group` are checked against ignore_labels.
  std::erase_if(entities, [&](const Entity& e) { return ignored(e.label); });
  return entities;
}

Entities EntityAggregator::aggregate(std::string_view text,
                                     const std::vector<WindowLogits>& windows) const {
  const std::u32string cps = text::to_u32(text);
  Entities all;
  for (const auto& w : windows) {
    auto pre = gather(cps, text, w);
    auto entities = aggregate_window(pre);
    std::move(entities.begin(), entities.end(), std::back_inserter(all));
  }
  if (windows.size() > 1) all = merge_overlapping_entities(std::move(all));
  return all;
}

Entities merge_overlapping_entities(Entities entities) {
  if (entities.empty()) return entities;
  std::stable_sort(entities.begin(), entities.end(),
                   [](const Entity& a, const Entity& b) { return a.start < b.start; });
  // Copies, not moves: like the Python loop, an empty first entity is emitted twice.
  Entities out;
  std::size_t prev = 0;
  for (std::size_t i = 0; i < entities.size(); ++i) {
    const Entity& e = entities[i];
    const Entity& p = entities[prev];
    if (p.start <= e.start && e.start < p.end) {
      const std::size_t len = e.end - e.start, prev_len = p.end - p.start;
      if (len > prev_len || (len == prev_len && e.score > p.score)) prev = i;
    } else {
      out.push_back(p);
      prev = i;
    }
  }
  out.push_back(entities[prev]);
  return out;
}

}  // namespace spanloop::ml
