// BPE model (GPT-2/RoBERTa byte-level and classic): merges by rank, unk/fuse_unk/byte_fallback,
// continuing_subword_prefix/end_of_word_suffix, ignore_merges, and a bounded word cache.
#include <queue>
#include <unordered_map>

#include "ml/tokenizer/components.h"
#include "ml/tokenizer/vocab.h"
#include "ml/tokenizer/word_cache.h"
#include "text/error.h"
#include "text/utf8.h"

namespace spanloop::ml::tok {

Vocab parse_vocab_object(const Json& j, const JsonContext& ctx);

namespace {

struct PairHash {
  std::size_t operator()(std::uint64_t v) const noexcept {
    return std::hash<std::uint64_t>{}(v * 0x9E3779B97F4A7C15ull);
  }
};

std::uint64_t pair_key(std::uint32_t a, std::uint32_t b) {
  return (static_cast<std::uint64_t>(a) << 32) | b;
}

// One merged symbol: id and byte length; the word is the list of symbols.
struct Piece {
  std::uint32_t id, len;
};

class Bpe final : public Model {
 public:
  struct Config {
    std::optional<std::string> unk, prefix, suffix;
    bool fuse_unk = false, byte_fallback = false, ignore_merges = false;
  };

  Bpe(Vocab vocab,
      std::unordered_map<std::uint64_t, std::pair<std::uint32_t, std::uint32_t>, PairHash> merges,
      Config config)
      : vocab_(std::move(vocab)), merges_(std::move(merges)), config_(std::move(config)) {}

