// conlleval.pl (CoNLL-2000 shared task evaluation, version 2004-01-26) as a library: the same
// counts and the same printed report, token by token.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "text/tag_set.h"

namespace spanloop::text {

struct ConllevalTypeRow {
  std::string type{};
  std::size_t found_correct = 0;              // gold chunks of this type
  std::size_t found_guessed = 0;              // predicted chunks
  std::size_t correct = 0;                    // predicted chunks matching a gold chunk
  double precision = 0, recall = 0, fb1 = 0;  // percentages
};

struct ConllevalReport {
  std::size_t tokens = 0;
  std::size_t correct_tags = 0;
  std::size_t found_correct = 0;
  std::size_t found_guessed = 0;
  std::size_t correct_chunks = 0;
  double accuracy = 0, precision = 0, recall = 0, fb1 = 0;  // percentages
  std::vector<ConllevalTypeRow> types{};                    // in conlleval's order (byte-sorted)

  // Exactly what conlleval.pl prints (without -l / -r):
  //   processed N tokens with G phrases; found: P phrases; correct: C.
  //   accuracy:  97.12%; precision:  84.55%; recall:  85.10%; FB1:  84.82
  //                 LOC: precision: ...%; recall: ...%; FB1: ...  <found>
  std::string to_text() const;
  std::string to_json() const;
};

// Feeds (gold, predicted) tag pairs line by line, as conlleval reads its input.
//   ConllevalCounter c;
//   for (each sentence) c.add(gold_tags, predicted_tags);  // tokens, then the blank line
//   std::cout << c.report().to_text();
class ConllevalCounter {
 public:
  explicit ConllevalCounter(TagSet tags = TagSet()) : tags_(std::move(tags)) {}
  TagSet& tag_set() { return tags_; }

  void add_token(TagId gold, TagId pred);
  // A blank line (sentence boundary).
  void add_boundary();
  // A "-DOCSTART-" line: conlleval has no special case for it and counts it as a token whose
  // gold and predicted tags are both O.
  void add_document_start() { add_token(tags_.outside(), tags_.outside()); }
  // One sentence followed by its blank line. Throws InvalidArgument when lengths differ.
  void add(std::span<const TagId> gold, std::span<const TagId> pred);
  void add(std::span<const std::string> gold, std::span<const std::string> pred);

  ConllevalReport report() const;

 private:
  struct Side {
    char kind = 'O';
    std::uint32_t tag = 0;
    TypeId type = TagSet::kEmptyType;
  };
  void step(const Side& correct, const Side& guessed, bool boundary);
  Side side(TagId id) const;
  void count(std::vector<std::size_t>& counts, TypeId type);

  TagSet tags_;
  Side last_correct_ = side(tags_.outside());
  Side last_guessed_ = side(tags_.outside());
  bool in_correct_ = false;
  std::size_t tokens_ = 0, correct_tags_ = 0;
  std::size_t found_correct_ = 0, found_guessed_ = 0, correct_chunks_ = 0;
  std::vector<std::size_t> found_correct_by_type_, found_guessed_by_type_, correct_by_type_;
  std::vector<TagId> gold_ids_, pred_ids_;
};

}  // namespace spanloop::text
