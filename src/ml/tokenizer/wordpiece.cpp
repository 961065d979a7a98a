// WordPiece model: greedy longest-match-first with a continuing-subword prefix (BERT).
#include "ml/tokenizer/components.h"
#include "ml/tokenizer/vocab.h"
#include "text/error.h"
#include "text/utf8.h"

namespace spanloop::ml::tok {
namespace {

class WordPiece final : public Model {
 public:
  WordPiece(Vocab vocab, std::string unk, std::string prefix, std::size_t max_chars)
      : vocab_(std::move(vocab)),
        unk_(std::move(unk)),
        prefix_(std::move(prefix)),
        max_chars_(max_chars) {
    for (std::uint32_t id = 0; id < vocab_.id_count(); ++id) {
      max_token_bytes_ = std::max(max_token_bytes_, vocab_.token(id)->size());
    }
  }

  void tokenize(std::string_view word, std::vector<Token>& out) const override {
    const auto n = static_cast<std::uint32_t>(word.size());
    if (text::count_code_points(word) > max_chars_) {
      push_unk(word, out);
      return;
    }
    const auto first_out = out.size();
    std::string continued;  // prefix + the rest of the word: candidates are prefixes of it
    std::uint32_t start = 0;
    while (start < n) {
      // No vocabulary entry is longer than max_token_bytes_: skip candidates that cannot match.
      std::uint32_t end =
          static_cast<std::uint32_t>(std::min<std::size_t>(n, start + max_token_bytes_));
      while (end < n && (static_cast<unsigned char>(word[end]) & 0xC0) == 0x80) ++end;
      if (start > 0) {
        continued.assign(prefix_);
        continued.append(word.substr(start, end - start));
      }
      bool found = false;
      while (start < end) {
        const std::string_view candidate =
            start > 0 ? std::string_view(continued).substr(0, prefix_.size() + end - start)
                      : word.substr(0, end);
        if (const auto id = vocab_.find(candidate)) {
          out.push_back(Token{*id, std::string(candidate), start, end});
          found = true;
          break;
        }
        // Step back one character.
        --end;
        while (end > start && (static_cast<unsigned char>(word[end]) & 0xC0) == 0x80) --end;
      }
      if (!found) {
        out.resize(first_out);
        push_unk(word, out);
        return;
      }
      start = end;
    }
  }

  std::optional<std::uint32_t> token_to_id(std::string_view token) const override {
    return vocab_.find(token);
  }
  std::optional<std::string> id_to_token(std::uint32_t id) const override {
    const auto* t = vocab_.token(id);
    if (!t) return std::nullopt;
    return *t;
  }
  std::size_t vocab_size() const override { return vocab_.size(); }
  std::string type() const override { return "WordPiece"; }
  std::optional<std::string> continuing_subword_prefix() const override { return prefix_; }

 private:
  void push_unk(std::string_view word, std::vector<Token>& out) const {
    const auto id = vocab_.find(unk_);
    if (!id) {
      throw Error(ErrorKind::kInvalidArgument, "WordPiece unk_token '" + unk_ +
                                                   "' is not in the vocabulary, cannot encode '" +
                                                   std::string(word) + "'");
    }
    out.push_back(Token{*id, unk_, 0, static_cast<std::uint32_t>(word.size())});
  }

  Vocab vocab_;
  std::string unk_, prefix_;
  std::size_t max_chars_;
  std::size_t max_token_bytes_ = 0;
};

}  // namespace

Vocab parse_vocab_object(const Json& j, const JsonContext& ctx) {
  if (!j.is_object()) ctx.fail("expected an object of token -> id, found " + ctx.type_of(j));
  Vocab v;
  v.reserve(j.size());
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!it.value().is_number_integer() && !it.value().is_number_unsigned()) {
      ctx.fail("id of token '" + it.key() + "' is not an integer");
    }
    const auto id = it.value().get<std::int64_t>();
    if (id < 0 || id > 0x7FFFFFFF)
      ctx.fail("id " + std::to_string(id) + " of token '" + it.key() + "' is out of range");
    v.add(it.key(), static_cast<std::uint32_t>(id));
  }
  return v;
}

std::unique_ptr<Model> make_wordpiece(const Json& j, const JsonContext& ctx) {
  auto vocab = parse_vocab_object(ctx.field(j, "vocab"), ctx.at("vocab"));
  return std::make_unique<WordPiece>(
      std::move(vocab), ctx.get_optional_string(j, "unk_token").value_or("[UNK]"),
      ctx.get_optional_string(j, "continuing_subword_prefix").value_or("##"),
      static_cast<std::size_t>(ctx.get_int(j, "max_input_chars_per_word", 100)));
}

}  // namespace spanloop::ml::tok
