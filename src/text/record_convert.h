// Converting one record between its two shapes: tokens + tags <-> text + spans.
#pragma once

#include <optional>
#include <vector>

#include "text/decode.h"
#include "text/pretokenizer.h"
#include "text/record.h"
#include "text/span_tagger.h"

namespace spanloop::text {

// Decodes every tag layer with `mode` (kStrict needs `scheme`) and maps entities to character
// spans of record.text through the token offsets. Spans of all layers are merged, sorted by
// (start, end, label), duplicates removed. Throws InvalidArgument naming the record when a
// layer's length differs from the tokens' or a tag is invalid in strict mode.
SpanRecord to_span_record(const TokenRecord& record, DecodeMode mode,
                          std::optional<Scheme> scheme = std::nullopt);

// Tags the record's spans over `tokens` (sorted, disjoint code point ranges of record.text) with
// `tagger` (whose report it updates); tags are written as strings of the tagger's label map.
TokenRecord to_token_record(const SpanRecord& record, SpanTagger& tagger,
                            std::vector<Token> tokens);
// Same, pre-tokenizing record.text first.
inline TokenRecord to_token_record(const SpanRecord& record, SpanTagger& tagger,
                                   const PreTokenizer& pretokenizer) {
  return to_token_record(record, tagger, pretokenizer.split(record.text));
}

}  // namespace spanloop::text