  void tokenize(std::string_view word, std::vector<Token>& out) const override {
    if (word.empty()) return;
    if (config_.ignore_merges) {
      if (const auto id = vocab_.find(word)) {
        out.push_back(Token{*id, std::string(word), 0, static_cast<std::uint32_t>(word.size())});
        return;
      }
    }
    std::vector<Piece> pieces;
    if (auto hit = cache_.find(word)) {
      pieces = std::move(*hit);
    } else {
      pieces = merge_word(word);
      cache_.insert(word, pieces);
    }
    std::uint32_t offset = 0;
    for (const auto& p : pieces) {
      out.push_back(Token{p.id, *vocab_.token(p.id), offset, offset + p.len});
      offset += p.len;
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
  std::string type() const override { return "BPE"; }
  std::optional<std::string> continuing_subword_prefix() const override { return config_.prefix; }

 private:
  std::uint32_t unk_id() const {
    const auto id = vocab_.find(*config_.unk);
    if (!id)
      throw Error(ErrorKind::kInvalidArgument,
                  "BPE unk_token '" + *config_.unk + "' is not in the vocabulary");
    return *id;
  }

  std::vector<Piece> merge_word(std::string_view w) const {
    std::vector<Piece> word;
    word.reserve(w.size());
    std::optional<Piece> unk;
    std::string s;
    for (std::size_t i = 0; i < w.size();) {
      const auto len =
          static_cast<std::uint32_t>(text::utf8_sequence_length(static_cast<unsigned char>(w[i])));
      const bool is_first = i == 0;
      const bool is_last = i + len >= w.size();
      s.clear();
      if (config_.prefix && !is_first) s += *config_.prefix;
      s.append(w.substr(i, len));
      if (config_.suffix && is_last) s += *config_.suffix;
      i += len;
      if (const auto id = vocab_.find(s)) {
        if (unk) {
          word.push_back(*unk);
          unk.reset();
        }
        word.push_back(Piece{*id, len});
        continue;
      }
      if (config_.byte_fallback) {
        std::vector<std::uint32_t> ids;
        char code[8];
        for (const char b : s) {
          std::snprintf(code, sizeof code, "<0x%02X>", static_cast<unsigned char>(b));
          const auto id = vocab_.find(code);
          if (!id) break;
          ids.push_back(*id);
        }
        if (ids.size() == s.size()) {
          for (const auto id : ids) word.push_back(Piece{id, 1});
          continue;
        }
      }
      if (config_.unk) {
        if (unk && config_.fuse_unk) {
          unk->len += len;
        } else {
          if (unk) word.push_back(*unk);
          unk = Piece{unk_id(), len};
        }
      }
    }
    if (unk) word.push_back(*unk);
    merge_all(word);
    return word;
  }

  // Repeatedly applies the lowest-ranked merge (leftmost on ties), as tokenizers' Word does.
  void merge_all(std::vector<Piece>& word) const {
    const std::size_t n = word.size();
    if (n < 2) return;
    std::vector<int> prev(n), next(n);
    for (std::size_t i = 0; i < n; ++i) {
      prev[i] = static_cast<int>(i) - 1;
      next[i] = i + 1 < n ? static_cast<int>(i + 1) : -1;
    }
    struct Candidate {
      std::uint32_t rank, pos, new_id;
      bool operator>(const Candidate& o) const {
        return rank != o.rank ? rank > o.rank : pos > o.pos;
      }
    };
    std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> queue;
    auto push = [&](std::size_t a, std::size_t b) {
      const auto it = merges_.find(pair_key(word[a].id, word[b].id));
      if (it != merges_.end())
        queue.push({it->second.first, static_cast<std::uint32_t>(a), it->second.second});
    };
    for (std::size_t i = 0; i + 1 < n; ++i) push(i, i + 1);
    while (!queue.empty()) {
      const auto top = queue.top();
      queue.pop();
      auto& left = word[top.pos];
      if (left.len == 0 || next[top.pos] < 0) continue;
      const auto right_pos = static_cast<std::size_t>(next[top.pos]);
      const auto it = merges_.find(pair_key(left.id, word[right_pos].id));
      if (it == merges_.end() || it->second.second != top.new_id) continue;  // stale entry
      left.id = top.new_id;
      left.len += word[right_pos].len;
      word[right_pos].len = 0;
      next[top.pos] = next[right_pos];
      if (next[right_pos] >= 0)
        prev[static_cast<std::size_t>(next[right_pos])] = static_cast<int>(top.pos);
      if (prev[top.pos] >= 0) push(static_cast<std::size_t>(prev[top.pos]), top.pos);
      if (next[top.pos] >= 0) push(top.pos, static_cast<std::size_t>(next[top.pos]));
    }
    std::size_t k = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (word[i].len != 0) word[k++] = word[i];
    word.resize(k);
  }

  Vocab vocab_;
  std::unordered_map<std::uint64_t, std::pair<std::uint32_t, std::uint32_t>, PairHash> merges_;
  Config config_;
  WordCache<std::vector<Piece>> cache_;
};

}  // namespace

std::unique_ptr<Model> make_bpe(const Json& j, const JsonContext& ctx) {
  if (j.contains("dropout") && !j["dropout"].is_null() && j["dropout"].is_number() &&
      j["dropout"].get<double>() > 0.0) {
    ctx.at("dropout").fail(
        "BPE dropout is a training-time feature and is not supported for inference");
  }
  auto vocab = parse_vocab_object(ctx.field(j, "vocab"), ctx.at("vocab"));
  Bpe::Config config;
  config.unk = ctx.get_optional_string(j, "unk_token");
  config.prefix = ctx.get_optional_string(j, "continuing_subword_prefix");
  config.suffix = ctx.get_optional_string(j, "end_of_word_suffix");
  config.fuse_unk = ctx.get_bool(j, "fuse_unk", false);
  config.byte_fallback = ctx.get_bool(j, "byte_fallback", false);
  config.ignore_merges = ctx.get_bool(j, "ignore_merges", false);
  const auto& list = ctx.field(j, "merges");
  if (!list.is_array()) ctx.at("merges").fail("expected an array of merges");
  std::unordered_map<std::uint64_t, std::pair<std::uint32_t, std::uint32_t>, PairHash> merges;
  merges.reserve(list.size());
  const std::size_t prefix_len = config.prefix ? config.prefix->size() : 0;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& m = list[i];
    std::string a, b;
    if (m.is_string()) {
      const auto s = m.get<std::string>();
      const auto sp = s.find(' ');
      if (sp == std::string::npos || s.find(' ', sp + 1) != std::string::npos) {
        ctx.at("merges").at(i).fail("merge '" + s + "' is not two tokens separated by one space");
      }
      a = s.substr(0, sp);
      b = s.substr(sp + 1);
    } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
      a = m[0].get<std::string>();
      b = m[1].get<std::string>();
    } else {
      ctx.at("merges").at(i).fail("expected \"a b\" or [\"a\", \"b\"]");
    }
    const auto ia = vocab.find(a), ib = vocab.find(b);
    const auto merged = a + (b.size() >= prefix_len ? b.substr(prefix_len) : std::string());
    const auto in = vocab.find(merged);
    if (!ia || !ib || !in) {
      ctx.at("merges").at(i).fail("merge '" + a + " " + b +
                                  "' uses a token missing from the vocabulary ('" +
                                  (!ia   ? a
                                   : !ib ? b
                                         : merged) +
                                  "')");
    }
    merges[pair_key(*ia, *ib)] = {static_cast<std::uint32_t>(i), *in};
  }
  return std::make_unique<Bpe>(std::move(vocab), std::move(merges), std::move(config));
}

}  // namespace spanloop::ml::tok
