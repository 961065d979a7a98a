// JSON rendering of entities (see entity_json.h).
#include "ml/infer/entity_json.h"

#include <charconv>
#include <nlohmann/json.hpp>
#include <string>

namespace spanloop::ml {
namespace {

// The float's shortest decimal form as a double, so 0.52146786f prints as 0.52146786 and not as
// 0.5214678645133972.
double shortest(float value) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, value);
  return std::stod(std::string(buf, r.ptr));
}

nlohmann::ordered_json to_json(const Entities& entities, Aggregation aggregation) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& e : entities) {
    nlohmann::ordered_json j;
    j[aggregation == Aggregation::kNone ? "entity" : "entity_group"] = e.label;
    j["score"] = shortest(e.score);
    if (aggregation == Aggregation::kNone && e.index) j["index"] = *e.index;
    j["word"] = e.word;
    j["start"] = e.start;
    j["end"] = e.end;
    out.push_back(std::move(j));
  }
  return out;
}

std::string dump(const nlohmann::ordered_json& j) {
  // Words can hold U+FFFD from partial byte-level tokens, never invalid UTF-8; replace anyway.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

std::string entities_to_json(const Entities& entities, Aggregation aggregation) {
  return dump(to_json(entities, aggregation));
}

std::string prediction_json_line(const std::string& id, const Entities& entities,
                                 Aggregation aggregation) {
  nlohmann::ordered_json line;
  line["id"] = id;
  line["entities"] = to_json(entities, aggregation);
  return dump(line);
}

}  // namespace spanloop::ml
