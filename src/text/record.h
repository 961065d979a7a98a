// The two record shapes datasets come in (text + spans, tokens + tags) and what readers report
// about malformed input.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "text/pretokenizer.h"
#include "text/span.h"

namespace spanloop::text {

// Fields of a record that spanloop does not interpret, kept in input order so exports round-trip:
// (name, value as JSON text), e.g. {"relations", "[{\"type\":\"PartOf\",\"head\":0,\"tail\":1}]"}.
using Fields = std::vector<std::pair<std::string, std::string>>;

// A text with labelled character spans (JSONL spans, CSV): what annotators produce.
struct SpanRecord {
  std::string id{};
  std::string text{};
  std::vector<Span> spans{};
  Fields extra{};
  std::size_t line = 0;  // 1-based line where the record starts in its file (0: not from a file)

  bool operator==(const SpanRecord&) const = default;
};

// Tokens with one tag sequence per layer (CoNLL, JSONL tokens): what models train on. Token
// offsets point into `text`: the record's original text when the file carries it (JSONL tokens
// written from spans), otherwise the tokens joined by single spaces (CoNLL).
struct TokenRecord {
  std::string id{};
  std::string text{};
  std::vector<Token> tokens{};
  std::vector<std::vector<std::string>> tags{};  // layers; each as long as tokens; at least one
  Fields extra{};
  bool document_start = false;  // CoNLL: a -DOCSTART- line came right before this sentence
  std::size_t line = 0;

  bool operator==(const TokenRecord&) const = default;
};

// One malformed record: "FILE:LINE: PROBLEM".
struct InputProblem {
  std::string file{};
  std::size_t line = 0;
  std::string message{};
  std::string to_string() const { return file + ":" + std::to_string(line) + ": " + message; }
};

// Joins token strings with single spaces: the text and offsets of a record read from a format
// that stores tokens only.
void set_tokens_joined(TokenRecord& record, const std::vector<std::string>& tokens);

struct ReadOptions {
  // false: the first malformed record throws InvalidArgument "FILE:LINE: PROBLEM".
  // true: malformed records are skipped and listed in the reader's problems().
  bool skip_invalid = false;
};

}  // namespace spanloop::text
