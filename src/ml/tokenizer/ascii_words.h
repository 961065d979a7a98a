// What BertNormalizer + BertPreTokenizer do to each ASCII byte, so that ASCII words can skip the
// general pipeline (which copies a NormalizedString per piece, the main cost of encoding). Text
// encoded this way gives exactly the general pipeline's encoding; tests compare the two routes.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ml/tokenizer/added_vocabulary.h"
#include "ml/tokenizer/components.h"

namespace spanloop::ml::tok {

class AsciiWords {
 public:
  enum class Kind : std::uint8_t {
    kWord,         // part of a word (as `mapped`)
    kPunctuation,  // a word of its own (as `mapped`)
    kSpace,        // separates words, removed
    kDropped,      // removed by the normalizer without separating words
    kGeneral,      // anything else (all non-ASCII bytes): its chunk takes the general route
  };

  // nullptr unless the tokenizer.json stages are BertNormalizer + BertPreTokenizer + WordPiece
  // and no added token is matched on normalized text.
  static std::unique_ptr<AsciiWords> make(const Json& doc, const Normalizer& normalizer,
                                          const AddedVocabulary& added);

  Kind kind(char byte) const {
    const auto b = static_cast<unsigned char>(byte);
    return b < 0x80 ? kinds_[b] : Kind::kGeneral;
  }
  char mapped(char byte) const { return mapped_[static_cast<unsigned char>(byte)]; }

 private:
  std::array<Kind, 128> kinds_{};
  std::array<char, 128> mapped_{};
};

}  // namespace spanloop::ml::tok
