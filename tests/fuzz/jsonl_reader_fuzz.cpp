// libFuzzer target: JSONL spans and JSONL tokens reading, tagging the span records with every
// pre-tokenizer and writing both formats back.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "text/error.h"
#include "text/jsonl_spans.h"
#include "text/jsonl_tokens.h"
#include "text/record_convert.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spanloop::text;
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
  const bool skip = mode & 1;
  static const auto whitespace = make_pretokenizer("whitespace");
  static const auto bert = make_pretokenizer("bert");
  static const auto regex = make_pretokenizer("regex:\\w+|[^\\w\\s]");
  const PreTokenizer* pre[] = {whitespace.get(), bert.get(), regex.get()};
  try {
    std::istringstream in(input);
    JsonlSpansReader reader(in, "fuzz.jsonl", {skip});
    std::ostringstream out;
    JsonlSpansWriter writer(out, "fuzz.out");
    SpanRecord r;
    while (reader.next(r)) {
      writer.write(r);
      std::vector<std::string> labels;
      for (const auto& s : r.spans) {
        if (std::find(labels.begin(), labels.end(), s.label) == labels.end())
          labels.push_back(s.label);
      }
      try {
        SpanTagger tagger(LabelMap(labels, static_cast<Scheme>((mode >> 1) % 7)),
                          {static_cast<AlignmentPolicy>((mode >> 4) % 5),
                           static_cast<OverlapPolicy>((mode >> 2) % 4)});
        const TokenRecord tokens = to_token_record(r, tagger, *pre[(mode >> 3) % 3]);
        (void)to_span_record(tokens, DecodeMode::kDefault);
      } catch (const spanloop::Error&) {
      }
    }
  } catch (const spanloop::Error&) {
  }
  try {
    std::istringstream in(input);
    JsonlTokensReader reader(in, "fuzz.jsonl", {"O", "B-A", "I-A"}, {skip});
    std::ostringstream out;
    JsonlTokensWriter writer(out, "fuzz.out", LabelMap({"A"}, Scheme::kIOB2), {2, true});
    TokenRecord r;
    while (reader.next(r)) {
      try {
        writer.write(r);
      } catch (const spanloop::Error&) {
      }
    }
  } catch (const spanloop::Error&) {
  }
  return 0;
}
