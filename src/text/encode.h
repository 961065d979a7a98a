// Spans -> tags: writes token spans as per-token tag ids in a label map's scheme.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "text/alignment.h"
#include "text/label_map.h"

namespace spanloop::text {

// Fills `tags` (one entry per token) with label map ids: "O" outside spans, and the scheme's
// tags inside. `layer` must be sorted by begin and non-overlapping, within tags.size().
//   IO: I-X everywhere.  IOB2: B-X first, I-X after.  IOE2: I-X, E-X last.
//   IOB1: I-X, except B-X on the first token when the previous token ends a span of type X.
//   IOE1: I-X, except E-X on the last token when the next token starts a span of type X.
//   IOBES/BILOU: S-X (U-X) alone, else B-X, I-X..., E-X (L-X).
// open_begin / open_end (legacy alignment) replace a begin / end tag by the inside tag.
void encode_layer(std::span<const TokenSpan> layer, const LabelMap& map, std::span<int> tags);

inline std::vector<int> encode_layer(std::size_t token_count, std::span<const TokenSpan> layer,
                                     const LabelMap& map) {
  std::vector<int> tags(token_count);
  encode_layer(layer, map, tags);
  return tags;
}

}  // namespace spanloop::text
