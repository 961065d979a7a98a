#include "ml/tokenizer/metaspace_words.h"

namespace spanloop::ml::tok {
namespace {

bool is_type(const Json& j, const char* type) {
  return j.is_object() && j.value("type", "") == type;
}

}  // namespace

std::unique_ptr<MetaspaceWords> MetaspaceWords::make(const Json& doc,
                                                     const AddedVocabulary& added) {
  if (!doc.contains("normalizer") || !doc.contains("pre_tokenizer")) return nullptr;
  for (const auto& t : added.tokens()) {
    if (t.normalized) return nullptr;
  }
  // The normalizer: Precompiled, or a Sequence of Precompiled, [Strip right], [Replace].
  const Json& norm = doc["normalizer"];
  std::vector<const Json*> parts;
  if (is_type(norm, "Precompiled")) {
    parts.push_back(&norm);
  } else if (is_type(norm, "Sequence") && norm.contains("normalizers") &&
             norm["normalizers"].is_array()) {
    for (const auto& p : norm["normalizers"]) parts.push_back(&p);
  }
  if (parts.empty() || !is_type(*parts[0], "Precompiled")) return nullptr;
  const Json& pre = doc["pre_tokenizer"];
  if (!is_type(pre, "Metaspace") || !pre.value("split", true)) return nullptr;
  auto out = std::make_unique<MetaspaceWords>();
  out->replacement_ = pre.value("replacement", std::string("\xE2\x96\x81"));
  // A non-ASCII replacement cannot be confused with the text's ASCII bytes.
  if (out->replacement_.empty() || static_cast<unsigned char>(out->replacement_[0]) < 0x80)
    return nullptr;
  if (pre.contains("prepend_scheme")) {
    const auto scheme = pre.value("prepend_scheme", std::string());
    // "first" prepends to the piece at the start of the text, the only piece here.
    if (scheme != "always" && scheme != "first" && scheme != "never") return nullptr;
    out->prepend_ = scheme != "never";
  } else {
    out->prepend_ = pre.value("add_prefix_space", true);
  }
  std::size_t i = 1;
  if (i < parts.size() && is_type(*parts[i], "Strip")) {
    if (parts[i]->value("strip_left", false) || !parts[i]->value("strip_right", false))
      return nullptr;
    out->strip_right_ = true;
    ++i;
  }
  if (i < parts.size() && is_type(*parts[i], "Replace")) {
    const Json& r = *parts[i];
    if (!r.contains("pattern") || !r["pattern"].is_object() ||
        r["pattern"].value("Regex", std::string()) != " {2,}" ||
        r.value("content", std::string()) != out->replacement_) {
      return nullptr;
    }
    out->collapse_spaces_ = true;
    ++i;
  }
  if (i != parts.size()) return nullptr;
  // Ask the charsmap which ASCII bytes it keeps as they are (alone, as each is a grapheme).
  out->charsmap_ = make_normalizer(*parts[0], JsonContext{"normalizer", "Precompiled"});
  for (int b = 0; b < 0x80; ++b) {
    if (b == '\r') continue;
    const std::string one(1, static_cast<char>(b));
    NormalizedString s(one, 0);
    out->charsmap_->normalize(s);
    out->kept_[static_cast<std::size_t>(b)] = s.get() == one;
  }
  return out;
}

}  // namespace spanloop::ml::tok
