// Tags -> spans: seqeval's default (lenient) and strict decoding and conlleval's chunking.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "text/pretokenizer.h"
#include "text/scheme.h"
#include "text/span.h"
#include "text/tag_set.h"

namespace spanloop::text {

// Which rules turn tags into entities.
enum class DecodeMode {
  kDefault,    // seqeval's default mode (conlleval-compatible, lenient: I-X after O starts an
               // entity, a type change ends one); the scheme is not needed
  kStrict,     // seqeval's mode="strict" for one scheme: only well-formed entities count,
               // tags whose prefix the scheme does not allow are errors
  kConlleval,  // conlleval.pl's startOfChunk/endOfChunk (no S-/U-/L- handling)
};
DecodeMode parse_decode_mode(std::string_view name);  // default | strict | conlleval
std::string_view decode_mode_name(DecodeMode mode);

// An entity over tokens [begin, end) of one sequence.
struct Chunk {
  std::size_t begin = 0;
  std::size_t end = 0;
  TypeId type = 0;
  bool operator==(const Chunk&) const = default;
};

// seqeval get_entities() as a state machine that can run over many sentences, with seqeval's
// sentence joining: between sentences it sees the "O" that seqeval appends to each one. Chunk
// positions count every tag fed plus one per end_sentence().
class DefaultDecoder {
 public:
  // Feeds the next tag (parsed by a TagSet); completed entities are appended to `out`.
  void feed(const ParsedTag& tag, std::vector<Chunk>& out) {
    step(tag.default_prefix, tag.default_type, out);
  }
  // The "O" seqeval appends after a sentence (and after the whole sequence).
  void end_sentence(std::vector<Chunk>& out) { step('O', TagSet::kUnderscoreType, out); }
  std::size_t position() const { return position_; }

 private:
  void step(char32_t tag, TypeId type, std::vector<Chunk>& out);

  char32_t prev_tag_ = 'O';
  TypeId prev_type_ = TagSet::kEmptyType;
  std::size_t begin_ = 0;
  std::size_t position_ = 0;
};

// Entities of one sentence. kStrict needs `scheme` (IOB1, IOB2, IOE1, IOE2, IOBES or BILOU) and
// throws InvalidArgument naming the tag and token for a prefix the scheme does not allow.
std::vector<Chunk> decode_chunks(std::span<const TagId> tags, const TagSet& tag_set,
                                 DecodeMode mode, std::optional<Scheme> scheme = std::nullopt);

// Throws InvalidArgument when strict decoding cannot use `scheme` (IO has no strict rules).
void check_strict_scheme(Scheme scheme);

// seqeval.scheme.auto_detect: IOB2, IOE2, IOBES or BILOU from the set of prefixes used, or
// nullopt when the prefixes fit none of them.
class SchemeDetector {
 public:
  void add(const ParsedTag& tag) { seen_ |= 1u << static_cast<unsigned>(tag.strict_prefix); }
  std::optional<Scheme> detect() const;
  std::string prefixes() const;  // e.g. "{B, I, O}", for error messages

 private:
  unsigned seen_ = 0;
};

// Convenience for callers holding strings and tokens: decodes `tags` (one per token) and maps
// each entity to the character span from its first token's start to its last token's end.
// Strict mode needs `scheme`.
std::vector<Span> tags_to_spans(std::span<const std::string> tags, std::span<const Token> tokens,
                                DecodeMode mode, std::optional<Scheme> scheme = std::nullopt);

}  // namespace spanloop::text
