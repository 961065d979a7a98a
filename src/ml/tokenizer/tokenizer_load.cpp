// Tokenizer::from_directory: tokenizer.json, or the legacy files converted the way transformers'
// converters do (BertConverter, RobertaConverter, XLMRobertaConverter), plus the special tokens
// and limits named by tokenizer_config.json / special_tokens_map.json.
#include <cstring>
#include <fstream>
#include <sstream>

#include "ml/tokenizer/tokenizer_impl.h"
#include "text/error.h"
#include "text/utf8.h"

namespace spanloop::ml {

using tok::Json;
namespace fs = std::filesystem;

namespace {

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw Error(ErrorKind::kNotFound, "cannot open " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Json read_json(const fs::path& p) {
  const auto text = read_file(p);
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw Error(ErrorKind::kInvalidArgument,
                p.string() + ": not valid JSON (byte " + std::to_string(e.byte) + ")");
  }
}

// A special token entry of tokenizer_config.json: "x" or {"content": "x", ...}.
std::optional<std::string> token_string(const Json& cfg, const char* key) {
  const auto it = cfg.find(key);
  if (it == cfg.end() || it->is_null()) return std::nullopt;
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object() && it->contains("content") && (*it)["content"].is_string())
    return (*it)["content"].get<std::string>();
  return std::nullopt;
}

std::string config_token(const Json& cfg, const char* key, const char* fallback) {
  return token_string(cfg, key).value_or(fallback);
}

Json added_token_json(std::int64_t id, const std::string& content, bool lstrip, bool normalized) {
  return Json{{"id", id},         {"content", content}, {"single_word", false},
              {"lstrip", lstrip}, {"rstrip", false},    {"normalized", normalized},
              {"special", true}};
}

// Added tokens: tokenizer_config's added_tokens_decoder when present, else the given specials.
Json added_tokens(const Json& cfg,
                  const std::vector<std::pair<std::string, std::int64_t>>& specials,
                  const std::string& lstrip_token) {
  Json list = Json::array();
  if (cfg.contains("added_tokens_decoder") && cfg["added_tokens_decoder"].is_object()) {
    std::vector<std::pair<std::int64_t, Json>> entries;
    for (const auto& [key, value] : cfg["added_tokens_decoder"].items()) {
      Json t = value;
      t["id"] = std::stoll(key);
      if (!t.contains("special")) t["special"] = true;
      entries.emplace_back(std::stoll(key), t);
    }
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [id, t] : entries) list.push_back(t);
    return list;
  }
  std::vector<std::pair<std::int64_t, std::string>> sorted;
  for (const auto& [content, id] : specials)
    if (id >= 0) sorted.emplace_back(id, content);
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (const auto& [id, content] : sorted)
    list.push_back(added_token_json(id, content, content == lstrip_token, false));
  return list;
}

Json template_json(const std::string& cls, std::int64_t cls_id, const std::string& sep,
                   std::int64_t sep_id, bool roberta_pair) {
  auto special = [](const std::string& id, int type) {
    return Json{{"SpecialToken", {{"id", id}, {"type_id", type}}}};
  };
  auto seq = [](const char* id, int type) {
    return Json{{"Sequence", {{"id", id}, {"type_id", type}}}};
  };
  Json pair = roberta_pair ? Json::array({special(cls, 0), seq("A", 0), special(sep, 0),
                                          special(sep, 0), seq("B", 0), special(sep, 0)})
                           : Json::array({special(cls, 0), seq("A", 0), special(sep, 0),
                                          seq("B", 1), special(sep, 1)});
  return Json{{"type", "TemplateProcessing"},
              {"single", Json::array({special(cls, 0), seq("A", 0), special(sep, 0)})},
              {"pair", pair},
              {"special_tokens",
               {{cls, {{"id", cls}, {"ids", {cls_id}}, {"tokens", {cls}}}},
                {sep, {{"id", sep}, {"ids", {sep_id}}, {"tokens", {sep}}}}}}};
}

