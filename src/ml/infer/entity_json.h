// Entities as transformers' pipeline prints them: JSON objects {entity|entity_group, score,
// [index,] word, start, end}.
#pragma once

#include <string>

#include "ml/infer/entity.h"

namespace spanloop::ml {

// A JSON array of the entities; `entity` + `index` keys for aggregation none, `entity_group`
// otherwise. Scores as float32 values (shortest round-trip form).
std::string entities_to_json(const Entities& entities, Aggregation aggregation);

// One output line of `spanloop predict`: {"id": ID, "entities": [...]}.
std::string prediction_json_line(const std::string& id, const Entities& entities,
                                 Aggregation aggregation);

}  // namespace spanloop::ml
