// Entity-level precision / recall / F1 exactly as seqeval computes and prints them
// (classification_report, default and strict mode), plus token accuracy.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "text/decode.h"
#include "text/scheme.h"
#include "text/tag_set.h"

namespace spanloop::text {

// seqeval's zero_division: "warn" (its default) and 0 give 0 where a ratio divides by zero,
// 1 gives 1.
enum class ZeroDivision { kZero, kOne };

struct EvalOptions {
  DecodeMode mode = DecodeMode::kDefault;  // kDefault or kStrict (conlleval has ConllevalCounter)
  std::optional<Scheme> scheme{};          // required for kStrict (see SchemeDetector)
  ZeroDivision zero_division = ZeroDivision::kZero;
};

// One line of the report.
struct ScoreRow {
  std::string name{};
  double precision = 0;
  double recall = 0;
  double f1 = 0;
  std::size_t support = 0;    // gold entities
  std::size_t predicted = 0;  // predicted entities
  std::size_t correct = 0;    // predicted entities that exactly match a gold one
};

struct EntityReport {
  DecodeMode mode = DecodeMode::kDefault;
  std::optional<Scheme> scheme{};
  std::vector<ScoreRow> types{};  // sorted by name (code point order, as Python's sorted())
  ScoreRow micro{}, macro{}, weighted{};
  std::size_t sentences = 0;
  std::size_t tokens = 0;
  std::size_t correct_tokens = 0;  // tokens whose predicted tag equals the gold tag

  // seqeval.metrics.accuracy_score; 0 when there are no tokens.
  double accuracy() const {
    return tokens == 0 ? 0.0 : static_cast<double>(correct_tokens) / static_cast<double>(tokens);
  }
  // Exactly the string seqeval's classification_report(digits=digits) returns. (When there is
  // no entity at all seqeval raises ValueError; this prints the averages, macro as nan.)
  std::string classification_report(int digits = 2) const;
  // {"mode", "scheme", "accuracy", "tokens", "sentences", "types": {...}, "micro avg", ...}
  std::string to_json() const;
};

// Accumulates gold and predicted tag sequences one sentence at a time (streaming) and scores
// their entities. Entities are compared as seqeval does: same type, same first and last token.
//   EntityEvaluator eval({DecodeMode::kDefault});
//   for (each sentence) eval.add(gold_tags, predicted_tags);
//   std::cout << eval.report().classification_report(4);
class EntityEvaluator {
 public:
  // Throws InvalidArgument for kConlleval, or kStrict without a usable scheme.
  explicit EntityEvaluator(EvalOptions options, TagSet tags = TagSet());

  // The tag set that ids passed to add() refer to (e.g. TagSet::from_label_map(map), so model
  // outputs can be added as label ids).
  TagSet& tag_set() { return tags_; }
  const TagSet& tag_set() const { return tags_; }

  // One sentence. Throws InvalidArgument when the lengths differ (naming the sentence) and, in
  // strict mode, for a tag the scheme does not allow.
  void add(std::span<const TagId> gold, std::span<const TagId> pred);
  void add(std::span<const std::string> gold, std::span<const std::string> pred);

  EntityReport report() const;

 private:
  using Entity = std::pair<std::uint64_t, std::uint64_t>;  // first token, end (global)
  void collect(const std::vector<Chunk>& chunks, std::uint64_t offset,
               std::vector<std::vector<Entity>>& into);

  EvalOptions options_;
  TagSet tags_;
  DefaultDecoder gold_decoder_;
  DefaultDecoder pred_decoder_;
  std::vector<std::vector<Entity>> gold_;  // by TypeId
  std::vector<std::vector<Entity>> pred_;
  std::vector<Chunk> scratch_;
  std::vector<TagId> gold_ids_, pred_ids_;
  std::uint64_t offset_ = 0;  // strict mode: tokens before the current sentence
  std::size_t sentences_ = 0;
  std::size_t tokens_ = 0;
  std::size_t correct_tokens_ = 0;
};

}  // namespace spanloop::text
