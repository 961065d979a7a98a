// Unicode character classes that pre-tokenizers and tokenizers agree on (backed by utf8proc).
#pragma once

#include <string>
#include <string_view>

namespace spanloop::text {

// Two-letter Unicode general category ("Lu", "Zs", "Po", "Cn", ...).
std::string_view general_category(char32_t cp);

// Python str.isspace()/str.split() whitespace: the White_Space property plus U+001C..U+001F.
bool is_python_whitespace(char32_t cp);
// The Unicode White_Space property (Rust char::is_whitespace, used by Hugging Face tokenizers).
bool is_unicode_whitespace(char32_t cp);
// Any punctuation category (Pc, Pd, Ps, Pe, Pi, Pf, Po).
bool is_unicode_punctuation(char32_t cp);
// BERT's punctuation: every non-alphanumeric printable ASCII character, plus any P* category.
bool is_bert_punctuation(char32_t cp);
// BERT's CJK ideograph blocks (CJK Unified Ideographs and their extensions, compatibility).
bool is_cjk_ideograph(char32_t cp);
// Combining marks (Mn, Mc, Me), which accent stripping removes after NFD.
bool is_combining_mark(char32_t cp);

// Unicode normalization forms of valid UTF-8 text.
enum class NormalizationForm { kNFC, kNFD, kNFKC, kNFKD };
std::string normalize(std::string_view utf8, NormalizationForm form);

// Simple (one-to-one) lowercase mapping of one code point.
char32_t to_lower(char32_t cp);

}  // namespace spanloop::text
