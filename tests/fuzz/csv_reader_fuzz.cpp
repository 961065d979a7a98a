// libFuzzer target: CSV/TSV reading with and without a column mapping, and writing back.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "text/csv.h"
#include "text/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spanloop::text;
  if (size == 0) return 0;
  const std::uint8_t mode = data[0];
  const std::string input(reinterpret_cast<const char*>(data + 1), size - 1);
  CsvColumns columns;
  if (mode & 2) columns = CsvColumns::parse("text=text,id=a+b,spans=s");
  try {
    std::istringstream in(input);
    CsvSpansReader reader(in, "fuzz.csv", (mode & 1) ? '\t' : ',', columns, {(mode & 4) != 0});
    std::stringstream out;
    CsvSpansWriter writer(out, "fuzz.out", (mode & 1) ? '\t' : ',');
    SpanRecord r;
    std::size_t written = 0;
    while (reader.next(r)) {
      try {
        writer.write(r);
        ++written;
      } catch (const spanloop::Error&) {
      }
    }
    // What was written reads back as the same number of records.
    CsvSpansReader again(out, "again.csv", (mode & 1) ? '\t' : ',');
    std::size_t read = 0;
    while (again.next(r)) ++read;
    if (written > 0 && read != written) __builtin_trap();
  } catch (const spanloop::Error&) {
  }
  return 0;
}
