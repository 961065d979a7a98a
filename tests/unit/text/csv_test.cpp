// CSV/TSV: RFC 4180 quoting, embedded newlines, the column mapping, errors, writing.
#include "text/csv.h"

#include <gtest/gtest.h>

#include <sstream>

#include "support/test_support.h"

namespace spanloop::text {
namespace {

TEST(Csv, ClaimsFixtureWithColumnMapping) {
  CsvSpansReader reader(testing::test_data_dir() / "text" / "formats" / "claims.csv", ',',
                        CsvColumns::parse("text=text,id=publication_number+sequence_id"));
  EXPECT_EQ(reader.header(),
            (std::vector<std::string>{"publication_number", "sequence_id", "text"}));
  SpanRecord r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.id, "US-0000001-B2:1");
  EXPECT_EQ(r.text, "A sensor comprising: a housing, and\r\na probe at \u2264 5 \u00b5m.");
  EXPECT_EQ(r.line, 2u);
  EXPECT_TRUE(r.spans.empty());
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.text, "The sensor of claim 1, wherein the \"probe\" is \u03ba-doped.");
  EXPECT_EQ(r.line, 4u);
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.id, "US-0000002-A1:1");
  EXPECT_EQ(r.text, "Plain claim text without quotes");
  EXPECT_FALSE(reader.next(r));
}

TEST(Csv, DefaultColumnsSpansAndExtras) {
  std::istringstream in(
      "\xEF\xBB\xBFid,text,spans,source\n"
      "r1,\"\u03ba, \u00b5\",\"[{\"\"start\"\": 0, \"\"end\"\": 1, \"\"label\"\": "
      "\"\"X\"\"}]\",claims\n"
      "r2,plain,,\"a \"\"b\"\"\"\n");
  CsvSpansReader reader(in, "s.csv");
  SpanRecord r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.id, "r1");
  EXPECT_EQ(r.text, "\u03ba, \u00b5");
  EXPECT_EQ(r.spans, (std::vector<Span>{{0, 1, "X"}}));
  EXPECT_EQ(r.extra, (Fields{{"source", "\"claims\""}}));
  ASSERT_TRUE(reader.next(r));
  EXPECT_TRUE(r.spans.empty());
  EXPECT_EQ(r.extra, (Fields{{"source", "\"a \\\"b\\\"\""}}));
}

TEST(Csv, Tsv) {
  std::istringstream in("text\tid\n\"a\tb\"\t1\nplain \"quote\tx\n");
  CsvSpansReader reader(in, "s.tsv", '\t');
  SpanRecord r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.text, "a\tb");
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.text, "plain \"quote") << "a stray quote in an unquoted field is kept";
  EXPECT_EQ(r.id, "x");
}

TEST(Csv, ErrorsNameFileAndLine) {
  auto first_error = [](const std::string& content, CsvColumns columns = {}) {
    std::istringstream in(content);
    CsvSpansReader reader(in, "c.csv", ',', columns);
    SpanRecord r;
    while (reader.next(r)) {
    }
  };
  EXPECT_ERROR_KIND(first_error("id,text\n1,\"open\nstill open\n"), ErrorKind::kInvalidArgument,
                    "c.csv:2: unterminated quoted field (the quote opened on line 2)");
  EXPECT_ERROR_KIND(first_error("id,text\n1,a,b\n"), ErrorKind::kInvalidArgument,
                    "c.csv:2: 3 fields, the header has 2");
  EXPECT_ERROR_KIND(first_error("id,text\n1,\"a\"b\n"), ErrorKind::kInvalidArgument,
                    "c.csv:2: unexpected character 'b' after a closing quote");
  EXPECT_ERROR_KIND(first_error("id,body\n1,a\n"), ErrorKind::kInvalidArgument,
                    "c.csv:1: no column 'text' (columns: id, body)");
  EXPECT_ERROR_KIND(first_error("text,spans\nab,[{\n"), ErrorKind::kInvalidArgument,
                    "c.csv:2: column 'spans': invalid JSON");
  EXPECT_ERROR_KIND(
      first_error("text,spans\nab,\"[{\"\"start\"\":0,\"\"end\"\":5,\"\"label\"\":\"\"X\"\"}]\"\n"),
      ErrorKind::kInvalidArgument, "ends past the end of the text (2 code points)");
  EXPECT_ERROR_KIND(first_error(""), ErrorKind::kInvalidArgument, "c.csv:1: no header row");
  EXPECT_ERROR_KIND(first_error("id,text\n1,\xff\n"), ErrorKind::kInvalidArgument,
                    "c.csv:2: invalid UTF-8");
  EXPECT_ERROR_KIND(CsvColumns::parse("text"), ErrorKind::kInvalidArgument, "not KEY=COLUMN");
  EXPECT_ERROR_KIND(CsvColumns::parse("body=x"), ErrorKind::kInvalidArgument,
                    "unknown column mapping key 'body'");
}

TEST(Csv, SkipInvalidResumesAfterTheBadRecord) {
  std::istringstream in("id,text\n1,a,extra\n2,\"x\"y\n3,ok\n");
  CsvSpansReader reader(in, "c.csv", ',', {}, {true});
  SpanRecord r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.id, "3");
  EXPECT_FALSE(reader.next(r));
  EXPECT_EQ(reader.skipped(), 2u);
}

TEST(Csv, WriterQuotesAndRoundTrips) {
  std::stringstream buffer;
  CsvSpansWriter writer(buffer, "o.csv");
  SpanRecord a{
      "US-1:1", "a, \"b\"\r\nc \u2264", {{0, 1, "X"}}, {{"source", "\"claims\""}, {"n", "3"}}, 0};
  SpanRecord b{"2", "plain", {}, {{"n", "4"}}, 0};
  writer.write(a);
  writer.write(b);
  SpanRecord c{"3", "x", {}, {{"other", "1"}}, 0};
  EXPECT_ERROR_KIND(writer.write(c), ErrorKind::kInvalidArgument, "field 'other' is not a column");
  writer.close();
  EXPECT_EQ(buffer.str().substr(0, 21), "id,text,spans,source,");
  CsvSpansReader reader(buffer, "o.csv");
  SpanRecord r;
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.text, a.text);
  EXPECT_EQ(r.spans, a.spans);
  EXPECT_EQ(r.extra, (Fields{{"source", "\"claims\""}, {"n", "\"3\""}}));
  ASSERT_TRUE(reader.next(r));
  EXPECT_EQ(r.extra, (Fields{{"source", "\"\""}, {"n", "\"4\""}}));
}

}  // namespace
}  // namespace spanloop::text
