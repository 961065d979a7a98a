// WordPiece trainer: count BERT words, then merge the most frequent symbol pairs.
#include "ml/tokenizer/wordpiece_trainer.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>

#include "ml/tokenizer/components.h"
#include "ml/tokenizer/tokenizer_impl.h"
#include "text/error.h"
#include "text/utf8.h"

namespace spanloop::ml {

using tok::Json;

struct WordPieceTrainer::State {
  std::unique_ptr<tok::Normalizer> normalizer;
  std::unique_ptr<tok::PreTokenizer> pre_tokenizer;
  std::unordered_map<std::string, std::uint64_t> word_counts;
  std::size_t documents = 0;
};

namespace {

Json bert_normalizer_json(bool lowercase) {
  return {{"type", "BertNormalizer"},
          {"clean_text", true},
          {"handle_chinese_chars", true},
          {"strip_accents", nullptr},
          {"lowercase", lowercase}};
}

}  // namespace

WordPieceTrainer::WordPieceTrainer(WordPieceTrainerConfig config)
    : config_(std::move(config)), state_(std::make_unique<State>()) {
  const tok::JsonContext ctx{"wordpiece trainer", ""};
  state_->normalizer = tok::make_normalizer(bert_normalizer_json(config_.lowercase), ctx);
  state_->pre_tokenizer = tok::make_pre_tokenizer(Json{{"type", "BertPreTokenizer"}}, ctx);
  if (config_.vocab_size < config_.special_tokens.size()) {
    throw Error(ErrorKind::kInvalidArgument,
                "vocab size " + std::to_string(config_.vocab_size) + " is smaller than the " +
                    std::to_string(config_.special_tokens.size()) + " special tokens");
  }
}

WordPieceTrainer::~WordPieceTrainer() = default;

void WordPieceTrainer::feed(std::string_view text) {
  text::validate_utf8(text, "training document " + std::to_string(state_->documents + 1));
  ++state_->documents;
  std::vector<tok::Split> splits;
  splits.push_back(tok::Split{tok::NormalizedString(text, 0), std::nullopt});
  state_->normalizer->normalize(splits[0].normalized);
  state_->pre_tokenizer->pre_tokenize(splits);
  for (const auto& s : splits) ++state_->word_counts[s.normalized.get()];
}

std::size_t WordPieceTrainer::documents() const {
  return state_->documents;
}

Tokenizer WordPieceTrainer::train() const {
  const std::string prefix = "##";
  // Alphabet: the most frequent characters (ties by code point), at most limit_alphabet.
  std::map<char32_t, std::uint64_t> char_counts;
  for (const auto& [word, count] : state_->word_counts) {
    for (std::size_t p = 0; p < word.size();) char_counts[text::next_code_point(word, p)] += count;
  }
  std::vector<std::pair<char32_t, std::uint64_t>> chars(char_counts.begin(), char_counts.end());
  std::stable_sort(chars.begin(), chars.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (chars.size() > config_.limit_alphabet) chars.resize(config_.limit_alphabet);
  std::set<char32_t> alphabet;
  for (const auto& c : chars) alphabet.insert(c.first);

  std::vector<std::string> vocab(config_.special_tokens);
  std::unordered_map<std::string, std::uint32_t> ids;
  for (std::size_t i = 0; i < vocab.size(); ++i)
    ids.emplace(vocab[i], static_cast<std::uint32_t>(i));
  auto intern = [&](const std::string& t) {
    const auto it = ids.find(t);
    if (it != ids.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(vocab.size());
    vocab.push_back(t);
    ids.emplace(t, id);
    return id;
  };
  for (const auto c : alphabet) {
    std::string s;
    text::append_utf8(s, c);
    intern(s);
  }
  // Words as symbol id sequences (unknown characters break a word into separate pieces).
  struct Word {
    std::vector<std::uint32_t> symbols;
    std::uint64_t count;
  };
  std::vector<Word> words;
  std::vector<std::pair<std::string, std::uint64_t>> sorted_words(state_->word_counts.begin(),
                                                                  state_->word_counts.end());
  std::sort(sorted_words.begin(), sorted_words.end());
  for (const auto& [w, count] : sorted_words) {
    Word word{{}, count};
    bool first = true;
    for (std::size_t p = 0; p < w.size();) {
      const auto c = text::next_code_point(w, p);
      if (!alphabet.count(c)) {
        if (word.symbols.size() > 1) words.push_back(word);
        word.symbols.clear();
        first = true;
        continue;
      }
      std::string s = first ? std::string() : prefix;
      text::append_utf8(s, c);
      word.symbols.push_back(intern(s));
      first = false;
    }
    if (word.symbols.size() > 1) words.push_back(word);
  }
  // Pair counts and where each pair occurs.
  auto key = [](std::uint32_t a, std::uint32_t b) {
    return (static_cast<std::uint64_t>(a) << 32) | b;
  };
  std::unordered_map<std::uint64_t, std::int64_t> pair_counts;
  std::unordered_map<std::uint64_t, std::set<std::size_t>> where;
  for (std::size_t wi = 0; wi < words.size(); ++wi) {
    const auto& s = words[wi].symbols;
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
      pair_counts[key(s[i], s[i + 1])] += static_cast<std::int64_t>(words[wi].count);
      where[key(s[i], s[i + 1])].insert(wi);
    }
  }
  while (vocab.size() < config_.vocab_size && !pair_counts.empty()) {
    // Most frequent pair; ties go to the pair whose merged token sorts first (deterministic).
    std::uint64_t best = 0;
    std::int64_t best_count = 0;
    std::string best_token;
    for (const auto& [k, count] : pair_counts) {
      if (count < best_count || count <= 0) continue;
      const auto& a = vocab[k >> 32];
      const auto& b = vocab[k & 0xFFFFFFFF];
      std::string merged =
          a + b.substr(b.compare(0, prefix.size(), prefix) == 0 ? prefix.size() : 0);
      if (count > best_count || merged < best_token) {
        best = k;
        best_count = count;
        best_token = std::move(merged);
      }
    }
    if (best_count < static_cast<std::int64_t>(std::max<std::size_t>(config_.min_frequency, 1)))
      break;
    const auto a = static_cast<std::uint32_t>(best >> 32),
               b = static_cast<std::uint32_t>(best & 0xFFFFFFFF);
    const auto merged_id = intern(best_token);
    const auto affected = where[best];
    for (const auto wi : affected) {
      auto& s = words[wi].symbols;
      const auto c = static_cast<std::int64_t>(words[wi].count);
      for (std::size_t i = 0; i + 1 < s.size(); ++i) pair_counts[key(s[i], s[i + 1])] -= c;
      std::vector<std::uint32_t> merged;
      for (std::size_t i = 0; i < s.size(); ++i) {
        if (i + 1 < s.size() && s[i] == a && s[i + 1] == b) {
          merged.push_back(merged_id);
          ++i;
        } else {
          merged.push_back(s[i]);
        }
      }
      s = std::move(merged);
      for (std::size_t i = 0; i + 1 < s.size(); ++i) {
        pair_counts[key(s[i], s[i + 1])] += c;
        where[key(s[i], s[i + 1])].insert(wi);
      }
    }
    pair_counts.erase(best);
    where.erase(best);
    for (auto it = pair_counts.begin(); it != pair_counts.end();)
      it = it->second <= 0 ? pair_counts.erase(it) : std::next(it);
  }
  // tokenizer.json in the layout transformers' BertConverter produces.
  Json vocab_json = Json::object();
  for (std::size_t i = 0; i < vocab.size(); ++i) vocab_json[vocab[i]] = i;
  Json added = Json::array();
  for (std::size_t i = 0; i < config_.special_tokens.size(); ++i) {
    added.push_back({{"id", i},
                     {"content", config_.special_tokens[i]},
                     {"single_word", false},
                     {"lstrip", false},
                     {"rstrip", false},
                     {"normalized", false},
                     {"special", true}});
  }
  auto special_id = [&](const std::string& t) -> std::int64_t {
    const auto it = ids.find(t);
    if (it == ids.end())
      throw Error(ErrorKind::kInvalidArgument,
                  "special token " + t + " is required by the BERT template");
    return it->second;
  };
  auto sp = [](const char* id, int type) {
    return Json{{"SpecialToken", {{"id", id}, {"type_id", type}}}};
  };
  auto seq = [](const char* id, int type) {
    return Json{{"Sequence", {{"id", id}, {"type_id", type}}}};
  };
  Json doc = {
      {"version", "1.0"},
      {"truncation", nullptr},
      {"padding", nullptr},
      {"added_tokens", added},
      {"normalizer", bert_normalizer_json(config_.lowercase)},
      {"pre_tokenizer", {{"type", "BertPreTokenizer"}}},
      {"post_processor",
       {{"type", "TemplateProcessing"},
        {"single", Json::array({sp("[CLS]", 0), seq("A", 0), sp("[SEP]", 0)})},
        {"pair",
         Json::array({sp("[CLS]", 0), seq("A", 0), sp("[SEP]", 0), seq("B", 1), sp("[SEP]", 1)})},
        {"special_tokens",
         {{"[CLS]", {{"id", "[CLS]"}, {"ids", {special_id("[CLS]")}}, {"tokens", {"[CLS]"}}}},
          {"[SEP]", {{"id", "[SEP]"}, {"ids", {special_id("[SEP]")}}, {"tokens", {"[SEP]"}}}}}}}},
      {"decoder", {{"type", "WordPiece"}, {"prefix", "##"}, {"cleanup", true}}},
      {"model",
       {{"type", "WordPiece"},
        {"unk_token", "[UNK]"},
        {"continuing_subword_prefix", "##"},
        {"max_input_chars_per_word", 100},
        {"vocab", vocab_json}}}};
  auto impl = build_impl(std::move(doc), "trained WordPiece tokenizer");
  impl->model_max_length = config_.model_max_length;
  return make_tokenizer(std::move(impl));
}

void for_each_document(const std::filesystem::path& file, const std::string& text_field,
                       const std::function<void(std::string_view)>& fn) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorKind::kNotFound, "cannot open corpus file " + file.string());
  const auto ext = file.extension().string();
  std::string line;
  std::size_t line_no = 0;
  if (ext == ".jsonl" || ext == ".json") {
    while (std::getline(in, line)) {
      ++line_no;
      if (line.empty()) continue;
      Json j;
      try {
        j = Json::parse(line);
      } catch (const Json::parse_error& e) {
        throw Error(ErrorKind::kInvalidArgument,
                    file.string() + ":" + std::to_string(line_no) + ": not valid JSON");
      }
      if (!j.is_object() || !j.contains(text_field) || !j[text_field].is_string()) {
        throw Error(ErrorKind::kInvalidArgument, file.string() + ":" + std::to_string(line_no) +
                                                     ": no string field '" + text_field + "'");
      }
      fn(j[text_field].get<std::string>());
    }
    return;
  }
  if (ext == ".csv") {
    // RFC 4180: quoted fields may contain commas, doubled quotes and newlines.
    std::vector<std::string> row;
    std::string field;
    bool quoted = false, header_done = false;
    std::size_t column = 0;
    std::size_t record_line = 1;
    line_no = 1;
    auto end_row = [&] {
      row.push_back(std::move(field));
      field.clear();
      if (!header_done) {
        const auto it = std::find(row.begin(), row.end(), text_field);
        if (it == row.end())
          throw Error(ErrorKind::kInvalidArgument,
                      file.string() + ":1: no column '" + text_field + "' in the header");
        column = static_cast<std::size_t>(it - row.begin());
        header_done = true;
      } else if (!(row.size() == 1 && row[0].empty())) {
        if (column >= row.size()) {
          throw Error(ErrorKind::kInvalidArgument,
                      file.string() + ":" + std::to_string(record_line) + ": row has " +
                          std::to_string(row.size()) + " fields, no column " + text_field);
        }
        fn(row[column]);
      }
      row.clear();
      record_line = line_no;
    };
    char c;
    while (in.get(c)) {
      if (quoted) {
        if (c == '"') {
          if (in.peek() == '"') {
            in.get(c);
            field += '"';
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') ++line_no;
          field += c;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.push_back(std::move(field));
        field.clear();
      } else if (c == '\n') {
        ++line_no;
        if (!field.empty() && field.back() == '\r') field.pop_back();
        end_row();
      } else {
        field += c;
      }
    }
    if (quoted)
      throw Error(ErrorKind::kInvalidArgument, file.string() + ":" + std::to_string(record_line) +
                                                   ": unterminated quoted field");
    if (!field.empty() || !row.empty()) end_row();
    return;
  }
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) fn(line);
  }
}

}  // namespace spanloop::ml
