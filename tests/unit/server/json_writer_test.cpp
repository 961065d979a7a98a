// JsonWriter must write what nlohmann's dump (as json_response calls it) writes for the same
// values: escapes, non-ASCII text, invalid UTF-8 replaced, commas in nested containers.
#include "server/json_writer.h"

#include <gtest/gtest.h>

#include <random>

namespace spanloop::server {
namespace {

std::string dumped(const nlohmann::json& v) {
  return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

TEST(JsonWriterTest, StringsMatchNlohmannIncludingEscapesAndInvalidUtf8) {
  const std::vector<std::string> cases = {
      "",
      "plain ascii claim text, with commas.",
      "quote \" backslash \\ slash / tab \t newline \n cr \r bs \b ff \f",
      std::string("nul \0 bell \x07 esc \x1b del \x7f", 27),
      "κ-value ≤ 5 µm at 20 °C — 日本語 🙂",
      "bad \xff byte",
      "truncated \xe2\x82",
      "surrogate \xed\xa0\x80 overlong \xc0\xaf",
  };
  for (const auto& s : cases) {
    JsonWriter w;
    w.string(s);
    EXPECT_EQ(w.take(), dumped(s)) << "for " << ::testing::PrintToString(s);
  }
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string s(rng() % 24, '\0');
    for (auto& c : s) c = static_cast<char>(rng() % 256);
    JsonWriter w;
    w.string(s);
    EXPECT_EQ(w.take(), dumped(s)) << "for " << ::testing::PrintToString(s);
  }
}

TEST(JsonWriterTest, NestedContainersGetCommasWhereNlohmannPutsThem) {
  JsonWriter w;
  w.begin_object();
  w.key("a").begin_array().number(1).number(-2).null().begin_object().end_object().end_array();
  w.key("b").begin_object().key("x").string("y").key("z").value(nlohmann::json{0.5, true});
  w.end_object();
  w.key("empty").begin_array().end_array();
  w.key("big").number(INT64_MIN);
  w.end_object();
  EXPECT_EQ(
      w.take(),
      R"({"a":[1,-2,null,{}],"b":{"x":"y","z":[0.5,true]},"empty":[],"big":-9223372036854775808})");
}

}  // namespace
}  // namespace spanloop::server
