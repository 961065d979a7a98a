// The shortcuts of Tokenizer::Impl::encode_raw (docs/tokenizer.md "Speed"): BERT-style ASCII
// words, SentencePiece-style (Metaspace) pieces and byte-level BPE pieces without
// NormalizedString; same output as the general route.
#include <cstring>

#include "ml/tokenizer/tokenizer_impl.h"
#include "ml/tokenizer/unicode_props.h"
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

void Tokenizer::Impl::append_metaspace_words(std::string_view text,
                                             std::optional<std::int32_t> word_index,
                                             EncodingBuilder& out) const {
  const auto& m = *metaspace_words;
  // The text after the charsmap and where each of its bytes came from: the text itself when
  // the charsmap keeps every byte (no copy, no alignment vector), else the charsmap's output.
  std::string_view norm = text;
  const tok::Span* align = nullptr;
  tok::NormalizedString normalized;
  if (!m.charsmap_keeps(text)) {
    normalized = tok::NormalizedString(text, 0);
    m.charsmap().normalize(normalized);
    norm = normalized.get();
    align = normalized.alignments().data();
  }
  auto span_of = [&](std::size_t i) {
    return align ? align[i]
                 : tok::Span{static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + 1)};
  };
  // Strip(right): trailing whitespace goes first, before spaces become replacements.
  std::size_t end = norm.size();
  while (m.strip_right() && end > 0) {
    std::size_t start = end - 1;
    while (start > 0 && (static_cast<unsigned char>(norm[start]) & 0xC0) == 0x80) --start;
    std::size_t p = start;
    if (!tok::is_rust_whitespace(text::next_code_point(norm, p))) break;
    end = start;
  }
  // Every piece is an optional replacement character (from a space, a run of spaces, the text
  // itself or the prepended one) followed by a run of normalized text without spaces or
  // replacements, so its bytes map back without a per-byte table.
  const std::string& rep = m.replacement();
  const auto rep_len = static_cast<std::uint32_t>(rep.size());
  std::string piece;
  std::vector<tok::Token> tokens;
  std::int32_t next_word = 0;
  auto emit = [&](std::optional<tok::Span> rep_span, std::size_t body, std::size_t body_end) {
    const std::uint32_t head = rep_span ? rep_len : 0;
    if (head == 0 && body == body_end) return;
    piece.clear();
    if (rep_span) piece = rep;
    piece.append(norm.data() + body, body_end - body);
    // Piece byte k: the replacement's span below `head`, else normalized byte body + k - head.
    auto first = [&](std::uint32_t k) {
      return k < head ? rep_span->first : span_of(body + k - head).first;
    };
    auto last = [&](std::uint32_t k) {
      return k < head ? rep_span->second : span_of(body + k - head).second;
    };
    const std::int32_t word = word_index.value_or(next_word);
    auto add = [&](const tok::Token& t) {
      out.add(t.id, std::string_view(t.value), first(t.begin), last(t.end - 1), word);
    };
    // Cached words (most of them) go straight from the cache into the encoding.
    const bool cached = model->visit_cached(
        piece, [](void* ctx, const tok::Token& t) { (*static_cast<decltype(add)*>(ctx))(t); },
        &add);
    if (!cached) {
      tokens.clear();
      model->tokenize(piece, tokens);
      for (const auto& t : tokens) add(t);
    }
    ++next_word;
  };
  auto is_rep_at = [&](std::size_t pos) {
    return static_cast<unsigned char>(norm[pos]) >= 0x80 && norm.compare(pos, rep_len, rep) == 0;
  };
  // Metaspace prepends a replacement (aligned to the first character) unless the text starts
  // with one or with a space that becomes one.
  std::optional<tok::Span> pending;
  if (m.prepend() && end > 0 && norm[0] != ' ' && !is_rep_at(0)) pending = span_of(0);
  std::size_t pos = 0;
  while (pos < end) {
    // The body runs to the next space or replacement character.
    std::size_t stop = pos;
    if (align) {
      while (stop < end && norm[stop] != ' ' && !is_rep_at(stop)) ++stop;
    } else {  // kept text is ASCII: only spaces end a body
      const void* hit = std::memchr(norm.data() + pos, ' ', end - pos);
      stop = hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - norm.data()) : end;
    }
    emit(pending, pos, stop);
    pending.reset();
    pos = stop;
    if (pos >= end) break;
    if (norm[pos] == ' ') {
      std::size_t run = pos;
      while (run < end && norm[run] == ' ') ++run;
      if (m.collapse_spaces() && run - pos >= 2) {
        pending = span_of(run - 1);  // Replace aligns its content to the last space
      } else {
        for (; pos + 1 < run; ++pos) emit(span_of(pos), pos, pos);  // lone replacements
        pending = span_of(run - 1);
      }
      pos = run;
    } else {
      pending = span_of(pos);
      pos += rep_len;
    }
  }
  if (pending) emit(pending, end, end);
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