std::int64_t require_id(const Json& vocab, const std::string& token, const fs::path& file) {
  const auto it = vocab.find(token);
  if (it == vocab.end())
    throw Error(ErrorKind::kInvalidArgument,
                file.string() + ": special token '" + token + "' is not in the vocabulary");
  return it->get<std::int64_t>();
}

Json bert_from_vocab(const fs::path& dir, const Json& cfg) {
  const auto file = dir / "vocab.txt";
  const auto text = read_file(file);
  text::validate_utf8(text, file.string());
  Json vocab = Json::object();
  std::int64_t index = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    vocab[text.substr(pos, nl - pos)] = index++;  // the last line of a duplicate wins, as in a dict
    pos = nl + 1;
  }
  const auto unk = config_token(cfg, "unk_token", "[UNK]"),
             sep = config_token(cfg, "sep_token", "[SEP]"),
             pad = config_token(cfg, "pad_token", "[PAD]"),
             cls = config_token(cfg, "cls_token", "[CLS]"),
             mask = config_token(cfg, "mask_token", "[MASK]");
  const bool lower = cfg.value("do_lower_case", true);
  Json strip = cfg.contains("strip_accents") ? cfg["strip_accents"] : Json(nullptr);
  const auto id = [&](const std::string& t) {
    return vocab.contains(t) ? vocab[t].get<std::int64_t>() : -1;
  };
  Json doc = {
      {"version", "1.0"},
      {"truncation", nullptr},
      {"padding", nullptr},
      {"added_tokens",
       added_tokens(
           cfg, {{pad, id(pad)}, {unk, id(unk)}, {cls, id(cls)}, {sep, id(sep)}, {mask, id(mask)}},
           "")},
      {"normalizer",
       {{"type", "BertNormalizer"},
        {"clean_text", true},
        {"handle_chinese_chars", cfg.value("tokenize_chinese_chars", true)},
        {"strip_accents", strip},
        {"lowercase", lower}}},
      {"pre_tokenizer", {{"type", "BertPreTokenizer"}}},
      {"post_processor",
       template_json(cls, require_id(vocab, cls, file), sep, require_id(vocab, sep, file), false)},
      {"decoder", {{"type", "WordPiece"}, {"prefix", "##"}, {"cleanup", true}}},
      {"model",
       {{"type", "WordPiece"},
        {"unk_token", unk},
        {"continuing_subword_prefix", "##"},
        {"max_input_chars_per_word", 100},
        {"vocab", vocab}}}};
  return doc;
}

