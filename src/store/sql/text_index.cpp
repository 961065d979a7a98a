// Word splitting and query translation for full-text search on both engines.
#include "store/sql/text_index.h"

#include <map>

#include "text/unicode.h"
#include "text/utf8.h"

namespace spanloop::store::sql {
namespace {

bool is_word_char(char32_t cp) {
  if (cp < 0x80)
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  const std::string_view cat = text::general_category(cp);
  return cat[0] == 'L' || cat[0] == 'N' || cat[0] == 'M' || cat == "Co";
}

// Calls on_word(word) for each lowercased word of text.
template <typename F>
void for_each_word(std::string_view text, F&& on_word) {
  std::string word;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const char32_t cp = text::next_code_point(text, pos);
    if (is_word_char(cp)) {
      text::append_utf8(word, text::to_lower(cp));
    } else if (!word.empty()) {
      on_word(word);
      word.clear();
    }
  }
  if (!word.empty()) on_word(word);
}

// The words of one query token, keeping only valid UTF-8.
std::vector<std::string> words_of(std::string_view token) {
  std::vector<std::string> out;
  if (text::find_invalid_utf8(token)) return out;
  for_each_word(token, [&](const std::string& w) { out.push_back(w); });
  return out;
}

}  // namespace

std::vector<std::string> fts_words(std::string_view text) {
  std::vector<std::string> out;
  for_each_word(text, [&](const std::string& w) { out.push_back(w); });
  return out;
}

std::string pg_tsvector_literal(std::string_view text) {
  // PostgreSQL keeps positions 1..16383 and lexemes shorter than 2 KiB.
  std::map<std::string, std::vector<int>> positions;
  int pos = 0;
  for_each_word(text, [&](const std::string& w) {
    ++pos;
    if (w.size() >= 2047) return;
    auto& p = positions[w];
    if (p.size() < 256) p.push_back(pos < 16383 ? pos : 16383);
  });
  std::string out;
  for (const auto& [word, ps] : positions) {
    if (!out.empty()) out.push_back(' ');
    out.push_back('\'');
    out += word;  // words hold only letters, digits and marks: no quote to escape
    out.push_back('\'');
    out.push_back(':');
    for (std::size_t i = 0; i < ps.size(); ++i) {
      if (i) out.push_back(',');
      out += std::to_string(ps[i]);
    }
  }
  return out;
}

bool ParsedTextQuery::matches_nothing() const {
  for (const auto& c : clauses)
    if (!c.negated && !c.words.empty()) return false;
  return true;
}

ParsedTextQuery parse_text_query(std::string_view q) {
  ParsedTextQuery out;
  std::size_t i = 0;
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (i < q.size()) {
    if (is_space(q[i])) {
      ++i;
      continue;
    }
    TextQueryClause clause;
    if (q[i] == '-') {
      clause.negated = true;
      ++i;
    }
    std::string_view token;
    if (i < q.size() && q[i] == '"') {
      const std::size_t close = q.find('"', i + 1);
      const std::size_t end = close == std::string_view::npos ? q.size() : close;
      token = q.substr(i + 1, end - i - 1);
      i = end == q.size() ? end : end + 1;
    } else {
      std::size_t end = i;
      while (end < q.size() && !is_space(q[end]) && q[end] != '"') ++end;
      token = q.substr(i, end - i);
      i = end;
      if (!token.empty() && token.back() == '*') {
        clause.prefix = true;
        token.remove_suffix(1);
      }
    }
    clause.words = words_of(token);
    if (!clause.words.empty()) out.clauses.push_back(std::move(clause));
  }
  return out;
}

std::string fts5_match_expression(const ParsedTextQuery& q) {
  std::string positive, negative;
  for (const auto& c : q.clauses) {
    std::string phrase = "\"";
    for (std::size_t k = 0; k < c.words.size(); ++k) {
      if (k) phrase.push_back(' ');
      phrase += c.words[k];
    }
    phrase.push_back('"');
    if (c.prefix) phrase += " *";
    if (c.negated) {
      negative += " NOT " + phrase;
    } else {
      if (!positive.empty()) positive += " AND ";
      positive += phrase;
    }
  }
  return "(" + positive + ")" + negative;
}

std::string pg_tsquery_literal(const ParsedTextQuery& q) {
  std::string out;
  for (const auto& c : q.clauses) {
    if (!out.empty()) out += " & ";
    if (c.negated) out += "!";
    out += "(";
    for (std::size_t k = 0; k < c.words.size(); ++k) {
      if (k) out += " <-> ";
      out += "'" + c.words[k] + "'";
      if (c.prefix && k + 1 == c.words.size()) out += ":*";
    }
    out += ")";
  }
  return out;
}

}  // namespace spanloop::store::sql
