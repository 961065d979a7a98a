// AddedVocabulary: matching added tokens in raw and normalized text.
#include "ml/tokenizer/added_vocabulary.h"

#include "ml/tokenizer/unicode_props.h"
#include "text/utf8.h"

namespace spanloop::ml::tok {
namespace {

char32_t last_char(std::string_view s) {
  std::size_t b = s.size() - 1;
  while (b > 0 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) --b;
  std::size_t pos = b;
  return text::next_code_point(s, pos);
}

}  // namespace

AddedVocabulary::AddedVocabulary(std::vector<AddedToken> tokens, const Normalizer* normalizer)
    : tokens_(std::move(tokens)) {
  // tokenizers registers special tokens first, then the others, each in file order.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < tokens_.size(); ++i)
    if (tokens_[i].special) order.push_back(i);
  for (std::size_t i = 0; i < tokens_.size(); ++i)
    if (!tokens_[i].special) order.push_back(i);
  for (const auto i : order) {
    const auto& t = tokens_[i];
    if (t.content.empty()) continue;
    Matcher& m = t.normalized ? normalized_ : raw_;
    std::string pattern = t.content;
    if (t.normalized && normalizer) {
      NormalizedString ns(pattern, 0);
      normalizer->normalize(ns);
      pattern = ns.get();
    }
    if (pattern.empty()) continue;
    m.first_byte[static_cast<unsigned char>(pattern[0])] = true;
    m.patterns.push_back(std::move(pattern));
    m.token_index.push_back(i);
  }
}

const AddedToken* AddedVocabulary::find_id(std::uint32_t id) const {
  for (const auto& t : tokens_)
    if (t.id == id) return &t;
  return nullptr;
}

const AddedToken* AddedVocabulary::find_content(std::string_view content) const {
  for (const auto& t : tokens_)
    if (t.content == content) return &t;
  return nullptr;
}

void AddedVocabulary::split_with(std::vector<Split>& splits, const Matcher& m,
                                 const Normalizer* normalizer) const {
  std::vector<Split> out;
  out.reserve(splits.size());
  for (auto& split : splits) {
    if (split.tokens) {
      out.push_back(std::move(split));
      continue;
    }
    auto& ns = split.normalized;
    if (normalizer) normalizer->normalize(ns);
    const std::string& s = ns.get();
    std::uint32_t start_offset = 0;
    std::vector<std::pair<std::pair<std::uint32_t, std::uint32_t>, std::optional<std::size_t>>>
        pieces;
    for (std::size_t pos = 0; !m.patterns.empty() && pos < s.size();) {
      if (!m.first_byte[static_cast<unsigned char>(s[pos])]) {
        ++pos;
        continue;
      }
      // Leftmost-longest among the patterns starting here.
      std::size_t best = m.patterns.size(), best_len = 0;
      for (std::size_t k = 0; k < m.patterns.size(); ++k) {
        const auto& p = m.patterns[k];
        if (p.size() > best_len && s.compare(pos, p.size(), p) == 0) {
          best = k;
          best_len = p.size();
        }
      }
      if (best == m.patterns.size()) {
        ++pos;
        continue;
      }
      auto start = static_cast<std::uint32_t>(pos);
      auto stop = static_cast<std::uint32_t>(pos + best_len);
      pos += best_len;
      const auto& tok = tokens_[m.token_index[best]];
      if (tok.single_word) {
        const bool start_space =
            start == 0 || !is_word_char(last_char(std::string_view(s).substr(0, start)));
        bool stop_space = stop == s.size();
        if (!stop_space) {
          std::size_t p = stop;
          stop_space = !is_word_char(text::next_code_point(s, p));
        }
        if (!start_space || !stop_space) continue;
      }
      if (tok.lstrip) {
        std::uint32_t new_start = start;
        while (new_start > 0) {
          const auto c = last_char(std::string_view(s).substr(0, new_start));
          if (!is_rust_whitespace(c)) break;
          std::string tmp;
          text::append_utf8(tmp, c);
          new_start -= static_cast<std::uint32_t>(tmp.size());
        }
        start = std::max(new_start, start_offset);
      }
      if (tok.rstrip) {
        std::size_t p = stop;
        while (p < s.size()) {
          std::size_t q = p;
          if (!is_rust_whitespace(text::next_code_point(s, q))) break;
          p = q;
        }
        stop = static_cast<std::uint32_t>(p);
        pos = std::max<std::size_t>(pos, stop);
      }
      if (start_offset < start) pieces.push_back({{start_offset, start}, std::nullopt});
      pieces.push_back({{start, stop}, m.token_index[best]});
      start_offset = stop;
    }
    if (pieces.empty()) {
      if (!ns.empty()) out.push_back(std::move(split));
      continue;
    }
    if (start_offset != s.size())
      pieces.push_back({{start_offset, static_cast<std::uint32_t>(s.size())}, std::nullopt});
    for (const auto& [range, index] : pieces) {
      Split piece{ns.slice(range.first, range.second), std::nullopt};
      if (piece.normalized.empty()) continue;
      if (index) {
        const auto len = static_cast<std::uint32_t>(piece.normalized.get().size());
        piece.tokens =
            std::vector<Token>{Token{tokens_[*index].id, piece.normalized.get(), 0, len}};
      }
      out.push_back(std::move(piece));
    }
  }
  splits = std::move(out);
}

std::vector<Split> AddedVocabulary::extract_and_normalize(std::string_view text,
                                                          const Normalizer* normalizer) const {
  std::vector<Split> splits;
  splits.push_back(Split{NormalizedString(text, 0), std::nullopt});
  split_with(splits, raw_, nullptr);
  split_with(splits, normalized_, normalizer);
  return splits;
}

}  // namespace spanloop::ml::tok
