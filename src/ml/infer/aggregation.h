// Post-processing of per-token scores into entities with exactly the semantics of transformers'
// TokenClassificationPipeline (gather_pre_entities, aggregate, group_entities, ignore_labels,
// aggregate_overlapping_entities for windows). No libtorch: scores are plain float arrays.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "ml/infer/entity.h"
#include "ml/tokenizer/tokenizer.h"

namespace spanloop::ml {

struct PostprocessOptions {
  Aggregation aggregation = Aggregation::kSimple;
  std::vector<std::string> ignore_labels = {"O"};  // labels (or groups) dropped from the output
};

// One window of a text: its encoding and the logits of its tokens, row-major
// [encoding.size(), labels.size()] (padding rows excluded).
struct WindowLogits {
  const Encoding* encoding = nullptr;
  const float* logits = nullptr;
  std::size_t index_offset = 0;  // added to token positions for `index` (window start in the text)
};

// In-place softmax over each row of `values` ([rows, cols]) as transformers does (max-shifted).
void softmax_rows(float* values, std::size_t rows, std::size_t cols);

// The entities of one text from its windows' logits. `labels` is id2label. Several windows are
// merged as transformers merges stride chunks (overlaps keep the longer, then higher-scored
// entity). Throws InvalidArgument when the aggregation cannot be used with the tokenizer.
class EntityAggregator {
 public:
  EntityAggregator(Tokenizer tokenizer, std::vector<std::string> labels,
                   PostprocessOptions options);

  Entities aggregate(std::string_view text, const std::vector<WindowLogits>& windows) const;

  const std::vector<std::string>& labels() const { return labels_; }
  const PostprocessOptions& options() const { return options_; }

 private:
  struct PreEntity;
  std::vector<PreEntity> gather(const std::u32string& text, std::string_view utf8,
                                const WindowLogits& window) const;
  Entities aggregate_window(std::vector<PreEntity>& pre) const;
  Entity aggregate_word(const std::vector<const PreEntity*>& group) const;
  Entities group_entities(const Entities& entities) const;
  Entity group_sub_entities(const Entities& group) const;
  bool ignored(const std::string& label) const;

  Tokenizer tokenizer_;
  std::vector<std::string> labels_;
  PostprocessOptions options_;
  bool word_aware_ = false;  // the tokenizer model has a continuing-subword prefix (WordPiece)
  std::optional<std::int64_t> unk_id_;
};

// transformers' aggregate_overlapping_entities: sorted by start; of overlapping entities the
// longer one wins, at equal length the higher score.
Entities merge_overlapping_entities(Entities entities);

}  // namespace spanloop::ml
