// Reading request JSON into native values with 422 errors that name the offending key.
// Unknown keys are ignored everywhere (the SDK sends extras: id, dataset_id, ...).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spanloop::server::json_read {

using nlohmann::json;

// 422 unless `value` is an object; `where` names it ("body", "settings").
const json& object(const json& value, std::string_view where);
// The member or 422 "missing required key `where.key`".
const json& required(const json& obj, std::string_view key, std::string_view where);

std::string string(const json& obj, std::string_view key, std::string_view where);
// Missing or null: nullopt.
std::optional<std::string> opt_string(const json& obj, std::string_view key,
                                      std::string_view where);
// Missing: nullopt; null: an engaged optional holding nullopt (PATCH "clear this").
std::optional<std::optional<std::string>> nullable_string(const json& obj, std::string_view key,
                                                          std::string_view where);
std::optional<bool> opt_bool(const json& obj, std::string_view key, std::string_view where);
std::optional<std::int64_t> opt_int(const json& obj, std::string_view key, std::string_view where);
std::optional<double> opt_number(const json& obj, std::string_view key, std::string_view where);
std::optional<std::vector<std::string>> opt_string_list(const json& obj, std::string_view key,
                                                        std::string_view where);

// The value as a type, or 422 "`where` must be <type>".
std::string as_string(const json& value, std::string_view where);
std::int64_t as_int(const json& value, std::string_view where);
double as_number(const json& value, std::string_view where);
bool as_bool(const json& value, std::string_view where);

}  // namespace spanloop::server::json_read
