// JSON for timestamps, metadata, users and workspaces.
#include "server/json_models.h"
#include "server/json_read.h"
#include "text/error.h"

namespace spanloop::server {

json timestamp_json(store::Timestamp t) {
  return store::format_timestamp(t);
}

json metadata_value_json(const store::MetadataValue& value) {
  return std::visit(
      [](const auto& v) -> json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, store::RawJson>) {
          return json::parse(v.text, nullptr, false);
        } else {
          return v;
        }
      },
      value);
}

json metadata_json(const store::Metadata& metadata) {
  json out = json::object();
  for (const auto& [k, v] : metadata) out[k] = metadata_value_json(v);
  return out;
}

store::MetadataValue metadata_value_from_json(const json& value) {
  switch (value.type()) {
    case json::value_t::null:
      return std::monostate{};
    case json::value_t::boolean:
      return value.get<bool>();
    case json::value_t::number_integer:
      return value.get<std::int64_t>();
    case json::value_t::number_unsigned: {
      auto u = value.get<std::uint64_t>();
      if (u <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(u);
      return static_cast<double>(u);
    }
    case json::value_t::number_float:
      return value.get<double>();
    case json::value_t::string:
      return value.get<std::string>();
    case json::value_t::array: {
      bool all_strings =
          std::all_of(value.begin(), value.end(), [](const json& v) { return v.is_string(); });
      if (all_strings && !value.empty()) return value.get<std::vector<std::string>>();
      return store::RawJson{value.dump()};
    }
    default:
      return store::RawJson{value.dump()};
  }
}

store::Metadata metadata_from_json(const json& value, std::string_view where) {
  json_read::object(value, where);
  store::Metadata out;
  for (auto it = value.begin(); it != value.end(); ++it) {
    out.emplace(it.key(), metadata_value_from_json(it.value()));
  }
  return out;
}

json user_json(const store::User& user) {
  return json{
      {"id", user.id},
      {"username", user.username},
      {"first_name", user.first_name},
      {"last_name", user.last_name ? json(*user.last_name) : json(nullptr)},
      {"full_name", user.last_name ? user.first_name + " " + *user.last_name : user.first_name},
      {"role", store::to_string(user.role)},
      {"inserted_at", timestamp_json(user.inserted_at)},
      {"updated_at", timestamp_json(user.updated_at)}};
}

json workspace_json(const store::Workspace& workspace) {
  return json{{"id", workspace.id},
              {"name", workspace.name},
              {"inserted_at", timestamp_json(workspace.inserted_at)},
              {"updated_at", timestamp_json(workspace.updated_at)}};
}

}  // namespace spanloop::server
