// CoNLL reading (columns, -DOCSTART-, CRLF, errors, skip_invalid) and writing.
#include "text/conll.h"

#include <gtest/gtest.h>

#include <sstream>

#include "support/test_support.h"

namespace spanloop::text {
namespace {

using Strings = std::vector<std::string>;

Strings texts(const TokenRecord& r) {
  Strings out;
  for (const auto& t : r.tokens) out.push_back(t.text);
  return out;
}

TEST(ConllReader, Conll2003Sample) {
  ConllReader reader(testing::test_data_dir() / "text" / "formats" / "conll2003_sample.txt");
  TokenRecord r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.id, "1");
  EXPECT_EQ(r.line, 3u);
  EXPECT_TRUE(r.document_start);
  EXPECT_EQ(texts(r), (Strings{"Acme", "Corp", "sued", "Beta", "Labs", "in", "Paris", "."}));
  ASSERT_EQ(r.tags.size(), 1u);
  EXPECT_EQ(r.tags[0], (Strings{"I-ORG", "I-ORG", "O", "I-ORG", "I-ORG", "O", "I-LOC", "O"}));
  EXPECT_EQ(r.text, "Acme Corp sued Beta Labs in Paris .");
  EXPECT_EQ(r.tokens[6].start, 28u);
  EXPECT_EQ(r.tokens[6].end, 33u);
  ASSERT_TRUE(reader.next(r));
  EXPECT_FALSE(r.document_start);
  EXPECT_EQ(r.tags[0][2], "B-PER");
  ASSERT_TRUE(reader.next(r));
  EXPECT_TRUE(r.document_start);
  EXPECT_EQ(r.id, "3");
  EXPECT_EQ(texts(r), (Strings{"Munich"}));
  EXPECT_FALSE(reader.next(r));
  EXPECT_EQ(reader.documents(), 2u);
}

TEST(ConllReader, TagColumnChoiceLayersAndCrlf) {
  std::istringstream in(
      "EU NNP I-NP I-ORG\r\nrejects VBZ I-VP O\r\n\r\n\r\n  \t\nGerman JJ I-NP I-MISC");
  ConllReader reader(in, "mem.conll", {0, {1, 3}, false});
  TokenRecord r;
  ASSERT_TRUE(reader.next(r));
  ASSERT_EQ(r.tags.size(), 2u);
  EXPECT_EQ(r.tags[0], (Strings{"NNP", "VBZ"}));
  EXPECT_EQ(r.tags[1], (Strings{"I-ORG", "O"}));
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.line, 6u);
  EXPECT_EQ(r.tags[1], (Strings{"I-MISC"}));
  EXPECT_FALSE(reader.next(r));
}

TEST(ConllReader, TabSeparatedTokensMayHoldSpaces) {
  std::istringstream in("New York\tB-LOC\n\u00b5m\tO\n");
  ConllReader reader(in, "wnut.conll", {0, {}, true});
  TokenRecord r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(texts(r), (Strings{"New York", "\u00b5m"}));
  EXPECT_EQ(r.text, "New York \u00b5m");
  EXPECT_EQ(r.tokens[1].start, 9u);
  EXPECT_EQ(r.tokens[1].end, 11u);
}

TEST(ConllReader, MissingColumnNamesFileAndLine) {
  std::istringstream in("EU NNP I-NP I-ORG\nrejects\n\nok NNP I-NP O\n");
  ConllReader reader(in, "train.conll", {0, {3}, false});
  TokenRecord r;
  EXPECT_ERROR_KIND(reader.next(r), ErrorKind::kInvalidArgument,
                    "train.conll:2: tag column 4 missing (the line has 1 columns)");
}

TEST(ConllReader, SkipInvalidSkipsTheSentenceAndReports) {
  std::istringstream in("EU I-ORG\nrejects\nx O\n\nbad \xff O\n\nok O\n");
  ConllReader reader(in, "t.conll", {}, {true});
  TokenRecord r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.id, "3");
  EXPECT_EQ(texts(r), (Strings{"ok"}));
  EXPECT_FALSE(reader.next(r));
  ASSERT_EQ(reader.problems().size(), 2u);
  EXPECT_EQ(reader.skipped(), 2u);
  EXPECT_EQ(reader.problems()[0].to_string(),
            "t.conll:2: tag column 2 missing (the line has 1 columns)");
  EXPECT_EQ(reader.problems()[1].to_string(), "t.conll:5: invalid UTF-8 at byte 4 of the line");
}

TEST(ConllReader, MissingFileIsNotFound) {
  EXPECT_ERROR_KIND(ConllReader("/nonexistent/x.conll"), ErrorKind::kNotFound,
                    "/nonexistent/x.conll");
}

TEST(ConllWriter, WritesSentencesDocumentsAndLayers) {
  TokenRecord r;
  r.id = "s1";
  r.document_start = true;
  set_tokens_joined(r, {"\u03ba-type", "magnet"});
  r.tags = {{"B-Material", "I-Material"}, {"O", "B-Shape"}};
  std::ostringstream out;
  ConllWriter writer(out, "out.conll");
  writer.write(r);
  TokenRecord empty;
  empty.tags = {{}};
  writer.write(empty);  // nothing to write
  writer.close();
  EXPECT_EQ(out.str(), "-DOCSTART- O O\n\n\u03ba-type B-Material O\nmagnet I-Material B-Shape\n\n");
  std::istringstream back(out.str());
  ConllReader reader(back, "back", {0, {1, 2}, false});
  TokenRecord again;
  ASSERT_TRUE(reader.next(again));
  EXPECT_TRUE(again.document_start);
  EXPECT_EQ(again.tags, r.tags);
}

TEST(ConllWriter, RejectsWhatCoNLLCannotHold) {
  std::ostringstream out;
  ConllWriter writer(out, "out.conll");
  TokenRecord r;
  r.id = "r7";
  set_tokens_joined(r, {"New York"});
  r.tags = {{"B-LOC"}};
  EXPECT_ERROR_KIND(writer.write(r), ErrorKind::kInvalidArgument,
                    "cannot write record 'r7' as CoNLL to out.conll: token 0 'New York' is empty "
                    "or contains whitespace");
  r.tags = {{"B-LOC", "O"}};
  EXPECT_ERROR_KIND(writer.write(r), ErrorKind::kInvalidArgument, "2 tags for 1 tokens");
}

}  // namespace
}  // namespace spanloop::text
