// libFuzzer target: CoNLL reading (both column modes, skip and fail), writing back, and decoding
// the tags in every mode. Only spanloop::Error may escape the library; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "text/conll.h"
#include "text/error.h"
#include "text/record_convert.h"

namespace {

void run(const std::string& input, spanloop::text::ConllOptions options, bool skip) {
  using namespace spanloop::text;
  std::istringstream in(input);
  ConllReader reader(in, "fuzz.conll", options, {skip});
  std::ostringstream out;
  ConllWriter writer(out, "fuzz.out");
  TokenRecord r;
  try {
    while (reader.next(r)) {
      try {
        writer.write(r);
      } catch (const spanloop::Error&) {
      }
      for (DecodeMode mode : {DecodeMode::kDefault, DecodeMode::kConlleval, DecodeMode::kStrict}) {
        try {
          const SpanRecord spans = to_span_record(r, mode, Scheme::kIOBES);
          for (const Span& s : spans.spans) {
            if (s.start >= s.end || s.end > r.text.size()) __builtin_trap();
          }
        } catch (const spanloop::Error&) {
        }
      }
    }
  } catch (const spanloop::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the options; the rest is the file.
  const std::uint8_t mode = data[0];
  const std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
  spanloop::text::ConllOptions options;
  options.tab_separated = mode & 1;
  if (mode & 2) options.tag_columns = {static_cast<std::size_t>((mode >> 2) & 3), 1};
  run(input, options, (mode & 16) != 0);
  return 0;
}