Json roberta_from_vocab(const fs::path& dir, const Json& cfg) {
  const Json vocab = read_json(dir / "vocab.json");
  if (!vocab.is_object())
    throw Error(ErrorKind::kInvalidArgument,
                (dir / "vocab.json").string() + ": expected an object of token -> id");
  const auto merges_file = dir / "merges.txt";
  const auto text = read_file(merges_file);
  text::validate_utf8(text, merges_file.string());
  std::vector<std::string> lines;
  for (std::size_t pos = 0;;) {
    const auto nl = text.find('\n', pos);
    lines.push_back(text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  Json merges = Json::array();
  // transformers reads split("\n")[1:-1]: the version line and the final piece are dropped.
  for (std::size_t i = 1; i + 1 < lines.size(); ++i) {
    std::istringstream ls(lines[i]);
    std::string a, b, extra;
    if (!(ls >> a >> b) || (ls >> extra)) {
      throw Error(ErrorKind::kInvalidArgument,
                  merges_file.string() + ":" + std::to_string(i + 1) + ": expected two tokens");
    }
    merges.push_back(Json::array({a, b}));
  }
  const auto unk = config_token(cfg, "unk_token", "<unk>"),
             sep = config_token(cfg, "sep_token", "</s>"),
             pad = config_token(cfg, "pad_token", "<pad>"),
             cls = config_token(cfg, "cls_token", "<s>"),
             mask = config_token(cfg, "mask_token", "<mask>"),
             bos = config_token(cfg, "bos_token", "<s>"),
             eos = config_token(cfg, "eos_token", "</s>");
  const bool prefix = cfg.value("add_prefix_space", false);
  const auto id = [&](const std::string& t) {
    return vocab.contains(t) ? vocab[t].get<std::int64_t>() : -1;
  };
  const auto file = dir / "vocab.json";
  Json doc = {
      {"version", "1.0"},
      {"truncation", nullptr},
      {"padding", nullptr},
      {"added_tokens",
       added_tokens(
           cfg, {{bos, id(bos)}, {pad, id(pad)}, {eos, id(eos)}, {unk, id(unk)}, {mask, id(mask)}},
           mask)},
      {"normalizer", nullptr},
      {"pre_tokenizer",
       {{"type", "ByteLevel"},
        {"add_prefix_space", prefix},
        {"trim_offsets", true},
        {"use_regex", true}}},
      {"post_processor",
       {{"type", "RobertaProcessing"},
        {"sep", {sep, require_id(vocab, sep, file)}},
        {"cls", {cls, require_id(vocab, cls, file)}},
        {"trim_offsets", true},
        {"add_prefix_space", prefix}}},
      {"decoder",
       {{"type", "ByteLevel"},
        {"add_prefix_space", true},
        {"trim_offsets", true},
        {"use_regex", true}}},
      {"model",
       {{"type", "BPE"},
        {"dropout", nullptr},
        {"unk_token", nullptr},
        {"continuing_subword_prefix", ""},
        {"end_of_word_suffix", ""},
        {"fuse_unk", false},
        {"byte_fallback", false},
        {"ignore_merges", false},
        {"vocab", vocab},
        {"merges", merges}}}};
  return doc;
}

// What the XLM-R fallback needs from a serialized SentencePiece ModelProto. Read with a minimal
// protobuf wire-format walk instead of libsentencepiece: Debian's libsentencepiece bundles its own
// protobuf-lite, which clashes with libtorch's libprotobuf when both are in one process.
struct SpmModel {
  std::vector<std::pair<std::string, float>> pieces;  // ModelProto.pieces: (piece, score)
  std::string charsmap;  // ModelProto.normalizer_spec.precompiled_charsmap
};

// Calls on_field(field number, wire type, varint value, length-delimited bytes) for each field.
template <typename OnField>
void walk_proto(std::string_view s, const fs::path& file, OnField on_field) {
  auto fail = [&] {
    throw Error(ErrorKind::kInvalidArgument, file.string() + ": corrupt SentencePiece model");
  };
  auto varint = [&](std::size_t& p) {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (p >= s.size()) fail();
      const auto b = static_cast<unsigned char>(s[p++]);
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
    }
    fail();
    return v;
  };
  for (std::size_t p = 0; p < s.size();) {
    const auto key = varint(p);
    const auto field = static_cast<std::uint32_t>(key >> 3);
    const auto wire = key & 7;
    std::uint64_t value = 0;
    std::string_view bytes;
    if (wire == 0) {
      value = varint(p);
    } else if (wire == 1 || wire == 5) {
      const std::size_t width = wire == 1 ? 8 : 4;
      if (p + width > s.size()) fail();
      for (std::size_t i = 0; i < width; ++i)
        value |= static_cast<std::uint64_t>(static_cast<unsigned char>(s[p + i])) << (8 * i);
      p += width;
    } else if (wire == 2) {
      const auto len = varint(p);
      if (len > s.size() - p) fail();
      bytes = s.substr(p, len);
      p += len;
    } else {
      fail();
    }
    on_field(field, wire, value, bytes);
  }
}

SpmModel read_spm_model(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorKind::kNotFound, file.string() + ": cannot open SentencePiece model");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string proto = buffer.str();
  SpmModel model;
  walk_proto(
      proto, file, [&](std::uint32_t field, std::uint64_t, std::uint64_t, std::string_view bytes) {
        if (field == 1) {  // SentencePiece { piece = 1; score = 2 (float) }
          std::string piece;
          float score = 0;
          walk_proto(bytes, file,
                     [&](std::uint32_t f, std::uint64_t wire, std::uint64_t v, std::string_view b) {
                       if (f == 1 && wire == 2) piece = std::string(b);
                       if (f == 2 && wire == 5) {
                         const auto bits = static_cast<std::uint32_t>(v);
                         std::memcpy(&score, &bits, sizeof score);
                       }
                     });
          model.pieces.emplace_back(std::move(piece), score);
        } else if (field == 3) {  // NormalizerSpec { precompiled_charsmap = 2 }
          walk_proto(bytes, file,
                     [&](std::uint32_t f, std::uint64_t wire, std::uint64_t, std::string_view b) {
                       if (f == 2 && wire == 2) model.charsmap = std::string(b);
                     });
        }
      });
  if (model.pieces.size() < 3)
    throw Error(ErrorKind::kInvalidArgument,
                file.string() + ": SentencePiece model has " + std::to_string(model.pieces.size()) +
                    " pieces; expected <unk>, <s>, </s> and a vocabulary");
  return model;
}

