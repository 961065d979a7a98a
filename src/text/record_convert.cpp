// TokenRecord <-> SpanRecord.
#include "text/record_convert.h"

#include <algorithm>

#include "text/error.h"

namespace spanloop::text {

SpanRecord to_span_record(const TokenRecord& record, DecodeMode mode,
                          std::optional<Scheme> scheme) {
  SpanRecord out;
  out.id = record.id;
  out.text = record.text;
  out.extra = record.extra;
  out.line = record.line;
  TagSet set;
  std::vector<TagId> ids;
  for (const auto& layer : record.tags) {
    if (layer.size() != record.tokens.size()) {
      throw Error(ErrorKind::kInvalidArgument,
                  "record '" + record.id + "': " + std::to_string(layer.size()) + " tags for " +
                      std::to_string(record.tokens.size()) + " tokens");
    }
    ids.clear();
    for (const auto& tag : layer) ids.push_back(set.intern(tag));
    std::vector<Chunk> chunks;
    try {
      chunks = decode_chunks(ids, set, mode, scheme);
    } catch (const Error& e) {
      throw Error(e.kind(), "record '" + record.id + "': " + e.what());
    }
    for (const Chunk& c : chunks) {
      out.spans.push_back(
          {record.tokens[c.begin].start, record.tokens[c.end - 1].end, set.type_name(c.type)});
    }
  }
  std::sort(out.spans.begin(), out.spans.end(), span_less);
  out.spans.erase(std::unique(out.spans.begin(), out.spans.end()), out.spans.end());
  return out;
}

TokenRecord to_token_record(const SpanRecord& record, SpanTagger& tagger,
                            std::vector<Token> tokens) {
  TaggedRecord tagged = tagger.tag(record.id, record.text, std::move(tokens), record.spans);
  TokenRecord out;
  out.id = record.id;
  out.text = record.text;
  out.extra = record.extra;
  out.line = record.line;
  const auto& names = tagger.label_map().tags();
  for (const auto& layer : tagged.layers) {
    std::vector<std::string> tags;
    tags.reserve(layer.size());
    for (int id : layer) tags.push_back(names[static_cast<std::size_t>(id)]);
    out.tags.push_back(std::move(tags));
  }
  out.tokens = std::move(tagged.tokens);
  return out;
}

}  // namespace spanloop::text
