// User, API key and workspace operations shared by the API routes and the offline CLI
// (`spanloop user ...`, `spanloop workspace ...`), so both follow the same rules.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "store/model.h"

namespace spanloop::store {
class Store;
}

namespace spanloop::server::accounts {

struct NewUser {
  std::string username;
  std::string first_name;  // defaults to the username when empty
  std::optional<std::string> last_name;
  store::Role role = store::Role::kAnnotator;
  std::string password;  // 8..100 characters; hashed with Argon2id here
};

store::User create_user(store::Store& store, const NewUser& user);
store::User set_password(store::Store& store, const std::string& user_id,
                         std::string_view password);
// 409 when it would leave no owner.
store::User set_role(store::Store& store, const std::string& user_id, store::Role role);
// 409 when deleting the last owner.
store::User delete_user(store::Store& store, const std::string& user_id);

struct IssuedKey {
  store::ApiKey key;      // as stored (hash only)
  std::string plaintext;  // shown once, never stored
};
// A new random key; or `plaintext` as given (operator-chosen keys, e.g. SPANLOOP_OWNER_API_KEY).
IssuedKey issue_api_key(store::Store& store, const std::string& user_id, const std::string& name,
                        std::optional<std::string> plaintext = std::nullopt);

// A user by id or username / a workspace by id or name; 404 naming it.
store::User find_user(store::Store& store, const std::string& id_or_username);
store::Workspace find_workspace(store::Store& store, const std::string& id_or_name);

// First start: with no users, create an owner. Password and API key come from the arguments
// (SPANLOOP_OWNER_PASSWORD / SPANLOOP_OWNER_API_KEY) or are generated. An API key given for an
// existing database is added to the first owner when no user has it yet, so the configured
// key always works.
struct OwnerSetup {
  std::string username = "owner";
  std::optional<std::string> password;
  std::optional<std::string> api_key;
};
struct OwnerResult {
  bool created = false;
  std::string username;
  std::optional<std::string> generated_password;  // to print once
  std::optional<std::string> generated_api_key;   // to print once
};
OwnerResult ensure_owner(store::Store& store, const OwnerSetup& setup);

}  // namespace spanloop::server::accounts
