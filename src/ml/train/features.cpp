// Alignment of word tags to sub-word tokens and windowing of long sentences.
#include "ml/train/features.h"

#include <algorithm>

#include "ml/tokenizer/tokenizer.h"
#include "text/error.h"

namespace spanloop::ml::train {

std::vector<std::int64_t> continuation_tags(const text::LabelMap& labels) {
  std::vector<std::int64_t> out(labels.size());
  for (std::size_t id = 0; id < labels.size(); ++id) {
    out[id] = static_cast<std::int64_t>(id);
    const int i = static_cast<int>(id);
    if (labels.prefix_of(i) == 'B') {
      const auto& prefixes = text::scheme_prefixes(labels.scheme());
      if (std::find(prefixes.begin(), prefixes.end(), 'I') != prefixes.end())
        out[id] = labels.tag_id(labels.label_of(i), 'I');
    }
  }
  return out;
}

std::vector<Feature> make_features(const std::vector<WordExample>& examples,
                                   const Tokenizer& tokenizer, const text::LabelMap& labels,
                                   const FeatureOptions& options) {
  const auto cont = continuation_tags(labels);
  std::vector<Feature> out;
  for (std::size_t ex = 0; ex < examples.size(); ++ex) {
    const WordExample& e = examples[ex];
    const Encoding enc = tokenizer.encode_words(e.words, true);
    // Leading specials, content, trailing specials (single-sequence templates).
    std::size_t first = 0, last = enc.ids.size();
    while (first < last && enc.word_ids[first] < 0) ++first;
    while (last > first && enc.word_ids[last - 1] < 0) --last;
    if (first == last) continue;  // no word produced a token
    const std::size_t specials = enc.ids.size() - (last - first);
    if (static_cast<std::size_t>(options.max_seq_length) <= specials + 1)
      throw_invalid("--max-seq-length " + std::to_string(options.max_seq_length) +
                    " leaves no room for tokens next to " + std::to_string(specials) +
                    " special tokens");
    const std::size_t budget = static_cast<std::size_t>(options.max_seq_length) - specials;
    const std::size_t content = last - first;
    std::size_t step =
        budget - std::min<std::size_t>(static_cast<std::size_t>(options.stride), budget - 1);
    // Window starts (content positions).
    std::vector<std::size_t> starts{0};
    while (starts.back() + budget < content) starts.push_back(starts.back() + step);
    // Labels per content token, and which window scores each word-start token.
    std::vector<std::int64_t> label(content, kIgnoreLabel);
    std::vector<int> owner(content, -1);
    for (std::size_t p = 0; p < content; ++p) {
      const int w = enc.word_ids[first + p];
      const bool word_start = p == 0 || enc.word_ids[first + p - 1] != w;
      const auto tag = static_cast<std::int64_t>(e.tags[static_cast<std::size_t>(w)]);
      if (word_start) {
        label[p] = tag;
        long best = -1;
        for (std::size_t k = 0; k < starts.size(); ++k) {
          const std::size_t b = starts[k], end = std::min(content, b + budget);
          if (p < b || p >= end) continue;
          // Distance to the nearer edge; the text's own ends count as far away.
          const long left = b == 0 ? static_cast<long>(content) : static_cast<long>(p - b);
          const long right =
              end == content ? static_cast<long>(content) : static_cast<long>(end - 1 - p);
          if (std::min(left, right) > best) {
            best = std::min(left, right);
            owner[p] = static_cast<int>(k);
          }
        }
      } else if (options.label_all_tokens) {
        label[p] = cont[static_cast<std::size_t>(tag)];
      }
    }
    for (std::size_t k = 0; k < starts.size(); ++k) {
      const std::size_t b = starts[k], end = std::min(content, b + budget);
      Feature f;
      f.example = static_cast<std::int32_t>(ex);
      auto push_special = [&](std::size_t i) {
        f.input_ids.push_back(enc.ids[i]);
        f.labels.push_back(kIgnoreLabel);
        f.word_index.push_back(-1);
        f.scored.push_back(0);
      };
      for (std::size_t i = 0; i < first; ++i) push_special(i);
      for (std::size_t p = b; p < end; ++p) {
        f.input_ids.push_back(enc.ids[first + p]);
        f.labels.push_back(label[p]);
        f.word_index.push_back(enc.word_ids[first + p]);
        f.scored.push_back(owner[p] == static_cast<int>(k) ? 1 : 0);
      }
      for (std::size_t i = last; i < enc.ids.size(); ++i) push_special(i);
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace spanloop::ml::train
