// TagSet interning and the three parses of a tag.
#include "text/tag_set.h"

#include "text/error.h"
#include "text/utf8.h"

namespace spanloop::text {
namespace {

StrictPrefix strict_prefix_of(char32_t c) {
  switch (c) {
    case 'I':
      return StrictPrefix::kI;
    case 'O':
      return StrictPrefix::kO;
    case 'B':
      return StrictPrefix::kB;
    case 'E':
      return StrictPrefix::kE;
    case 'S':
      return StrictPrefix::kS;
    case 'U':
      return StrictPrefix::kU;
    case 'L':
      return StrictPrefix::kL;
    default:
      return StrictPrefix::kUnknown;
  }
}

std::string_view strip_dashes(std::string_view s) {
  while (!s.empty() && s.front() == '-') s.remove_prefix(1);
  while (!s.empty() && s.back() == '-') s.remove_suffix(1);
  return s;
}

}  // namespace

TagSet::TagSet() {
  intern_type("");
  intern_type("_");
  outside_ = intern("O");
}

TagSet TagSet::from_label_map(const LabelMap& map) {
  TagSet set;
  for (const std::string& tag : map.tags()) set.intern(tag);  // "O" is id 0 in both
  return set;
}

TypeId TagSet::intern_type(std::string_view type) {
  auto it = type_index_.find(type);
  if (it != type_index_.end()) return it->second;
  const auto id = static_cast<TypeId>(types_.size());
  types_.emplace_back(type);
  type_index_.emplace(std::string(type), id);
  return id;
}

std::optional<TypeId> TagSet::find_type(std::string_view type) const {
  auto it = type_index_.find(type);
  if (it == type_index_.end()) return std::nullopt;
  return it->second;
}

std::optional<TagId> TagSet::find(std::string_view tag) const {
  auto it = tag_index_.find(tag);
  if (it == tag_index_.end()) return std::nullopt;
  return it->second;
}

TagId TagSet::intern(std::string_view tag) {
  if (auto it = tag_index_.find(tag); it != tag_index_.end()) return it->second;
  if (tag.empty()) throw_invalid("empty tag");
  validate_utf8(tag, "tag");
  ParsedTag p;
  // seqeval default mode: chunk[0] and chunk[1:] are code points, not bytes.
  std::size_t pos = 0;
  const char32_t first = next_code_point(tag, pos);
  const std::string_view rest = tag.substr(pos);
  p.default_prefix = first;
  const std::size_t dash = rest.find('-');
  const std::string_view default_type =
      dash == std::string_view::npos ? rest : rest.substr(dash + 1);
  p.default_type = default_type.empty() ? kUnderscoreType : intern_type(default_type);
  // seqeval strict mode.
  p.strict_prefix = strict_prefix_of(first);
  const std::string_view strict_type = strip_dashes(rest);
  p.strict_type = strict_type.empty() ? kUnderscoreType : intern_type(strict_type);
  // conlleval: /^([^-]*)-(.*)$/.
  const std::size_t cdash = tag.find('-');
  const std::string_view chunk = cdash == std::string_view::npos ? tag : tag.substr(0, cdash);
  std::string_view ctype =
      cdash == std::string_view::npos ? std::string_view{} : tag.substr(cdash + 1);
  if (ctype == "0") ctype = {};  // Perl: "0" is false, so conlleval turns it into ""
  p.conll_type = intern_type(ctype);
  p.conll_kind =
      chunk.size() == 1 && std::string_view("BIOE[].").find(chunk[0]) != std::string_view::npos
          ? chunk[0]
          : '\0';
  const auto next_conll = static_cast<std::uint32_t>(conll_tags_.size());
  p.conll_tag = conll_tags_.emplace(std::string(chunk), next_conll).first->second;

  const auto id = static_cast<TagId>(tags_.size());
  tags_.emplace_back(tag);
  parsed_.push_back(p);
  tag_index_.emplace(std::string(tag), id);
  return id;
}

}  // namespace spanloop::text
