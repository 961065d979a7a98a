// Agreement between annotators on a span question: pairwise span F1 (exact start, end and
// label), per label and overall, over the records both annotators submitted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/store.h"

namespace spanloop::dataio {

// Counts over the records two annotators both submitted: spans of each and spans they share.
// F1 = 2 * matched / (spans_a + spans_b), which is symmetric; nullopt when neither marked any.
struct SpanCounts {
  std::int64_t matched = 0;
  std::int64_t spans_a = 0;
  std::int64_t spans_b = 0;
  std::optional<double> f1() const;
  void add(const SpanCounts& other);
};

struct LabelAgreement {
  std::string label;
  SpanCounts counts;
};

struct PairAgreement {
  std::string user_a, username_a;
  std::string user_b, username_b;
  std::int64_t records = 0;            // records both submitted
  SpanCounts counts;                   // all labels
  std::vector<LabelAgreement> labels;  // the question's labels, in option order
};

struct AgreementReport {
  std::string dataset_id;
  std::string question;
  std::int64_t records = 0;            // records with >= 2 submitted responses
  std::vector<PairAgreement> pairs;    // user pairs with >= 1 shared record (a < b by id)
  std::vector<LabelAgreement> labels;  // summed over all pairs (micro)
  SpanCounts overall;                  // summed over all pairs and labels

  // {"question", "records", "f1", "labels": {label: {f1, matched, spans_a, spans_b}},
  //  "pairs": [{"user_a": {id, username}, "user_b": ..., "records", "f1", "labels": {...}}]}
  std::string to_json() const;
};

// Reads the records with submitted responses in batches. kNotFound for an unknown dataset,
// kInvalidArgument when the question is not a span question (empty: the first one).
AgreementReport span_agreement(store::Store& store, const std::string& dataset_id,
                               const std::string& question = "");

}  // namespace spanloop::dataio
