// The shortcuts of Tokenizer::Impl::encode_raw (docs/tokenizer.md "Speed"): BERT-style ASCII
// words and byte-level BPE pieces without NormalizedString; same output as the general route.
#include "ml/tokenizer/tokenizer_impl.h"
#include "text/utf8.h"

namespace spanloop::ml {

bool Tokenizer::Impl::added_token_in(std::string_view text) const {
  for (const auto& t : added.tokens()) {
    if (!t.content.empty() && text.find(t.content) != std::string_view::npos) return true;
  }
  return false;
}

void Tokenizer::Impl::append_ascii_words(std::string_view text, const Pipeline& p,
                                         std::optional<std::int32_t> word_index,
                                         EncodingBuilder& out) const {
  using Kind = tok::AsciiWords::Kind;
  const auto& table = *ascii_words;
  std::int32_t next_word = 0;
  std::string word;                 // normalized bytes of the current word
  std::vector<std::uint32_t> from;  // the text byte each of them came from
  std::vector<tok::Token> tokens;
  auto end_word = [&] {
    if (word.empty()) return;
    tokens.clear();
    model->tokenize(word, tokens);
    for (auto& t : tokens) {
      out.add(t.id, std::move(t.value), from[t.begin], from[t.end - 1] + 1,
              word_index.value_or(next_word));
    }
    ++next_word;
    word.clear();
    from.clear();
  };
  for (std::size_t pos = 0; pos < text.size();) {
    if (table.kind(text[pos]) == Kind::kSpace) {
      ++pos;
      continue;
    }
    // A chunk runs to the next space; spaces always end pieces, so chunks are independent.
    std::size_t end = pos;
    bool ascii = true;
    for (; end < text.size() && table.kind(text[end]) != Kind::kSpace; ++end) {
      ascii = ascii && table.kind(text[end]) != Kind::kGeneral;
    }
    if (!ascii) {
      next_word += append_general(text.substr(pos, end - pos), pos, p, word_index, next_word, out);
      pos = end;
      continue;
    }
    for (; pos < end; ++pos) {
      switch (table.kind(text[pos])) {
        case Kind::kWord:
          word.push_back(table.mapped(text[pos]));
          from.push_back(static_cast<std::uint32_t>(pos));
          break;
        case Kind::kPunctuation:
          end_word();
          word.push_back(table.mapped(text[pos]));
          from.push_back(static_cast<std::uint32_t>(pos));
          end_word();
          break;
        default:  // kDropped (kSpace and kGeneral cannot occur inside an ASCII chunk)
          break;
      }
    }
    end_word();
  }
}

void Tokenizer::Impl::append_byte_level(std::string_view text,
                                        std::optional<std::int32_t> word_index,
                                        EncodingBuilder& out) const {
  std::string mapped;                                         // the piece in byte-level characters
  std::vector<std::pair<std::uint32_t, std::uint32_t>> from;  // per mapped byte: its character
  std::vector<tok::Token> tokens;
  std::int32_t next_word = 0;
  for (const auto& m : tok::gpt2_split(text)) {
    if (m.begin == m.end) continue;
    mapped.clear();
    from.clear();
    for (std::size_t pos = m.begin; pos < m.end;) {
      const auto len = text::utf8_sequence_length(static_cast<unsigned char>(text[pos]));
      // Every byte of a character becomes one character that aligns to the whole original
      // character, as ByteLevel's transform does.
      const std::pair<std::uint32_t, std::uint32_t> whole(pos, pos + len);
      for (std::size_t i = 0; i < len; ++i) {
        text::append_utf8(mapped, tok::byte_to_char(static_cast<std::uint8_t>(text[pos + i])));
        from.resize(mapped.size(), whole);
      }
      pos += len;
    }
    tokens.clear();
    model->tokenize(mapped, tokens);
    for (auto& t : tokens) {
      out.add(t.id, std::move(t.value), from[t.begin].first, from[t.end - 1].second,
              word_index.value_or(next_word));
    }
    ++next_word;
  }
}

}  // namespace spanloop::ml
