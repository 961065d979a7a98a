// Property tests: spans -> tags -> spans is the identity for every scheme; random tag sequences
// decode exactly like straightforward reference decoders written here from seqeval's and
// conlleval's published rules; default-mode seqeval scores equal conlleval's on IOB/IOE data
// (the check seqeval's own test suite runs).
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <tuple>

#include "text/conlleval.h"
#include "text/decode.h"
#include "text/encode.h"
#include "text/entity_metrics.h"

namespace spanloop::text {
namespace {

using Tags = std::vector<std::string>;
using Entity = std::tuple<std::string, std::size_t, std::size_t>;  // type, begin, end (exclusive)

const std::vector<std::string> kLabels{"PER", "LOC", "ORG"};

// Random non-overlapping token spans over n tokens, sorted. With `gap_between_same`, two spans of
// the same label never touch (IO cannot separate them).
std::vector<TokenSpan> random_spans(std::mt19937& rng, std::size_t n, bool gap_between_same) {
  std::vector<TokenSpan> spans;
  std::size_t i = 0;
  while (i < n) {
    if (rng() % 3 == 0) {
      ++i;
      continue;
    }
    const std::size_t len = std::min<std::size_t>(1 + rng() % 4, n - i);
    TokenSpan s;
    s.begin = i;
    s.end = i + len;
    s.label = rng() % kLabels.size();
    if (gap_between_same && !spans.empty() && spans.back().end == s.begin &&
        spans.back().label == s.label) {
      s.label = (s.label + 1) % kLabels.size();
    }
    spans.push_back(s);
    i += len;
  }
  return spans;
}

std::vector<Entity> decode(const Tags& tags, DecodeMode mode, std::optional<Scheme> scheme) {
  TagSet set;
  std::vector<TagId> ids;
  for (const auto& t : tags) ids.push_back(set.intern(t));
  std::vector<Entity> out;
  for (const Chunk& c : decode_chunks(ids, set, mode, scheme))
    out.emplace_back(set.type_name(c.type), c.begin, c.end);
  return out;
}

void expect_identity(Scheme scheme, DecodeMode mode, int rounds) {
  std::mt19937 rng(1234 + static_cast<unsigned>(scheme));
  const LabelMap map(kLabels, scheme);
  for (int round = 0; round < rounds; ++round) {
    const std::size_t n = 1 + rng() % 30;
    const auto spans = random_spans(rng, n, scheme == Scheme::kIO);
    Tags tags;
    for (int id : encode_layer(n, spans, map))
      tags.push_back(map.tags()[static_cast<std::size_t>(id)]);
    std::vector<Entity> expected;
    for (const auto& s : spans) expected.emplace_back(kLabels[s.label], s.begin, s.end);
    std::optional<Scheme> strict_scheme;
    if (mode == DecodeMode::kStrict) strict_scheme = scheme;
    const auto got = decode(tags, mode, strict_scheme);
    ASSERT_EQ(got, expected) << scheme_name(scheme) << " " << decode_mode_name(mode) << " round "
                             << round;
  }
}

TEST(RoundTrip, EverySchemeDecodesItsOwnTags) {
  for (Scheme s :
       {Scheme::kIO, Scheme::kIOB1, Scheme::kIOB2, Scheme::kIOE1, Scheme::kIOE2, Scheme::kIOBES}) {
    expect_identity(s, DecodeMode::kDefault, 2000);
  }
  // seqeval's strict mode: every scheme it defines. (Its IOE1 patterns cannot start an entity
  // with E-, so a one-token IOE1 span followed by a span of the same type is lost; see
  // docs/text.md. IOE1 round-trips through the default mode above.)
  for (Scheme s : {Scheme::kIOB1, Scheme::kIOB2, Scheme::kIOE2, Scheme::kIOBES, Scheme::kBILOU}) {
    expect_identity(s, DecodeMode::kStrict, 2000);
  }
  for (Scheme s : {Scheme::kIOB2, Scheme::kIOE2}) expect_identity(s, DecodeMode::kConlleval, 2000);
}

TEST(RoundTrip, SeqevalStrictIoe1LosesOneTokenSpansBeforeTheSameType) {
  // E-PER I-PER encodes PER[0,1) PER[1,2) in IOE1; seqeval's IOE1 start patterns have no (O, E).
  EXPECT_EQ(decode({"E-PER", "I-PER"}, DecodeMode::kStrict, Scheme::kIOE1),
            (std::vector<Entity>{{"PER", 1, 2}}));
  EXPECT_EQ(decode({"E-PER", "I-PER"}, DecodeMode::kDefault, std::nullopt),
            (std::vector<Entity>{{"PER", 0, 1}, {"PER", 1, 2}}));
}

// ---- reference decoders, written plainly from the published rules ----

const Tags kPool{"O",     "O",          "O",     "B-PER", "I-PER", "E-PER", "S-PER",
                 "B-LOC", "I-LOC",      "E-LOC", "S-LOC", "U-LOC", "L-LOC", "B",
                 "I",     "E",          "S",     ".",     "X",     "I-A-B", "B-A-B",
                 "B--",   "\u00c9-PER", "[",     "]"};

Tags random_tags(std::mt19937& rng, const Tags& pool) {
  Tags t(rng() % 15);
  for (auto& x : t) x = pool[rng() % pool.size()];
  return t;
}

// seqeval get_entities (default mode): tag = first character, type = the rest after its '-'.
std::vector<Entity> reference_default(const Tags& seq) {
  std::vector<Entity> chunks;
  std::string prev_tag = "O", prev_type;
  std::size_t begin = 0;
  Tags all = seq;
  all.push_back("O");
  for (std::size_t i = 0; i < all.size(); ++i) {
    const std::string& chunk = all[i];
    const std::size_t first =
        (static_cast<unsigned char>(chunk[0]) >= 0xC0) ? 2 : 1;  // é is 2 bytes
    const std::string tag = chunk.substr(0, first);
    const std::string rest = chunk.substr(first);
    const auto dash = rest.find('-');
    std::string type = dash == std::string::npos ? rest : rest.substr(dash + 1);
    if (type.empty()) type = "_";
    bool end = prev_tag == "E" || prev_tag == "S" ||
               ((prev_tag == "B" || prev_tag == "I") && (tag == "B" || tag == "S" || tag == "O")) ||
               (prev_tag != "O" && prev_tag != "." && prev_type != type);
    if (end) chunks.emplace_back(prev_type, begin, i);
    bool start =
        tag == "B" || tag == "S" ||
        ((prev_tag == "E" || prev_tag == "S" || prev_tag == "O") && (tag == "E" || tag == "I")) ||
        (tag != "O" && tag != "." && prev_type != type);
    if (start) begin = i;
    prev_tag = tag;
    prev_type = type;
  }
  return chunks;
}

// seqeval Tokens.entities (strict IOB2 / IOBES), as a literal loop over (prefix, type) pairs.
std::vector<Entity> reference_strict(const Tags& seq, Scheme scheme) {
  struct T {
    char p;
    std::string t;
  };
  std::vector<T> toks;
  for (const auto& s : seq) {
    std::string t = s.substr(1);
    while (!t.empty() && t.front() == '-') t.erase(0, 1);
    while (!t.empty() && t.back() == '-') t.pop_back();
    toks.push_back({s[0], t.empty() ? "_" : t});
  }
  toks.push_back({'O', "_"});
  const bool iobes = scheme == Scheme::kIOBES;
  auto start = [&](const T& prev, const T& cur) {
    (void)prev;
    return cur.p == 'B' || (iobes && cur.p == 'S');
  };
  auto inside = [&](const T& prev, const T& cur) {
    if (prev.t != cur.t) return false;
    if (iobes) return (prev.p == 'B' || prev.p == 'I') && (cur.p == 'I' || cur.p == 'E');
    return (prev.p == 'B' || prev.p == 'I') && cur.p == 'I';
  };
  auto is_end = [&](const T& prev, const T& cur) {
    if (iobes) return prev.p == 'S' || prev.p == 'E';
    const bool same = prev.t == cur.t;
    return (prev.p == 'I' && (cur.p == 'O' || cur.p == 'B' || (cur.p == 'I' && !same))) ||
           (prev.p == 'B' && (cur.p == 'O' || cur.p == 'B' || (cur.p == 'I' && !same)));
  };
  std::vector<Entity> out;
  std::size_t i = 0;
  T prev{'O', "_"};
  while (i < toks.size()) {
    if (start(prev, toks[i])) {
      std::size_t end = i + 1;
      T last = toks[i];
      while (inside(last, toks[end])) last = toks[end++];
      if (is_end(toks[end - 1], toks[end])) out.emplace_back(toks[i].t, i, end);
      i = end;
    } else {
      ++i;
    }
    prev = toks[i - 1];
  }
  return out;
}

TEST(ReferenceDecoders, DefaultModeMatchesOnRandomTags) {
  std::mt19937 rng(99);
  for (int round = 0; round < 20000; ++round) {
    const Tags tags = random_tags(rng, kPool);
    ASSERT_EQ(decode(tags, DecodeMode::kDefault, std::nullopt), reference_default(tags)) << round;
  }
}

TEST(ReferenceDecoders, StrictModeMatchesOnRandomTags) {
  std::mt19937 rng(7);
  const Tags iob2{"O", "O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B", "I", "I-A-B", "B-A-B", "B--"};
  const Tags iobes{"O",     "B-PER", "I-PER", "E-PER", "S-PER", "B-LOC",
                   "I-LOC", "E-LOC", "S-LOC", "S",     "E"};
  for (int round = 0; round < 20000; ++round) {
    const Tags a = random_tags(rng, iob2);
    ASSERT_EQ(decode(a, DecodeMode::kStrict, Scheme::kIOB2), reference_strict(a, Scheme::kIOB2))
        << round;
    const Tags b = random_tags(rng, iobes);
    ASSERT_EQ(decode(b, DecodeMode::kStrict, Scheme::kIOBES), reference_strict(b, Scheme::kIOBES))
        << round;
  }
}

// seqeval's tests/test_metrics.py test_statistical_tests: on random BIO and EIO data, seqeval's
// default-mode precision, recall and F1 equal conlleval's.
TEST(ReferenceDecoders, DefaultModeScoresEqualConllevalOnIobAndIoeData) {
  std::mt19937 rng(2024);
  for (const std::string prefixes : {"BIO", "EIO"}) {
    for (int round = 0; round < 200; ++round) {
      EntityEvaluator seqeval({});
      ConllevalCounter conlleval;
      Tags gold, pred;
      auto tag = [&]() -> std::string {
        const char p = prefixes[rng() % 3];
        return p == 'O' ? "O" : std::string(1, p) + "-" + kLabels[rng() % kLabels.size()];
      };
      for (int i = 0; i < 300; ++i) {
        gold.push_back(tag());
        pred.push_back(tag());
        if (rng() % 20 == 0 || i == 299) {
          seqeval.add(gold, pred);
          conlleval.add(gold, pred);
          gold.clear();
          pred.clear();
        }
      }
      const EntityReport s = seqeval.report();
      const ConllevalReport c = conlleval.report();
      ASSERT_NEAR(s.micro.precision * 100, c.precision, 1e-9) << prefixes << round;
      ASSERT_NEAR(s.micro.recall * 100, c.recall, 1e-9) << prefixes << round;
      ASSERT_NEAR(s.micro.f1 * 100, c.fb1, 1e-9) << prefixes << round;
      ASSERT_NEAR(s.accuracy() * 100, c.accuracy, 1e-9) << prefixes << round;
    }
  }
}

}  // namespace
}  // namespace spanloop::text