// Base64 encoding for the charsmap in tokenizer.json.
std::string base64_encode(std::string_view in) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const auto v = (static_cast<unsigned char>(in[i]) << 16) |
                   (static_cast<unsigned char>(in[i + 1]) << 8) |
                   static_cast<unsigned char>(in[i + 2]);
    out += k[(v >> 18) & 63];
    out += k[(v >> 12) & 63];
    out += k[(v >> 6) & 63];
    out += k[v & 63];
  }
  if (i < in.size()) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += k[(v >> 18) & 63];
    out += k[(v >> 12) & 63];
    out += i + 1 < in.size() ? k[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Json xlmr_from_spm(const fs::path& file, const Json& cfg) {
  const SpmModel sp = read_spm_model(file);
  // fairseq layout: <s> <pad> </s> <unk>, then the SentencePiece pieces from id 3, then <mask>.
  Json vocab = Json::array({Json::array({"<s>", 0.0}), Json::array({"<pad>", 0.0}),
                            Json::array({"</s>", 0.0}), Json::array({"<unk>", 0.0})});
  for (std::size_t i = 3; i < sp.pieces.size(); ++i)
    vocab.push_back(Json::array({sp.pieces[i].first, static_cast<double>(sp.pieces[i].second)}));
  vocab.push_back(Json::array({"<mask>", 0.0}));
  const auto mask_id = static_cast<std::int64_t>(vocab.size() - 1);
  Json norms = Json::array();
  const std::string& charsmap = sp.charsmap;
  if (!charsmap.empty())
    norms.push_back({{"type", "Precompiled"}, {"precompiled_charsmap", base64_encode(charsmap)}});
  norms.push_back({{"type", "Strip"}, {"strip_left", false}, {"strip_right", true}});
  norms.push_back(
      {{"type", "Replace"}, {"pattern", {{"Regex", " {2,}"}}}, {"content", "\xE2\x96\x81"}});
  const std::string bos = config_token(cfg, "bos_token", "<s>"),
                    eos = config_token(cfg, "eos_token", "</s>");
  Json meta = {{"type", "Metaspace"},
               {"replacement", "\xE2\x96\x81"},
               {"prepend_scheme", "always"},
               {"split", true}};
  Json doc = {
      {"version", "1.0"},
      {"truncation", nullptr},
      {"padding", nullptr},
      {"added_tokens",
       added_tokens(cfg, {{"<s>", 0}, {"<pad>", 1}, {"</s>", 2}, {"<unk>", 3}, {"<mask>", mask_id}},
                    "<mask>")},
      {"normalizer", {{"type", "Sequence"}, {"normalizers", norms}}},
      {"pre_tokenizer", meta},
      {"post_processor", template_json(bos, 0, eos, 2, true)},
      {"decoder", meta},
      {"model", {{"type", "Unigram"}, {"unk_id", 3}, {"vocab", vocab}, {"byte_fallback", false}}}};
  return doc;
}

}  // namespace

