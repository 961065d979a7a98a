// TagSet: interned tag strings, each parsed once the way every decoder (seqeval default and
// strict mode, conlleval) reads it, so decoding is a loop over integers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "text/label_map.h"
#include "text/string_map.h"

namespace spanloop::text {

using TagId = std::uint32_t;
using TypeId = std::uint32_t;

// seqeval's prefix letters (scheme.Prefix); kUnknown for any other first character.
enum class StrictPrefix : std::uint8_t { kI, kO, kB, kE, kS, kU, kL, kUnknown };
inline constexpr std::size_t kStrictPrefixCount = 8;

struct ParsedTag {
  // seqeval default mode (get_entities): tag = first character, type = the rest after its
  // first '-' (or the whole rest when it has none), "_" when empty.
  char32_t default_prefix = 'O';
  TypeId default_type = 0;
  // seqeval strict mode (scheme.Token): prefix = first character, type = the rest with '-'
  // stripped from both ends, "_" when empty.
  StrictPrefix strict_prefix = StrictPrefix::kO;
  TypeId strict_type = 0;
  // conlleval: chunk tag = text before the first '-' (the whole tag when there is none),
  // type = text after it, "" when absent (and, as in Perl, when it is "0").
  char conll_kind = 0;          // the chunk tag when it is one of B I O E [ ] . ; 0 otherwise
  std::uint32_t conll_tag = 0;  // interned chunk tag, for tag equality
  TypeId conll_type = 0;
};

class TagSet {
 public:
  static constexpr TypeId kEmptyType = 0;       // ""
  static constexpr TypeId kUnderscoreType = 1;  // "_"

  TagSet();
  // The tags of a label map, with TagId == label map id.
  static TagSet from_label_map(const LabelMap& map);

  // Adds a tag (or finds it). Throws InvalidArgument for an empty tag or invalid UTF-8.
  TagId intern(std::string_view tag);
  std::optional<TagId> find(std::string_view tag) const;

  std::size_t size() const { return tags_.size(); }
  const std::string& tag(TagId id) const { return tags_[id]; }
  const ParsedTag& parsed(TagId id) const { return parsed_[id]; }
  const std::string& type_name(TypeId id) const { return types_[id]; }
  std::optional<TypeId> find_type(std::string_view type) const;
  std::size_t type_count() const { return types_.size(); }
  // Id of the "O" tag, interned on construction.
  TagId outside() const { return outside_; }

 private:
  TypeId intern_type(std::string_view type);

  std::vector<std::string> tags_;
  std::vector<ParsedTag> parsed_;
  StringMap<TagId> tag_index_;
  std::vector<std::string> types_;
  StringMap<TypeId> type_index_;
  StringMap<std::uint32_t> conll_tags_;
  TagId outside_ = 0;
};

}  // namespace spanloop::text
