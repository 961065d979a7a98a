// Unigram model (SentencePiece): Viterbi over a byte trie of pieces, unknown characters fused
// into one unk piece, optional byte fallback, as tokenizers' Unigram::encode_optimized.
#include <cmath>
#include <limits>
#include <unordered_map>

#include "ml/tokenizer/components.h"
#include "ml/tokenizer/vocab.h"
#include "ml/tokenizer/word_cache.h"
#include "text/error.h"
#include "text/utf8.h"

namespace spanloop::ml::tok {
namespace {

constexpr double kUnkPenalty = 10.0;

// A byte trie: edges in one hash map keyed by (node, byte); each node may end a piece.
class ByteTrie {
 public:
  ByteTrie() : terminal_(1, -1) {}
  void insert(std::string_view key, std::int32_t id) {
    std::uint32_t node = 0;
    for (const char ch : key) {
      const auto k = edge(node, static_cast<unsigned char>(ch));
      const auto it = edges_.find(k);
      if (it == edges_.end()) {
        const auto created = static_cast<std::uint32_t>(terminal_.size());
        terminal_.push_back(-1);
        edges_.emplace(k, created);
        node = created;
      } else {
        node = it->second;
      }
    }
    terminal_[node] = id;
  }
  // Calls fn(length, id) for every piece that is a prefix of s.
  template <typename Fn>
  void common_prefixes(std::string_view s, Fn&& fn) const {
    std::uint32_t node = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
      const auto it = edges_.find(edge(node, static_cast<unsigned char>(s[i])));
      if (it == edges_.end()) return;
      node = it->second;
      if (terminal_[node] >= 0) fn(i + 1, terminal_[node]);
    }
  }

 private:
  static std::uint64_t edge(std::uint32_t node, unsigned char b) {
    return (static_cast<std::uint64_t>(node) << 8) | b;
  }
  std::unordered_map<std::uint64_t, std::uint32_t> edges_;
  std::vector<std::int32_t> terminal_;
};

class Unigram final : public Model {
 public:
  Unigram(std::vector<std::pair<std::string, double>> pieces, std::optional<std::uint32_t> unk_id,
          bool byte_fallback)
      : pieces_(std::move(pieces)), unk_id_(unk_id), byte_fallback_(byte_fallback) {
    min_score_ = std::numeric_limits<double>::infinity();
    vocab_.reserve(pieces_.size());
    for (std::size_t i = 0; i < pieces_.size(); ++i) {
      vocab_.add(pieces_[i].first, static_cast<std::uint32_t>(i));
      min_score_ = std::min(min_score_, pieces_[i].second);
    }
    for (std::size_t i = 0; i < pieces_.size(); ++i) {
      // The trie keeps the id the vocabulary resolves to, like tokenizers' token_to_ids.
      trie_.insert(pieces_[i].first, static_cast<std::int32_t>(*vocab_.find(pieces_[i].first)));
    }
  }

  void tokenize(std::string_view s, std::vector<Token>& out) const override {
    if (s.empty()) return;
    if (cache_.visit(s, [&](const std::vector<Token>& hit) {
          out.insert(out.end(), hit.begin(), hit.end());
        })) {
      return;
    }
    const auto first = out.size();
    std::uint32_t offset = 0;
    for (auto& piece : viterbi(s)) {
      const auto len = static_cast<std::uint32_t>(piece.size());
      if (const auto id = vocab_.find(piece)) {
        out.push_back(Token{*id, std::move(piece), offset, offset + len});
      } else {
        bool done = false;
        if (byte_fallback_) {
          std::vector<Token> bytes;
          char code[8];
          for (const char b : piece) {
            std::snprintf(code, sizeof code, "<0x%02X>", static_cast<unsigned char>(b));
            const auto id = vocab_.find(code);
            if (!id) break;
            bytes.push_back(Token{*id, code, offset, offset + len});
          }
          if (bytes.size() == piece.size()) {
            for (auto& t : bytes) out.push_back(std::move(t));
            done = true;
          }
        }
        if (!done) {
          if (!unk_id_)
            throw Error(ErrorKind::kInvalidArgument,
                        "Unigram model has no unk_id and cannot encode '" + piece + "'");
          out.push_back(Token{*unk_id_, std::move(piece), offset, offset + len});
        }
      }
      offset += len;
    }
    cache_.insert(s, std::vector<Token>(out.begin() + first, out.end()));
  }

  bool visit_cached(std::string_view s, TokenSink sink, void* ctx) const override {
    return cache_.visit(s, [&](const std::vector<Token>& hit) {
      for (const auto& t : hit) sink(ctx, t);
    });
  }

  std::optional<std::uint32_t> token_to_id(std::string_view token) const override {
    return vocab_.find(token);
  }
  std::optional<std::string> id_to_token(std::uint32_t id) const override {
    if (id >= pieces_.size()) return std::nullopt;
    return pieces_[id].first;
  }
  std::size_t vocab_size() const override { return pieces_.size(); }
  std::string type() const override { return "Unigram"; }

