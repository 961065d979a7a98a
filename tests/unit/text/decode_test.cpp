// Tags -> entities: seqeval default mode, strict mode per scheme (seqeval's own test vectors),
// conlleval chunking, scheme detection and tags_to_spans.
#include "text/decode.h"

#include <gtest/gtest.h>

#include <sstream>

#include "support/test_support.h"

namespace spanloop::text {
namespace {

// Entities of `tags` as "TYPE begin end" lines (end exclusive).
std::string entities(const std::vector<std::string>& tags, DecodeMode mode,
                     std::optional<Scheme> scheme = std::nullopt) {
  TagSet set;
  std::vector<TagId> ids;
  for (const auto& t : tags) ids.push_back(set.intern(t));
  std::ostringstream out;
  for (const Chunk& c : decode_chunks(ids, set, mode, scheme)) {
    out << set.type_name(c.type) << " " << c.begin << " " << c.end << ";";
  }
  return out.str();
}

struct Case {
  std::vector<std::string> tags;
  std::string expected;
};

void expect_strict(Scheme scheme, const std::vector<Case>& cases) {
  for (const Case& c : cases) {
    std::string joined;
    for (const auto& t : c.tags) joined += t + " ";
    EXPECT_EQ(entities(c.tags, DecodeMode::kStrict, scheme), c.expected)
        << scheme_name(scheme) << ": " << joined;
  }
}

// Expected entities are those listed in seqeval's tests/test_scheme.py (test_*_tokens).
TEST(StrictDecode, Iob1MatchesSeqevalTests) {
  expect_strict(Scheme::kIOB1, {{{}, ""},
                                {{"B-PER"}, ""},
                                {{"I-PER"}, "PER 0 1;"},
                                {{"O", "I-PER"}, "PER 1 2;"},
                                {{"O", "B-PER"}, ""},
                                {{"I-PER", "O"}, "PER 0 1;"},
                                {{"I-PER", "I-PER"}, "PER 0 2;"},
                                {{"I-PER", "I-ORG"}, "PER 0 1;ORG 1 2;"},
                                {{"I-PER", "B-PER"}, "PER 0 1;PER 1 2;"},
                                {{"I-PER", "B-ORG"}, "PER 0 1;"},
                                {{"B-PER", "O"}, ""},
                                {{"B-PER", "I-PER"}, "PER 1 2;"},
                                {{"B-PER", "I-ORG"}, "ORG 1 2;"},
                                {{"B-PER", "B-PER"}, "PER 1 2;"},
                                {{"B-PER", "B-ORG"}, ""},
                                {{"I", "B"}, "_ 0 1;_ 1 2;"},
                                {{"B", "I"}, "_ 1 2;"}});
}

TEST(StrictDecode, Iob2MatchesSeqevalTests) {
  expect_strict(Scheme::kIOB2, {{{"B-PER"}, "PER 0 1;"},
                                {{"I-PER"}, ""},
                                {{"O", "I-PER"}, ""},
                                {{"O", "B-PER"}, "PER 1 2;"},
                                {{"I-PER", "O"}, ""},
                                {{"I-PER", "I-PER"}, ""},
                                {{"I-PER", "B-PER"}, "PER 1 2;"},
                                {{"I-PER", "B-ORG"}, "ORG 1 2;"},
                                {{"B-PER", "O"}, "PER 0 1;"},
                                {{"B-PER", "I-PER"}, "PER 0 2;"},
                                {{"B-PER", "I-ORG"}, "PER 0 1;"},
                                {{"B-PER", "B-PER"}, "PER 0 1;PER 1 2;"},
                                {{"B-PER", "B-ORG"}, "PER 0 1;ORG 1 2;"},
                                {{"B", "I"}, "_ 0 2;"}});
}

TEST(StrictDecode, Ioe1MatchesSeqevalTests) {
  expect_strict(Scheme::kIOE1, {{{"E-PER"}, ""},
                                {{"I-PER"}, "PER 0 1;"},
                                {{"O", "I-PER"}, "PER 1 2;"},
                                {{"O", "E-PER"}, ""},
                                {{"I-PER", "O"}, "PER 0 1;"},
                                {{"I-PER", "I-PER"}, "PER 0 2;"},
                                {{"I-PER", "I-ORG"}, "PER 0 1;ORG 1 2;"},
                                {{"I-PER", "E-ORG"}, "PER 0 1;"},
                                {{"E-PER", "O"}, ""},
                                {{"E-PER", "I-PER"}, "PER 1 2;"},
                                {{"E-PER", "I-ORG"}, "ORG 1 2;"},
                                {{"E-PER", "E-PER"}, ""},
                                {{"E-PER", "E-ORG"}, ""}});
}

TEST(StrictDecode, Ioe2MatchesSeqevalTests) {
  expect_strict(Scheme::kIOE2, {{{"E-PER"}, "PER 0 1;"},
                                {{"I-PER"}, ""},
                                {{"O", "E-PER"}, "PER 1 2;"},
                                {{"I-PER", "E-PER"}, "PER 0 2;"},
                                {{"I-PER", "E-ORG"}, "ORG 1 2;"},
                                {{"E-PER", "O"}, "PER 0 1;"},
                                {{"E-PER", "I-PER"}, "PER 0 1;"},
                                {{"E-PER", "E-PER"}, "PER 0 1;PER 1 2;"},
                                {{"E-PER", "E-ORG"}, "PER 0 1;ORG 1 2;"},
                                {{"I", "E"}, "_ 0 2;"}});
}

TEST(StrictDecode, IobesMatchesSeqevalTests) {
  expect_strict(Scheme::kIOBES, {{{"S-PER"}, "PER 0 1;"},
                                 {{"B-PER"}, ""},
                                 {{"E-PER"}, ""},
                                 {{"O", "S-PER"}, "PER 1 2;"},
                                 {{"I-PER", "S-PER"}, "PER 1 2;"},
                                 {{"B-PER", "I-PER"}, ""},
                                 {{"B-PER", "E-PER"}, "PER 0 2;"},
                                 {{"B-PER", "E-ORG"}, ""},
                                 {{"B-PER", "S-PER"}, "PER 1 2;"},
                                 {{"E-PER", "S-PER"}, "PER 1 2;"},
                                 {{"S-PER", "I-PER"}, "PER 0 1;"},
                                 {{"S-PER", "E-PER"}, "PER 0 1;"},
                                 {{"S-PER", "S-PER"}, "PER 0 1;PER 1 2;"},
                                 {{"B", "E"}, "_ 0 2;"}});
}

TEST(StrictDecode, Bilou) {
  expect_strict(Scheme::kBILOU, {{{"U-PER"}, "PER 0 1;"},
                                 {{"B-PER", "I-PER", "L-PER"}, "PER 0 3;"},
                                 {{"B-PER", "L-ORG"}, ""},
                                 {{"U-A", "U-A", "B-B", "L-B"}, "A 0 1;A 1 2;B 2 4;"}});
}

TEST(StrictDecode, InvalidPrefixesAreErrors) {
  EXPECT_ERROR_KIND(entities({"O", "S-PER"}, DecodeMode::kStrict, Scheme::kIOB2),
                    ErrorKind::kInvalidArgument,
                    "tag 'S-PER' at token 1 is not valid in strict mode for scheme IOB2");
  EXPECT_ERROR_KIND(entities({"X-PER"}, DecodeMode::kStrict, Scheme::kIOBES),
                    ErrorKind::kInvalidArgument, "tag 'X-PER' at token 0");
  EXPECT_ERROR_KIND(entities({"U-PER"}, DecodeMode::kStrict, Scheme::kIOBES),
                    ErrorKind::kInvalidArgument, "'U-PER'");
  EXPECT_ERROR_KIND(entities({"I-PER"}, DecodeMode::kStrict, Scheme::kIO),
                    ErrorKind::kInvalidArgument, "no rules for the IO scheme");
  EXPECT_ERROR_KIND(entities({"I-PER"}, DecodeMode::kStrict), ErrorKind::kInvalidArgument,
                    "needs a scheme");
}

// seqeval get_entities examples (tests/test_metrics.py and the docstring), ends exclusive.
TEST(DefaultDecode, MatchesSeqevalGetEntities) {
  EXPECT_EQ(entities({"O", "O", "O", "B-MISC", "I-MISC", "I-MISC", "O", "B-PER", "I-PER"},
                     DecodeMode::kDefault),
            "MISC 3 6;PER 7 9;");
  EXPECT_EQ(entities({"B-PER", "I-PER", "O", "B-LOC"}, DecodeMode::kDefault), "PER 0 2;LOC 3 4;");
  EXPECT_EQ(entities({"O", "O", "O", "B", "I", "I", "O"}, DecodeMode::kDefault), "_ 3 6;");
}

TEST(DefaultDecode, LenientRules) {
  EXPECT_EQ(entities({"I-PER", "I-PER", "O", "I-LOC"}, DecodeMode::kDefault), "PER 0 2;LOC 3 4;");
  EXPECT_EQ(entities({"B-PER", "I-LOC"}, DecodeMode::kDefault), "PER 0 1;LOC 1 2;");
  EXPECT_EQ(entities({"B-PER", "E-PER", "I-PER"}, DecodeMode::kDefault), "PER 0 2;PER 2 3;");
  EXPECT_EQ(entities({"S-PER", "S-PER", "E-PER"}, DecodeMode::kDefault),
            "PER 0 1;PER 1 2;PER 2 3;");
  EXPECT_EQ(entities({"I-A-B", "I-A-B"}, DecodeMode::kDefault), "A-B 0 2;");
  // Non-ASCII first character: the tag is one code point, the type is after its '-'.
  EXPECT_EQ(entities({"\u00c9-X", "O"}, DecodeMode::kDefault), "X 0 1;");
}

TEST(DefaultDecode, DecoderCarriesStateAcrossSentencesLikeSeqeval) {
  TagSet set;
  const TagId b_per = set.intern("B-PER"), x = set.intern("X"), b_loc = set.intern("B-LOC");
  DefaultDecoder d;
  std::vector<Chunk> out;
  d.feed(set.parsed(b_per), out);
  d.end_sentence(out);
  d.feed(set.parsed(x), out);
  d.feed(set.parsed(b_loc), out);
  d.end_sentence(out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0], (Chunk{0, 1, *set.find_type("PER")}));
  EXPECT_EQ(out[1], (Chunk{0, 3, TagSet::kUnderscoreType})) << "the '_' chunk starts at 0";
  EXPECT_EQ(out[2], (Chunk{3, 4, *set.find_type("LOC")}));
  EXPECT_EQ(d.position(), 5u);
}

TEST(ConllevalDecode, Chunks) {
  EXPECT_EQ(entities({"I-LOC", "O", "I-PER", "I-PER", "B-PER"}, DecodeMode::kConlleval),
            "LOC 0 1;PER 2 4;PER 4 5;");
  // No S- rule: adjacent S-X merge; a type change still splits.
  EXPECT_EQ(entities({"S-X", "S-X", "S-Y"}, DecodeMode::kConlleval), "X 0 2;Y 2 3;");
  // Type after the first '-', "0" read as no type by Perl.
  EXPECT_EQ(entities({"B-A-B", "I-A-B"}, DecodeMode::kConlleval), "A-B 0 2;");
}

TEST(SchemeDetector, LikeSeqevalAutoDetect) {
  auto detect = [](std::vector<std::string> tags) {
    TagSet set;
    SchemeDetector d;
    for (const auto& t : tags) d.add(set.parsed(set.intern(t)));
    return d.detect();
  };
  EXPECT_EQ(detect({"B-X", "I-X", "O"}), Scheme::kIOB2);
  EXPECT_EQ(detect({"B-X"}), Scheme::kIOB2);
  EXPECT_EQ(detect({"I-X", "E-X", "O"}), Scheme::kIOE2);
  EXPECT_EQ(detect({"S-X", "O"}), std::nullopt);
  EXPECT_EQ(detect({"S-X"}), Scheme::kIOBES);
  EXPECT_EQ(detect({"B-X", "E-X", "O"}), Scheme::kIOBES);
  EXPECT_EQ(detect({"U-X", "B-X", "L-X"}), Scheme::kBILOU);
  EXPECT_EQ(detect({"O"}), std::nullopt);
  EXPECT_EQ(detect({"I-X", "O"}), std::nullopt);
  EXPECT_EQ(detect({"Z-X"}), std::nullopt);
}

TEST(TagsToSpans, MapsTokensToCharacterOffsets) {
  // "A κ-type magnet" with tokens A[0,1) κ-type[2,8) magnet[9,15).
  const std::vector<Token> tokens{{"A", 0, 1}, {"\u03ba-type", 2, 8}, {"magnet", 9, 15}};
  const std::vector<std::string> tags{"O", "B-Material", "I-Material"};
  EXPECT_EQ(tags_to_spans(tags, tokens, DecodeMode::kDefault),
            (std::vector<Span>{{2, 15, "Material"}}));
  EXPECT_EQ(tags_to_spans(tags, tokens, DecodeMode::kStrict, Scheme::kIOB2),
            (std::vector<Span>{{2, 15, "Material"}}));
  const std::vector<std::string> short_tags{"O"};
  EXPECT_ERROR_KIND(tags_to_spans(short_tags, tokens, DecodeMode::kDefault),
                    ErrorKind::kInvalidArgument, "1 tags for 3 tokens");
  EXPECT_EQ(parse_decode_mode("conlleval"), DecodeMode::kConlleval);
  EXPECT_ERROR_KIND(parse_decode_mode("lenient"), ErrorKind::kInvalidArgument, "'lenient'");
}

}  // namespace
}  // namespace spanloop::text
