// Internal: the rows of an import file as JSON objects (CSV/TSV cells as strings, JSONL objects
// as they are), one at a time.
#pragma once

#include <cstddef>
#include <istream>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "server/dataio/import.h"

namespace spanloop::dataio::detail {

struct SourceRow {
  std::size_t line = 0;                // where the row starts
  nlohmann::json values;               // column -> value (an object) when problem is empty
  std::optional<std::string> problem;  // malformed row (bad quoting, field count, JSON)
};

class RowSource {
 public:
  virtual ~RowSource() = default;
  // False at the end of the input.
  virtual bool next(SourceRow& row) = 0;
  // The CSV header; nullptr for JSONL (keys vary per row).
  virtual const std::vector<std::string>* header() const = 0;
};

// CSV/TSV read the header row at once (kInvalidArgument when there is none or it is malformed).
std::unique_ptr<RowSource> make_row_source(ImportFormat format, std::istream& in);

}  // namespace spanloop::dataio::detail
