// Tokenizer: builds the pipeline from tokenizer.json and runs it (tokenizers' encode order:
// added tokens, normalizer, pre-tokenizer, model, truncation, post-processor, padding).
#include "ml/tokenizer/tokenizer.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

#include "ml/tokenizer/tokenizer_impl.h"
#include "text/error.h"
#include "text/utf8.h"

namespace spanloop::ml {

using tok::Json;
using tok::JsonContext;

namespace {

tok::Direction parse_direction(const Json& j, const JsonContext& ctx) {
  const auto d = ctx.get_optional_string(j, "direction").value_or("Right");
  if (d == "Right") return tok::Direction::kRight;
  if (d == "Left") return tok::Direction::kLeft;
  ctx.at("direction").fail("unsupported direction '" + d + "' (supported: Left, Right)");
}

// Sets add_prefix_space=true on every ByteLevel pre-tokenizer and on Roberta/ByteLevel
// processors; returns whether anything changed.
bool force_prefix_space(Json& j, bool processors) {
  bool changed = false;
  if (j.is_object()) {
    const auto type = j.value("type", std::string());
    const bool target =
        processors ? (type == "RobertaProcessing" || type == "ByteLevel") : type == "ByteLevel";
    if (target && !j.value("add_prefix_space", true)) {
      j["add_prefix_space"] = true;
      changed = true;
    }
    for (auto& [key, value] : j.items()) changed = force_prefix_space(value, processors) || changed;
  } else if (j.is_array()) {
    for (auto& v : j) changed = force_prefix_space(v, processors) || changed;
  }
  return changed;
}

Pipeline make_pipeline(const Json& doc, const JsonContext& ctx) {
  Pipeline p;
  if (doc.contains("pre_tokenizer") && !doc["pre_tokenizer"].is_null()) {
    p.pre_tokenizer = tok::make_pre_tokenizer(doc["pre_tokenizer"], ctx.at("pre_tokenizer"));
  }
  if (doc.contains("post_processor") && !doc["post_processor"].is_null()) {
    p.post_processor = tok::make_post_processor(doc["post_processor"], ctx.at("post_processor"));
  }
  return p;
}

std::vector<tok::AddedToken> parse_added_tokens(const Json& doc, const JsonContext& ctx) {
  std::vector<tok::AddedToken> out;
  if (!doc.contains("added_tokens") || doc["added_tokens"].is_null()) return out;
  const auto& list = doc["added_tokens"];
  const auto lctx = ctx.at("added_tokens");
  if (!list.is_array()) lctx.fail("expected an array");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto c = lctx.at(i);
    tok::AddedToken t;
    const auto id = c.get_int(list[i], "id", -1);
    if (id < 0) c.fail("added token has no valid id");
    t.id = static_cast<std::uint32_t>(id);
    t.content = c.get_string(list[i], "content");
    t.single_word = c.get_bool(list[i], "single_word", false);
    t.lstrip = c.get_bool(list[i], "lstrip", false);
    t.rstrip = c.get_bool(list[i], "rstrip", false);
    t.special = c.get_bool(list[i], "special", false);
    t.normalized = c.get_bool(list[i], "normalized", !t.special);
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace

std::shared_ptr<Tokenizer::Impl> build_impl(Json doc, const std::string& source) {
  const JsonContext ctx{source, ""};
  if (!doc.is_object())
    ctx.fail("expected a tokenizer.json object, found " + std::string(doc.type_name()));
  auto impl = std::make_shared<Tokenizer::Impl>();
  impl->source = source;
  impl->model = tok::make_model(ctx.field(doc, "model"), ctx.at("model"));
  if (doc.contains("normalizer") && !doc["normalizer"].is_null()) {
    impl->normalizer = tok::make_normalizer(doc["normalizer"], ctx.at("normalizer"));
  }
  if (doc.contains("decoder") && !doc["decoder"].is_null()) {
    impl->decoder = tok::make_decoder(doc["decoder"], ctx.at("decoder"));
  }
  impl->text_pipeline = make_pipeline(doc, ctx);
  {
    Json patched = doc;
    bool changed = false;
    if (patched.contains("pre_tokenizer"))
      changed = force_prefix_space(patched["pre_tokenizer"], false);
    if (changed && patched.contains("post_processor"))
      force_prefix_space(patched["post_processor"], true);
    if (changed) {
      impl->words_pipeline = make_pipeline(patched, ctx);
      impl->words_pipeline_differs = true;
    }
  }
  impl->added = tok::AddedVocabulary(parse_added_tokens(doc, ctx), impl->normalizer.get());
  if (impl->normalizer && !impl->words_pipeline_differs) {
    impl->ascii_words = tok::AsciiWords::make(doc, *impl->normalizer, impl->added);
    impl->metaspace_words = tok::MetaspaceWords::make(doc, impl->added);
  }
  const auto& pre = doc.contains("pre_tokenizer") ? doc["pre_tokenizer"] : Json();
  impl->byte_level_direct = !impl->normalizer && pre.is_object() &&
                            pre.value("type", "") == "ByteLevel" &&
                            !pre.value("add_prefix_space", true) && pre.value("use_regex", true) &&
                            impl->model->type() == "BPE";
  if (doc.contains("truncation") && !doc["truncation"].is_null()) {
    const auto& t = doc["truncation"];
    const auto tctx = ctx.at("truncation");
    TruncationConfig tc;
    tc.max_length = static_cast<std::size_t>(tctx.get_int(t, "max_length", 512));
    tc.stride = static_cast<std::size_t>(tctx.get_int(t, "stride", 0));
    const auto strategy = tctx.get_optional_string(t, "strategy").value_or("LongestFirst");
    if (strategy != "LongestFirst" && strategy != "OnlyFirst" && strategy != "OnlySecond") {
      tctx.at("strategy").fail("unsupported truncation strategy '" + strategy + "'");
    }
    tc.only_first = strategy != "LongestFirst";
    tc.direction = parse_direction(t, tctx);
    impl->truncation = tc;
  }
  if (doc.contains("padding") && !doc["padding"].is_null()) {
    const auto& p = doc["padding"];
    const auto pctx = ctx.at("padding");
    PaddingConfig pc;
    if (p.contains("strategy") && p["strategy"].is_object() && p["strategy"].contains("Fixed")) {
      pc.fixed = p["strategy"]["Fixed"].get<std::size_t>();
    }
    pc.direction = parse_direction(p, pctx);
    const auto multiple = pctx.get_int(p, "pad_to_multiple_of", 0);
    if (multiple > 0) pc.pad_to_multiple_of = static_cast<std::size_t>(multiple);
    pc.pad_id = pctx.get_int(p, "pad_id", 0);
    pc.pad_type_id = static_cast<std::int32_t>(pctx.get_int(p, "pad_type_id", 0));
    pc.pad_token = pctx.get_optional_string(p, "pad_token").value_or("[PAD]");
    impl->padding = pc;
  }
  // Vocabulary size with added tokens: the union of model ids and added ids.
  std::size_t extra = 0;
  for (const auto& t : impl->added.tokens()) {
    if (!impl->model->id_to_token(t.id)) ++extra;
  }
  impl->vocab_size = impl->model->vocab_size() + extra;
  // Special tokens a bare tokenizer.json implies.
  if (impl->text_pipeline.post_processor) {
    const auto strings = impl->text_pipeline.post_processor->special_token_strings();
    if (!strings.empty()) {
      impl->specials.cls = strings.front();
      impl->specials.sep = strings.back();
    }
  }
  auto first_present = [&](std::initializer_list<const char*> names) -> std::optional<std::string> {
    for (const auto* n : names)
      if (impl->added.find_content(n) || impl->model->token_to_id(n)) return std::string(n);
    return std::nullopt;
  };
  impl->specials.unk = first_present({"[UNK]", "<unk>"});
  impl->specials.pad = impl->padding ? std::optional<std::string>(impl->padding->pad_token)
                                     : first_present({"[PAD]", "<pad>"});
  impl->specials.mask = first_present({"[MASK]", "<mask>"});
  impl->specials.bos = first_present({"<s>"});
  impl->specials.eos = first_present({"</s>"});
  impl->doc = std::move(doc);
  return impl;
}

EncodingBuilder::EncodingBuilder(std::string_view text) : index_(text), n_bytes_(text.size()) {
  // About one token per four bytes of text; growing the vectors is a visible cost otherwise.
  const std::size_t guess = text.size() / 4 + 4;
  enc_.ids.reserve(guess);
  enc_.tokens.reserve(guess);
  enc_.offsets.reserve(guess);
  enc_.word_ids.reserve(guess);
}

void EncodingBuilder::add(std::uint32_t id, std::string value, std::size_t b, std::size_t e,
                          std::int32_t word) {
  add(id, std::string_view(), b, e, word);
  enc_.tokens.back() = std::move(value);
}

void EncodingBuilder::add(std::uint32_t id, std::string_view value, std::size_t b, std::size_t e,
                          std::int32_t word) {
  if (b < n_bytes_) {
    const std::size_t cb = index_.cp_of(b);
    e = e < n_bytes_ ? index_.cp_of(e) : (e == 0 ? cb + 1 : index_.cp_of(e - 1) + 1);
    b = cb;
  }
  enc_.ids.push_back(id);
  enc_.tokens.emplace_back(value);
  enc_.offsets.push_back(TokenOffset{b, e});
  enc_.word_ids.push_back(word);
}

Encoding EncodingBuilder::finish() && {
  const auto n = enc_.ids.size();
  enc_.type_ids.assign(n, 0);
  enc_.special_tokens_mask.assign(n, 0);
  enc_.attention_mask.assign(n, 1);
  return std::move(enc_);
}

Encoding Tokenizer::Impl::encode_raw(std::string_view text, const Pipeline& p,
                                     std::optional<std::int32_t> word_index) const {
  EncodingBuilder out(text);
  const bool shortcut = (ascii_words || metaspace_words || byte_level_direct) &&
                        &p == &text_pipeline && !added_token_in(text);
  if (shortcut && ascii_words) {
    append_ascii_words(text, p, word_index, out);
  } else if (shortcut && metaspace_words) {
    append_metaspace_words(text, word_index, out);
  } else if (shortcut && byte_level_direct) {
    append_byte_level(text, word_index, out);
  } else {
    append_general(text, 0, p, word_index, 0, out);
  }
  return std::move(out).finish();
}

std::int32_t Tokenizer::Impl::append_general(std::string_view piece, std::size_t base,
                                             const Pipeline& p,
                                             std::optional<std::int32_t> word_index,
                                             std::int32_t first_word, EncodingBuilder& out) const {
  auto splits = added.extract_and_normalize(piece, normalizer.get());
  if (p.pre_tokenizer) p.pre_tokenizer->pre_tokenize(splits);
  std::vector<tok::Token> tokens;
  for (std::size_t s = 0; s < splits.size(); ++s) {
    auto& split = splits[s];
    if (!split.tokens) {
      tokens.clear();
      model->tokenize(split.normalized.get(), tokens);
      split.tokens = std::move(tokens);
      tokens = {};
    }
    const auto word = word_index ? *word_index : first_word + static_cast<std::int32_t>(s);
    for (auto& t : *split.tokens) {
      std::size_t b = t.begin, e = t.end;
      if (const auto span = split.normalized.to_original(t.begin, t.end)) {
        b = span->first;
        e = span->second;
      }
      out.add(t.id, std::move(t.value), base + b, base + e, word);
    }
  }
  return static_cast<std::int32_t>(splits.size());
}

Encoding Tokenizer::Impl::finish(Encoding enc, const Pipeline& p, bool add_special_tokens) const {
  if (truncation) {
    const std::size_t added_n =
        add_special_tokens && p.post_processor ? p.post_processor->added_tokens() : 0;
    if (truncation->max_length < added_n) {
      throw Error(ErrorKind::kInvalidArgument,
                  source + ": truncation max_length " + std::to_string(truncation->max_length) +
                      " is smaller than the " + std::to_string(added_n) + " special tokens");
    }
    tok::truncate_encoding(enc, truncation->max_length - added_n, truncation->stride,
                           truncation->direction);
  }
  if (p.post_processor) {
    p.post_processor->process(enc, add_special_tokens);
  }
  if (padding && padding->fixed) {
    std::size_t target = *padding->fixed;
    if (padding->pad_to_multiple_of && target % *padding->pad_to_multiple_of != 0) {
      target += *padding->pad_to_multiple_of - target % *padding->pad_to_multiple_of;
    }
    tok::pad_encoding(enc, target, padding->pad_id, padding->pad_type_id, padding->pad_token,
                      padding->direction);
  }
  return enc;
}

std::optional<std::int64_t> Tokenizer::Impl::id_of(const std::optional<std::string>& token) const {
  if (!token) return std::nullopt;
  if (const auto* t = added.find_content(*token)) return t->id;
  if (const auto id = model->token_to_id(*token)) return *id;
  return std::nullopt;
}

Tokenizer::Tokenizer(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Tokenizer make_tokenizer(std::shared_ptr<const Tokenizer::Impl> impl) {
  return Tokenizer(std::move(impl));
}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::Tokenizer(const Tokenizer&) = default;
Tokenizer& Tokenizer::operator=(const Tokenizer&) = default;
Tokenizer::~Tokenizer() = default;

Tokenizer Tokenizer::from_json_string(std::string_view json, std::string_view source_name) {
  Json doc;
  try {
    doc = Json::parse(json);
  } catch (const Json::parse_error& e) {
    throw Error(ErrorKind::kInvalidArgument, std::string(source_name) + ": not valid JSON (byte " +
                                                 std::to_string(e.byte) + "): " + e.what());
  }
  return Tokenizer(build_impl(std::move(doc), std::string(source_name)));
}

Tokenizer Tokenizer::from_file(const std::filesystem::path& tokenizer_json) {
  std::ifstream in(tokenizer_json, std::ios::binary);
  if (!in)
    throw Error(ErrorKind::kNotFound, "cannot open tokenizer file " + tokenizer_json.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return from_json_string(ss.str(), tokenizer_json.string());
}

Encoding Tokenizer::encode(std::string_view text, bool add_special_tokens) const {
  text::validate_utf8(text, "text to tokenize");
  auto enc = impl_->encode_raw(text, impl_->text_pipeline, std::nullopt);
  return impl_->finish(std::move(enc), impl_->text_pipeline, add_special_tokens);
}

Encoding Tokenizer::encode_words(const std::vector<std::string>& words,
                                 bool add_special_tokens) const {
  const Pipeline& p = impl_->words_pipeline_differs ? impl_->words_pipeline : impl_->text_pipeline;
  Encoding all;
  for (std::size_t i = 0; i < words.size(); ++i) {
    text::validate_utf8(words[i], "word " + std::to_string(i));
    tok::append_encoding(all, impl_->encode_raw(words[i], p, static_cast<std::int32_t>(i)));
  }
  return impl_->finish(std::move(all), p, add_special_tokens);
}

std::vector<Encoding> Tokenizer::encode_batch(const std::vector<std::string>& texts,
                                              bool add_special_tokens) const {
  std::vector<Encoding> out(texts.size());
  const std::size_t threads = std::min<std::size_t>(
      std::max(1u, std::thread::hardware_concurrency()), texts.size() / 16 + 1);
  std::vector<std::exception_ptr> errors(threads);
  auto work = [&](std::size_t t) {
    try {
      for (std::size_t i = t; i < texts.size(); i += threads)
        out[i] = encode(texts[i], add_special_tokens);
    } catch (...) {
      errors[t] = std::current_exception();
    }
  };
  if (threads <= 1) {
    work(0);
  } else {
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t) pool.emplace_back(work, t);
    for (auto& th : pool) th.join();
  }
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  if (impl_->padding && !impl_->padding->fixed) {  // BatchLongest
    std::size_t longest = 0;
    for (const auto& e : out) longest = std::max(longest, e.ids.size());
    if (impl_->padding->pad_to_multiple_of && longest % *impl_->padding->pad_to_multiple_of != 0) {
      longest +=
          *impl_->padding->pad_to_multiple_of - longest % *impl_->padding->pad_to_multiple_of;
    }
    for (auto& e : out) {
      tok::pad_encoding(e, longest, impl_->padding->pad_id, impl_->padding->pad_type_id,
                        impl_->padding->pad_token, impl_->padding->direction);
    }
  }
  return out;
}

std::vector<Encoding> Tokenizer::encode_windows(std::string_view text, std::size_t max_length,
                                                std::size_t stride) const {
  text::validate_utf8(text, "text to tokenize");
  const auto& p = impl_->text_pipeline;
  const std::size_t added_n = p.post_processor ? p.post_processor->added_tokens() : 0;
  if (max_length <= added_n) {
    throw Error(ErrorKind::kInvalidArgument, "window max_length " + std::to_string(max_length) +
                                                 " leaves no room next to the " +
                                                 std::to_string(added_n) + " special tokens");
  }
  auto enc = impl_->encode_raw(text, p, std::nullopt);
  tok::truncate_encoding(enc, max_length - added_n, stride, tok::Direction::kRight);
  if (p.post_processor) p.post_processor->process(enc, true);
  std::vector<Encoding> windows;
  auto overflow = std::move(enc.overflowing);
  enc.overflowing.clear();
  windows.push_back(std::move(enc));
  for (auto& o : overflow) windows.push_back(std::move(o));
  return windows;
}

std::string Tokenizer::decode(const std::vector<std::int64_t>& ids,
                              bool skip_special_tokens) const {
  std::vector<std::string> tokens;
  tokens.reserve(ids.size());
  for (const auto id : ids) {
    if (id < 0 || id > 0xFFFFFFFFll) continue;
    const auto uid = static_cast<std::uint32_t>(id);
    if (const auto* t = impl_->added.find_id(uid)) {
      if (skip_special_tokens && t->special) continue;
      tokens.push_back(t->content);
    } else if (auto s = impl_->model->id_to_token(uid)) {
      if (skip_special_tokens && impl_->added.find_content(*s) &&
          impl_->added.find_content(*s)->special)
        continue;
      tokens.push_back(std::move(*s));
    }
  }
  return decode_tokens(tokens);
}

std::string Tokenizer::decode_tokens(const std::vector<std::string>& tokens) const {
  std::string out;
  if (!impl_->decoder) {
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (i) out += ' ';
      out += tokens[i];
    }
    return out;
  }
  for (const auto& piece : impl_->decoder->decode_chain(tokens)) out += piece;
  return out;
}

std::optional<std::int64_t> Tokenizer::token_to_id(std::string_view token) const {
  return impl_->id_of(std::string(token));
}

std::string Tokenizer::id_to_token(std::int64_t id) const {
  if (id < 0 || id > 0xFFFFFFFFll) return {};
  if (const auto* t = impl_->added.find_id(static_cast<std::uint32_t>(id))) return t->content;
  return impl_->model->id_to_token(static_cast<std::uint32_t>(id)).value_or(std::string());
}

std::size_t Tokenizer::vocab_size() const {
  return impl_->vocab_size;
}
const SpecialTokens& Tokenizer::special_tokens() const {
  return impl_->specials;
}
std::optional<std::int64_t> Tokenizer::pad_token_id() const {
  if (impl_->padding && !impl_->specials.pad) return impl_->padding->pad_id;
  return impl_->id_of(impl_->specials.pad);
}
std::optional<std::int64_t> Tokenizer::unk_token_id() const {
  return impl_->id_of(impl_->specials.unk);
}
std::optional<std::int64_t> Tokenizer::cls_token_id() const {
  return impl_->id_of(impl_->specials.cls);
}
std::optional<std::int64_t> Tokenizer::sep_token_id() const {
  return impl_->id_of(impl_->specials.sep);
}
std::optional<std::int64_t> Tokenizer::mask_token_id() const {
  return impl_->id_of(impl_->specials.mask);
}
std::optional<std::int64_t> Tokenizer::bos_token_id() const {
  return impl_->id_of(impl_->specials.bos);
}
std::optional<std::int64_t> Tokenizer::eos_token_id() const {
  return impl_->id_of(impl_->specials.eos);
}
bool Tokenizer::is_special_id(std::int64_t id) const {
  if (id < 0 || id > 0xFFFFFFFFll) return false;
  const auto* t = impl_->added.find_id(static_cast<std::uint32_t>(id));
  return t && t->special;
}
std::size_t Tokenizer::num_special_tokens_to_add() const {
  return impl_->text_pipeline.post_processor ? impl_->text_pipeline.post_processor->added_tokens()
                                             : 0;
}
std::optional<std::size_t> Tokenizer::model_max_length() const {
  return impl_->model_max_length;
}
std::string Tokenizer::model_type() const {
  return impl_->model->type();
}
std::optional<std::string> Tokenizer::continuing_subword_prefix() const {
  return impl_->model->continuing_subword_prefix();
}
std::string Tokenizer::to_json() const {
  return impl_->doc.dump(2, ' ', false, Json::error_handler_t::strict);
}

}  // namespace spanloop::ml
