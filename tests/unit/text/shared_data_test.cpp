// Real annotated data from ../shared/data (TFH-2020 patent NER, CHEMDNER-patents CEMP,
// CoNLL-2003): every JSONL span record is tagged in every scheme and decoded back, and the
// alignment / overlap report is checked against what the data holds. Skips without ../shared.
#include <gtest/gtest.h>

#include <iostream>
#include <map>
#include <set>

#include "support/test_support.h"
#include "text/decode.h"
#include "text/jsonl_spans.h"
#include "text/span_tagger.h"

namespace spanloop::text {
namespace {

namespace fs = std::filesystem;

std::vector<SpanRecord> read_all(const fs::path& dir) {
  std::vector<SpanRecord> out;
  for (const char* split : {"train.jsonl", "validation.jsonl"}) {
    JsonlSpansReader reader(dir / split);
    SpanRecord r;
    while (reader.next(r)) out.push_back(r);
  }
  return out;
}

std::vector<std::string> labels_of(const std::vector<SpanRecord>& records) {
  std::vector<std::string> labels;
  for (const auto& r : records) {
    for (const auto& s : r.spans) {
      if (std::find(labels.begin(), labels.end(), s.label) == labels.end())
        labels.push_back(s.label);
    }
  }
  return labels;
}

// Character-level overlapping pairs, counted directly from the spans.
std::size_t char_overlap_pairs(const std::vector<SpanRecord>& records) {
  std::size_t pairs = 0;
  for (const auto& r : records) {
    for (std::size_t i = 0; i < r.spans.size(); ++i) {
      for (std::size_t j = i + 1; j < r.spans.size(); ++j) {
        if (r.spans[i].start < r.spans[j].end && r.spans[j].start < r.spans[i].end) ++pairs;
      }
    }
  }
  return pairs;
}

struct Outcome {
  TaggingReport report;
  std::size_t decoded = 0;
};

// Tags every record in `scheme`, decodes every layer back (strict mode where seqeval defines
// the scheme well, default mode for IO and IOE1) and checks that exactly the tagged spans come
// back, as character spans over their tokens.
Outcome round_trip(const std::vector<SpanRecord>& records, const std::string& tokenizer,
                   Scheme scheme, OverlapPolicy overlap) {
  const auto labels = labels_of(records);
  SpanTagger tagger(LabelMap(labels, scheme), {AlignmentPolicy::kExpand, overlap, 3});
  auto pre = make_pretokenizer(tokenizer);
  const bool strict = scheme != Scheme::kIO && scheme != Scheme::kIOE1;
  TagSet tags = TagSet::from_label_map(tagger.label_map());
  Outcome out;
  for (const auto& r : records) {
    const TaggedRecord t = tagger.tag(r.id, r.text, r.spans, *pre);
    // What should come back: each span that was kept, as the character range of its tokens.
    std::multiset<std::tuple<std::size_t, std::size_t, std::string>> expected, got;
    for (const auto& s : r.spans) {
      TokenSpan ts;
      const auto o = align_span(t.tokens, s, AlignmentPolicy::kExpand, ts);
      if (o == AlignmentOutcome::kExact || o == AlignmentOutcome::kExpanded) {
        expected.emplace(t.tokens[ts.begin].start, t.tokens[ts.end - 1].end, s.label);
      }
    }
    for (const auto& layer : t.layers) {
      std::vector<TagId> ids(layer.begin(), layer.end());
      for (const Chunk& c :
           decode_chunks(ids, tags, strict ? DecodeMode::kStrict : DecodeMode::kDefault,
                         strict ? std::optional<Scheme>(scheme) : std::nullopt)) {
        got.emplace(t.tokens[c.begin].start, t.tokens[c.end - 1].end, tags.type_name(c.type));
        ++out.decoded;
      }
    }
    if (scheme == Scheme::kIO) continue;  // IO merges adjacent entities of the same type
    if (overlap == OverlapPolicy::kLayers) {
      // Duplicate spans (same range and label) collapse to one entity per layer; compare sets.
      const std::set<std::tuple<std::size_t, std::size_t, std::string>> e(expected.begin(),
                                                                          expected.end()),
          g(got.begin(), got.end());
      EXPECT_EQ(g, e) << "record " << r.id << " scheme " << scheme_name(scheme);
    } else if (overlap == OverlapPolicy::kError) {
      EXPECT_EQ(got, expected) << "record " << r.id << " scheme " << scheme_name(scheme);
    } else {
      for (const auto& entity : got) EXPECT_TRUE(expected.count(entity)) << "record " << r.id;
    }
  }
  out.report = tagger.report();
  return out;
}

const std::vector<Scheme> kSchemes{Scheme::kIO,   Scheme::kIOB1,  Scheme::kIOB2, Scheme::kIOE1,
                                   Scheme::kIOE2, Scheme::kIOBES, Scheme::kBILOU};

TEST(SharedData, Conll2003SpansAreTokenAlignedAndRoundTrip) {
  SPANLOOP_REQUIRE_SHARED(shared);
  const auto records = read_all(shared / "data" / "conll2003");
  std::size_t spans = 0;
  for (const auto& r : records) spans += r.spans.size();
  EXPECT_EQ(spans, 23499u + 5942u) << "the official CoNLL-2003 entity counts";
  EXPECT_EQ(char_overlap_pairs(records), 0u);
  for (Scheme scheme : kSchemes) {
    const Outcome o = round_trip(records, "whitespace", scheme, OverlapPolicy::kError);
    EXPECT_EQ(o.report.count(AlignmentOutcome::kExact), spans)
        << "text is the tokens joined by spaces";
    EXPECT_EQ(o.report.overlapping_spans, 0u);
    // IO merges adjacent same-type entities (CoNLL-2003 has a few, marked B- in IOB1).
    if (scheme != Scheme::kIO) {
      EXPECT_EQ(o.decoded, spans) << scheme_name(scheme);
    }
    if (scheme == Scheme::kIOB2) std::cout << "conll2003 (whitespace):\n" << o.report.to_text();
  }
}

// What the report finds with the bert pre-tokenizer (train + validation): annotations that end
// inside a word ("substrat" of "substrate", "corticoids" of "deoxycorticoids") are expanded;
// TFH's nested/duplicate annotations share tokens and need a second layer.
struct Expected {
  const char* name;
  std::size_t exact, expanded, overlapping_spans, records_with_overlap;
};
const Expected kPatentData[] = {{"tfh_patent_ner", 23254, 51, 81, 24},
                                {"cemp_chemdner_patents", 5556, 18, 0, 0}};

TEST(SharedData, PatentNerWithBertTokensAndLayers) {
  SPANLOOP_REQUIRE_SHARED(shared);
  for (const Expected& want : kPatentData) {
    const char* name = want.name;
    const auto records = read_all(shared / "data" / name);
    ASSERT_FALSE(records.empty()) << name;
    std::size_t spans = 0;
    for (const auto& r : records) spans += r.spans.size();
    const std::size_t overlap_pairs = char_overlap_pairs(records);
    for (Scheme scheme : kSchemes) {
      const Outcome o = round_trip(records, "bert", scheme, OverlapPolicy::kLayers);
      const TaggingReport& rep = o.report;
      EXPECT_EQ(rep.spans, spans);
      EXPECT_EQ(rep.count(AlignmentOutcome::kExact) + rep.count(AlignmentOutcome::kExpanded) +
                    rep.count(AlignmentOutcome::kNoToken),
                spans)
          << "expand keeps every span that covers a token";
      EXPECT_EQ(rep.overlap_dropped, 0u) << "layers keep everything";
      // Spans overlapping in characters always share a token after expansion.
      if (overlap_pairs > 0) {
        EXPECT_GE(rep.records_with_overlap, 1u);
      }
      EXPECT_GE(rep.overlapping_spans, overlap_pairs > 0 ? 2u : 0u);
      EXPECT_EQ(rep.count(AlignmentOutcome::kExact), want.exact) << name;
      EXPECT_EQ(rep.count(AlignmentOutcome::kExpanded), want.expanded) << name;
      EXPECT_EQ(rep.overlapping_spans, want.overlapping_spans) << name;
      EXPECT_EQ(rep.records_with_overlap, want.records_with_overlap) << name;
      if (scheme == Scheme::kIOB2) {
        std::cout << name << " (bert, layers): character-level overlapping pairs " << overlap_pairs
                  << "\n"
                  << rep.to_text();
      }
    }
    // The same data with `first`: what was dropped is what overlapped.
    const Outcome first = round_trip(records, "bert", Scheme::kIOB2, OverlapPolicy::kFirst);
    EXPECT_LE(first.report.overlap_dropped, first.report.overlapping_spans);
    EXPECT_EQ(first.report.spans_tagged() + first.report.overlap_dropped +
                  first.report.count(AlignmentOutcome::kNoToken),
              spans);
  }
}

}  // namespace
}  // namespace spanloop::text
