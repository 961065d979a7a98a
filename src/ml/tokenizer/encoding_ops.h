// Operations on Encoding that tokenizers performs after the model: merging word encodings,
// truncation into overflowing windows, padding.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "ml/tokenizer/tokenizer.h"

namespace spanloop::ml::tok {

enum class Direction { kLeft, kRight };

// Appends b to a (offsets unchanged, as merge with growing_offsets=false).
void append_encoding(Encoding& a, const Encoding& b);
// Encoding::truncate: keeps the first window in `enc` and puts the others (stride tokens of
// overlap) into enc.overflowing, in tokenizers' order.
void truncate_encoding(Encoding& enc, std::size_t max_len, std::size_t stride, Direction direction);
// Encoding::pad (also pads the overflowing windows).
void pad_encoding(Encoding& enc, std::size_t target, std::int64_t pad_id, std::int32_t pad_type_id,
                  const std::string& pad_token, Direction direction);
// Copies of tokens [begin, end) of enc (no overflowing).
Encoding slice_encoding(const Encoding& enc, std::size_t begin, std::size_t end);

}  // namespace spanloop::ml::tok
