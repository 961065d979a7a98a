// Typed JSON member access with 422 messages.
#include "server/json_read.h"

#include "text/error.h"

namespace spanloop::server::json_read {
namespace {

std::string path(std::string_view where, std::string_view key) {
  std::string out(where);
  if (!out.empty()) out += '.';
  out += key;
  return out;
}

const json* find(const json& obj, std::string_view key) {
  auto it = obj.find(std::string(key));
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

}  // namespace

const json& object(const json& value, std::string_view where) {
  if (!value.is_object()) throw_invalid("`" + std::string(where) + "` must be a JSON object");
  return value;
}

const json& required(const json& obj, std::string_view key, std::string_view where) {
  const json* v = find(obj, key);
  if (!v) throw_invalid("missing required key `" + path(where, key) + "`");
  return *v;
}

std::string as_string(const json& value, std::string_view where) {
  if (!value.is_string()) throw_invalid("`" + std::string(where) + "` must be a string");
  return value.get<std::string>();
}

std::int64_t as_int(const json& value, std::string_view where) {
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_number_float()) {
    double d = value.get<double>();
    if (d == static_cast<double>(static_cast<std::int64_t>(d))) return static_cast<std::int64_t>(d);
  }
  throw_invalid("`" + std::string(where) + "` must be an integer");
}

double as_number(const json& value, std::string_view where) {
  if (!value.is_number()) throw_invalid("`" + std::string(where) + "` must be a number");
  return value.get<double>();
}

bool as_bool(const json& value, std::string_view where) {
  if (!value.is_boolean()) throw_invalid("`" + std::string(where) + "` must be true or false");
  return value.get<bool>();
}

std::string string(const json& obj, std::string_view key, std::string_view where) {
  return as_string(required(obj, key, where), path(where, key));
}

std::optional<std::string> opt_string(const json& obj, std::string_view key,
                                      std::string_view where) {
  const json* v = find(obj, key);
  if (!v) return std::nullopt;
  return as_string(*v, path(where, key));
}

std::optional<std::optional<std::string>> nullable_string(const json& obj, std::string_view key,
                                                          std::string_view where) {
  auto it = obj.find(std::string(key));
  if (it == obj.end()) return std::nullopt;
  if (it->is_null()) return std::optional<std::string>{};
  return std::optional<std::string>{as_string(*it, path(where, key))};
}

std::optional<bool> opt_bool(const json& obj, std::string_view key, std::string_view where) {
  const json* v = find(obj, key);
  if (!v) return std::nullopt;
  return as_bool(*v, path(where, key));
}

std::optional<std::int64_t> opt_int(const json& obj, std::string_view key, std::string_view where) {
  const json* v = find(obj, key);
  if (!v) return std::nullopt;
  return as_int(*v, path(where, key));
}

std::optional<double> opt_number(const json& obj, std::string_view key, std::string_view where) {
  const json* v = find(obj, key);
  if (!v) return std::nullopt;
  return as_number(*v, path(where, key));
}

std::optional<std::vector<std::string>> opt_string_list(const json& obj, std::string_view key,
                                                        std::string_view where) {
  const json* v = find(obj, key);
  if (!v) return std::nullopt;
  if (!v->is_array()) throw_invalid("`" + path(where, key) + "` must be a list of strings");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v->size(); ++i) {
    out.push_back(as_string((*v)[i], path(where, key) + "[" + std::to_string(i) + "]"));
  }
  return out;
}

}  // namespace spanloop::server::json_read