Tokenizer Tokenizer::from_directory(const fs::path& dir) {
  if (!fs::is_directory(dir))
    throw Error(ErrorKind::kNotFound, "model directory " + dir.string() + " does not exist");
  Json cfg = Json::object();
  if (fs::exists(dir / "tokenizer_config.json")) cfg = read_json(dir / "tokenizer_config.json");
  if (!cfg.is_object())
    throw Error(ErrorKind::kInvalidArgument,
                (dir / "tokenizer_config.json").string() + ": expected an object");
  Json special_map = Json::object();
  if (fs::exists(dir / "special_tokens_map.json"))
    special_map = read_json(dir / "special_tokens_map.json");
  // special_tokens_map.json fills in what tokenizer_config.json does not say.
  if (special_map.is_object()) {
    for (const auto& [key, value] : special_map.items())
      if (!cfg.contains(key)) cfg[key] = value;
  }
  std::shared_ptr<Impl> impl;
  fs::path sp_model;
  if (fs::exists(dir / "tokenizer.json")) {
    const auto path = dir / "tokenizer.json";
    const auto text = read_file(path);
    Json doc;
    try {
      doc = Json::parse(text);
    } catch (const Json::parse_error& e) {
      throw Error(ErrorKind::kInvalidArgument,
                  path.string() + ": not valid JSON (byte " + std::to_string(e.byte) + ")");
    }
    impl = build_impl(std::move(doc), path.string());
  } else if (fs::exists(dir / "vocab.txt")) {
    impl = build_impl(bert_from_vocab(dir, cfg), (dir / "vocab.txt").string());
  } else if (fs::exists(dir / "vocab.json") && fs::exists(dir / "merges.txt")) {
    impl = build_impl(roberta_from_vocab(dir, cfg), (dir / "vocab.json").string());
  } else if (fs::exists(dir / "sentencepiece.bpe.model") || fs::exists(dir / "spiece.model")) {
    sp_model = fs::exists(dir / "sentencepiece.bpe.model") ? dir / "sentencepiece.bpe.model"
                                                           : dir / "spiece.model";
    impl = build_impl(xlmr_from_spm(sp_model, cfg), sp_model.string());
  } else {
    throw Error(ErrorKind::kNotFound,
                "no tokenizer in " + dir.string() +
                    " (looked for tokenizer.json, vocab.txt, vocab.json + merges.txt, "
                    "sentencepiece.bpe.model, spiece.model)");
  }
  // A SentencePiece model next to tokenizer.json is kept so save() writes a complete directory.
  if (sp_model.empty() && fs::exists(dir / "sentencepiece.bpe.model"))
    sp_model = dir / "sentencepiece.bpe.model";
  if (sp_model.empty() && fs::exists(dir / "spiece.model")) sp_model = dir / "spiece.model";
  impl->sp_model = sp_model;
  impl->tokenizer_config = cfg;
  auto set = [&](std::optional<std::string>& slot, const char* key) {
    if (const auto t = token_string(cfg, key)) slot = *t;
  };
  set(impl->specials.pad, "pad_token");
  set(impl->specials.unk, "unk_token");
  set(impl->specials.cls, "cls_token");
  set(impl->specials.sep, "sep_token");
  set(impl->specials.mask, "mask_token");
  set(impl->specials.bos, "bos_token");
  set(impl->specials.eos, "eos_token");
  if (cfg.contains("model_max_length") && cfg["model_max_length"].is_number()) {
    const double m = cfg["model_max_length"].get<double>();
    if (m > 0 && m < 1e9) impl->model_max_length = static_cast<std::size_t>(m);
  }
  return Tokenizer(std::move(impl));
}

}  // namespace spanloop::ml
