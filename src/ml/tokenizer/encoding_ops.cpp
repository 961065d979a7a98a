// Encoding merge/truncate/pad with tokenizers' semantics.
#include "ml/tokenizer/encoding_ops.h"

#include "text/error.h"

namespace spanloop::ml::tok {

void append_encoding(Encoding& a, const Encoding& b) {
  a.ids.insert(a.ids.end(), b.ids.begin(), b.ids.end());
  a.tokens.insert(a.tokens.end(), b.tokens.begin(), b.tokens.end());
  a.offsets.insert(a.offsets.end(), b.offsets.begin(), b.offsets.end());
  a.word_ids.insert(a.word_ids.end(), b.word_ids.begin(), b.word_ids.end());
  a.type_ids.insert(a.type_ids.end(), b.type_ids.begin(), b.type_ids.end());
  a.special_tokens_mask.insert(a.special_tokens_mask.end(), b.special_tokens_mask.begin(),
                               b.special_tokens_mask.end());
  a.attention_mask.insert(a.attention_mask.end(), b.attention_mask.begin(), b.attention_mask.end());
}

Encoding slice_encoding(const Encoding& enc, std::size_t begin, std::size_t end) {
  Encoding out;
  auto copy = [&](auto& dst, const auto& src) {
    dst.assign(src.begin() + begin, src.begin() + end);
  };
  copy(out.ids, enc.ids);
  copy(out.tokens, enc.tokens);
  copy(out.offsets, enc.offsets);
  copy(out.word_ids, enc.word_ids);
  copy(out.type_ids, enc.type_ids);
  copy(out.special_tokens_mask, enc.special_tokens_mask);
  copy(out.attention_mask, enc.attention_mask);
  return out;
}

void truncate_encoding(Encoding& enc, std::size_t max_len, std::size_t stride,
                       Direction direction) {
  const std::size_t len = enc.ids.size();
  if (max_len >= len) return;
  if (max_len == 0) {
    Encoding whole = std::move(enc);
    enc = Encoding{};
    enc.overflowing.push_back(std::move(whole));
    return;
  }
  if (stride >= max_len) {
    throw Error(ErrorKind::kInvalidArgument,
                "truncation stride " + std::to_string(stride) +
                    " must be smaller than the window of " + std::to_string(max_len) +
                    " tokens (the maximum length minus the special tokens)");
  }
  const std::size_t step = max_len - stride;
  std::vector<std::pair<std::size_t, std::size_t>> parts;
  if (direction == Direction::kRight) {
    for (std::size_t start = 0; start < len; start += step) {
      const std::size_t stop = std::min(start + max_len, len);
      parts.emplace_back(start, stop);
      if (stop == len) break;
    }
  } else {
    // Windows from the end: stop goes len, len - step, ... (tokenizers' reversed step_by).
    for (std::size_t k = 0;; ++k) {
      if (k * step >= len) break;
      const std::size_t stop = len - k * step;
      const std::size_t start = stop < max_len ? 0 : stop - max_len;
      parts.emplace_back(start, stop);
      if (start == 0) break;
    }
  }
  Encoding first = slice_encoding(enc, parts[0].first, parts[0].second);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    first.overflowing.push_back(slice_encoding(enc, parts[i].first, parts[i].second));
  }
  enc = std::move(first);
}

void pad_encoding(Encoding& enc, std::size_t target, std::int64_t pad_id, std::int32_t pad_type_id,
                  const std::string& pad_token, Direction direction) {
  for (auto& o : enc.overflowing)
    pad_encoding(o, target, pad_id, pad_type_id, pad_token, direction);
  if (enc.ids.size() >= target) return;
  const std::size_t n = target - enc.ids.size();
  auto pad = [&](auto& v, const auto& value) {
    if (direction == Direction::kRight) {
      v.insert(v.end(), n, value);
    } else {
      v.insert(v.begin(), n, value);
    }
  };
  pad(enc.ids, pad_id);
  pad(enc.tokens, pad_token);
  pad(enc.offsets, TokenOffset{0, 0});
  pad(enc.word_ids, std::int32_t{-1});
  pad(enc.type_ids, pad_type_id);
  pad(enc.special_tokens_mask, std::uint8_t{1});
  pad(enc.attention_mask, std::uint8_t{0});
}

}  // namespace spanloop::ml::tok
