// The SentencePiece-style stages (Precompiled charsmap normalizer, optionally followed by
// Strip(right) and Replace(" {2,}" -> the replacement), then a splitting Metaspace
// pre-tokenizer), recognised so that encoding can skip NormalizedString copies, splits and, for
// ASCII text whose every byte the charsmap keeps, the charsmap itself. The output equals the
// general pipeline's; tests compare the two routes (docs/tokenizer.md "Speed").
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "ml/tokenizer/added_vocabulary.h"
#include "ml/tokenizer/components.h"

namespace spanloop::ml::tok {

class MetaspaceWords {
 public:
  // nullptr unless tokenizer.json has exactly these stages (any model) and no added token is
  // matched on normalized text.
  static std::unique_ptr<MetaspaceWords> make(const Json& doc, const AddedVocabulary& added);

  // Whether the charsmap leaves `text` unchanged, byte for byte and in alignment (ASCII text
  // of bytes it keeps; CR is excluded because CR LF is one grapheme with its own lookup).
  bool charsmap_keeps(std::string_view text) const {
    for (const char ch : text) {
      const auto b = static_cast<unsigned char>(ch);
      if (b >= 0x80 || !kept_[b]) return false;
    }
    return true;
  }
  const Normalizer& charsmap() const { return *charsmap_; }
  const std::string& replacement() const { return replacement_; }
  bool strip_right() const { return strip_right_; }
  bool collapse_spaces() const { return collapse_spaces_; }  // " {2,}" -> one replacement
  bool prepend() const { return prepend_; }                  // prepend_scheme always/first

 private:
  std::unique_ptr<Normalizer> charsmap_;  // the Precompiled normalizer alone
  std::array<bool, 128> kept_{};
  std::string replacement_;
  bool strip_right_ = false;
  bool collapse_spaces_ = false;
  bool prepend_ = true;
};

}  // namespace spanloop::ml::tok