 private:
  std::vector<std::string> viterbi(std::string_view s) const {
    struct Node {
      std::int64_t id = -1;
      double score = 0.0;
      std::int64_t starts_at = -1;
    };
    const std::size_t size = s.size();
    const double unk_score = min_score_ - kUnkPenalty;
    std::vector<Node> best(size + 1);
    for (std::size_t start = 0; start < size;) {
      const double base = best[start].score;
      const auto mblen = text::utf8_sequence_length(static_cast<unsigned char>(s[start]));
      bool has_single = false;
      trie_.common_prefixes(s.substr(start), [&](std::size_t len, std::int32_t id) {
        auto& target = best[start + len];
        const double cand = pieces_[static_cast<std::size_t>(id)].second + base;
        if (target.starts_at < 0 || cand > target.score) {
          target.score = cand;
          target.starts_at = static_cast<std::int64_t>(start);
          target.id = id;
        }
        if (len == mblen) has_single = true;
      });
      if (!has_single) {
        auto& target = best[start + mblen];
        const double cand = unk_score + base;
        if (target.starts_at < 0 || cand > target.score) {
          if (!unk_id_)
            throw Error(ErrorKind::kInvalidArgument,
                        "Unigram model has no unk_id for unknown characters");
          target.score = cand;
          target.starts_at = static_cast<std::int64_t>(start);
          target.id = *unk_id_;
        }
      }
      start += mblen;
    }
    std::vector<std::string> results;
    std::string fused;  // unknown pieces are fused, collected back to front
    std::vector<std::string_view> unk_parts;
    for (std::size_t end = size; end > 0;) {
      const auto& node = best[end];
      const auto start = static_cast<std::size_t>(node.starts_at);
      const auto piece = s.substr(start, end - start);
      if (unk_id_ && node.id == static_cast<std::int64_t>(*unk_id_)) {
        unk_parts.push_back(piece);
      } else {
        flush_unk(unk_parts, results);
        results.emplace_back(piece);
      }
      end = start;
    }
    flush_unk(unk_parts, results);
    std::reverse(results.begin(), results.end());
    return results;
  }

  static void flush_unk(std::vector<std::string_view>& parts, std::vector<std::string>& results) {
    if (parts.empty()) return;
    std::string joined;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) joined.append(*it);
    results.push_back(std::move(joined));
    parts.clear();
  }

  std::vector<std::pair<std::string, double>> pieces_;
  Vocab vocab_;
  ByteTrie trie_;
  std::optional<std::uint32_t> unk_id_;
  bool byte_fallback_;
  double min_score_;
  WordCache<std::vector<Token>> cache_;
};

}  // namespace

std::unique_ptr<Model> make_unigram(const Json& j, const JsonContext& ctx) {
  const auto& list = ctx.field(j, "vocab");
  if (!list.is_array()) ctx.at("vocab").fail("expected an array of [piece, score]");
  std::vector<std::pair<std::string, double>> pieces;
  pieces.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& e = list[i];
    if (!e.is_array() || e.size() != 2 || !e[0].is_string() || !e[1].is_number()) {
      ctx.at("vocab").at(i).fail("expected [piece, score]");
    }
    pieces.emplace_back(e[0].get<std::string>(), e[1].get<double>());
  }
  std::optional<std::uint32_t> unk;
  const auto unk_id = ctx.get_int(j, "unk_id", -1);
  if (unk_id >= 0) {
    if (static_cast<std::size_t>(unk_id) >= pieces.size()) {
      ctx.at("unk_id").fail("unk_id " + std::to_string(unk_id) + " is outside the vocabulary of " +
                            std::to_string(pieces.size()));
    }
    unk = static_cast<std::uint32_t>(unk_id);
  }
  return std::make_unique<Unigram>(std::move(pieces), unk, ctx.get_bool(j, "byte_fallback", false));
}

std::unique_ptr<Model> make_wordpiece(const Json& j, const JsonContext& ctx);
std::unique_ptr<Model> make_bpe(const Json& j, const JsonContext& ctx);

std::unique_ptr<Model> make_model(const Json& j, const JsonContext& ctx) {
  std::string type;
  if (j.is_object() && j.contains("type")) {
    type = ctx.get_string(j, "type");
  } else if (j.is_object() && j.contains("merges")) {
    type = "BPE";  // tokenizers accepts untagged models and guesses from the fields
  } else if (j.is_object() && j.contains("vocab") && j["vocab"].is_array()) {
    type = "Unigram";
  } else {
    type = "WordPiece";
  }
  if (type == "WordPiece") return make_wordpiece(j, ctx);
  if (type == "BPE") return make_bpe(j, ctx);
  if (type == "Unigram") return make_unigram(j, ctx);
  ctx.fail("unsupported model type '" + type + "' (supported: WordPiece, BPE, Unigram)");
}

}  // namespace spanloop::ml::tok
