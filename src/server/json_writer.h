// JsonWriter: appends JSON text straight to a string. Record listings and bulk echoes are the
// largest responses; building a nlohmann tree first and dumping it cost as much as storing them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace spanloop::server {

class JsonWriter {
 public:
  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  JsonWriter& key(std::string_view name);
  // Invalid UTF-8 is written as U+FFFD, as json_response does.
  JsonWriter& string(std::string_view s);
  JsonWriter& number(std::int64_t v);
  JsonWriter& null();
  // Any other value, through nlohmann (numbers with fractions, nested answers).
  JsonWriter& value(const nlohmann::json& v);

  std::string take() { return std::move(out_); }

 private:
  JsonWriter& open(char c);
  JsonWriter& close(char c);
  void separate();  // a comma unless this is the first element or a key's value

  std::string out_;
};

}  // namespace spanloop::server
