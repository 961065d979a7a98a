// Tokenizer::save: the files transformers' AutoTokenizer reads from a model directory.
#include <fstream>

#include "ml/tokenizer/tokenizer_impl.h"
#include "text/error.h"

namespace spanloop::ml {

using tok::Json;
namespace fs = std::filesystem;

namespace {

void write_file(const fs::path& p, const std::string& content) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  if (!out) throw Error(ErrorKind::kUnavailable, "cannot write " + p.string());
  out << content;
  if (!out.flush()) throw Error(ErrorKind::kUnavailable, "cannot write " + p.string());
}

std::string guess_class(const Json& doc, const std::string& model_type) {
  const auto pp = doc.contains("post_processor") && doc["post_processor"].is_object()
                      ? doc["post_processor"].value("type", std::string())
                      : std::string();
  if (model_type == "WordPiece") return "BertTokenizer";
  if (model_type == "BPE" && pp == "RobertaProcessing") return "RobertaTokenizer";
  if (model_type == "Unigram") return "XLMRobertaTokenizer";
  return "PreTrainedTokenizerFast";
}

}  // namespace

void Tokenizer::save(const fs::path& dir) const {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw Error(ErrorKind::kUnavailable, "cannot create " + dir.string() + ": " + ec.message());
  const auto& doc = impl_->doc;
  write_file(dir / "tokenizer.json", doc.dump(2, ' ', false, Json::error_handler_t::strict) + "\n");

  const auto& sp = impl_->specials;
  Json specials = Json::object();
  auto put = [&](const char* key, const std::optional<std::string>& v) {
    if (v) specials[key] = *v;
  };
  put("bos_token", sp.bos);
  put("cls_token", sp.cls);
  put("eos_token", sp.eos);
  put("mask_token", sp.mask);
  put("pad_token", sp.pad);
  put("sep_token", sp.sep);
  put("unk_token", sp.unk);
  if (model_type() == "WordPiece") {  // BERT has no bos/eos
    specials.erase("bos_token");
    specials.erase("eos_token");
  }
  write_file(dir / "special_tokens_map.json", specials.dump(2) + "\n");

  Json cfg = impl_->tokenizer_config.is_object() ? impl_->tokenizer_config : Json::object();
  if (cfg.empty()) {
    cfg = specials;
    cfg["tokenizer_class"] = guess_class(doc, model_type());
    cfg["clean_up_tokenization_spaces"] = true;
    if (impl_->model_max_length) cfg["model_max_length"] = *impl_->model_max_length;
    if (model_type() == "WordPiece" && doc.contains("normalizer") &&
        doc["normalizer"].is_object()) {
      cfg["do_lower_case"] = doc["normalizer"].value("lowercase", false);
    }
    Json decoder = Json::object();
    for (const auto& t : impl_->added.tokens()) {
      decoder[std::to_string(t.id)] = {{"content", t.content},         {"lstrip", t.lstrip},
                                       {"normalized", t.normalized},   {"rstrip", t.rstrip},
                                       {"single_word", t.single_word}, {"special", t.special}};
    }
    cfg["added_tokens_decoder"] = decoder;
  }
  write_file(dir / "tokenizer_config.json", cfg.dump(2) + "\n");

  const auto& model = doc["model"];
  if (model_type() == "WordPiece") {
    std::vector<std::string> by_id;
    for (const auto& [token, id] : model["vocab"].items()) {
      const auto i = id.get<std::size_t>();
      if (i >= by_id.size()) by_id.resize(i + 1);
      by_id[i] = token;
    }
    std::string text;
    for (const auto& t : by_id) text += t + "\n";
    write_file(dir / "vocab.txt", text);
  } else if (model_type() == "BPE") {
    write_file(dir / "vocab.json", model["vocab"].dump() + "\n");
    std::string merges = "#version: 0.2\n";
    for (const auto& m : model["merges"]) {
      merges += m.is_string() ? m.get<std::string>()
                              : m[0].get<std::string>() + " " + m[1].get<std::string>();
      merges += "\n";
    }
    write_file(dir / "merges.txt", merges);
  } else if (!impl_->sp_model.empty() && fs::exists(impl_->sp_model)) {
    fs::copy_file(impl_->sp_model, dir / impl_->sp_model.filename(),
                  fs::copy_options::overwrite_existing, ec);
    if (ec)
      throw Error(ErrorKind::kUnavailable,
                  "cannot copy " + impl_->sp_model.string() + ": " + ec.message());
  }
}

}  // namespace spanloop::ml
