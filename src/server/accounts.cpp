// Account operations: hashing happens here, storage in the Store.
#include "server/accounts.h"

#include "server/auth_crypto.h"
#include "store/store.h"
#include "text/error.h"

namespace spanloop::server::accounts {
namespace {

std::int64_t count_owners(store::Store& store) {
  std::int64_t n = 0;
  for (const auto& u : store.list_users()) n += u.role == store::Role::kOwner;
  return n;
}

store::User require_user(store::Store& store, const std::string& user_id) {
  auto u = store.get_user(user_id);
  if (!u) throw_not_found("User with id `" + user_id + "` not found");
  return *u;
}

}  // namespace

store::User create_user(store::Store& store, const NewUser& user) {
  validate_password(user.password);
  store::UserCreate c;
  c.username = user.username;
  c.first_name = user.first_name.empty() ? user.username : user.first_name;
  c.last_name = user.last_name;
  c.role = user.role;
  c.password_hash = hash_password(user.password);
  return store.create_user(c);
}

store::User set_password(store::Store& store, const std::string& user_id,
                         std::string_view password) {
  validate_password(password);
  require_user(store, user_id);
  store::UserUpdate u;
  u.password_hash = hash_password(password);
  return store.update_user(user_id, u);
}

store::User set_role(store::Store& store, const std::string& user_id, store::Role role) {
  auto user = require_user(store, user_id);
  if (user.role == store::Role::kOwner && role != store::Role::kOwner && count_owners(store) <= 1) {
    throw Error(ErrorKind::kConflict,
                "user `" + user.username + "` is the last owner; make another user owner first");
  }
  store::UserUpdate u;
  u.role = role;
  return store.update_user(user_id, u);
}

store::User delete_user(store::Store& store, const std::string& user_id) {
  auto user = require_user(store, user_id);
  if (user.role == store::Role::kOwner && count_owners(store) <= 1) {
    throw Error(ErrorKind::kConflict, "user `" + user.username + "` is the last owner");
  }
  return store.delete_user(user_id);
}

IssuedKey issue_api_key(store::Store& store, const std::string& user_id, const std::string& name,
                        std::optional<std::string> plaintext) {
  require_user(store, user_id);
  IssuedKey out;
  out.plaintext = plaintext ? *plaintext : new_api_key();
  if (out.plaintext.size() < 8) throw_invalid("an API key must have at least 8 characters");
  out.key = store.create_api_key(user_id, hash_api_key(out.plaintext), name);
  return out;
}

store::User find_user(store::Store& store, const std::string& id_or_username) {
  if (auto u = store.get_user(id_or_username)) return *u;
  if (auto u = store.get_user_by_username(id_or_username)) return *u;
  throw_not_found("User `" + id_or_username + "` not found");
}

store::Workspace find_workspace(store::Store& store, const std::string& id_or_name) {
  if (auto w = store.get_workspace(id_or_name)) return *w;
  if (auto w = store.get_workspace_by_name(id_or_name)) return *w;
  throw_not_found("Workspace `" + id_or_name + "` not found");
}

OwnerResult ensure_owner(store::Store& store, const OwnerSetup& setup) {
  OwnerResult out;
  if (store.count_users() == 0) {
    NewUser u;
    u.username = setup.username;
    u.first_name = setup.username;
    u.role = store::Role::kOwner;
    if (setup.password) {
      u.password = *setup.password;
    } else {
      u.password = new_password();
      out.generated_password = u.password;
    }
    auto user = create_user(store, u);
    auto key = issue_api_key(store, user.id, "owner", setup.api_key);
    if (!setup.api_key) out.generated_api_key = key.plaintext;
    out.created = true;
    out.username = user.username;
    return out;
  }
  if (setup.api_key && !store.find_user_by_api_key_hash(hash_api_key(*setup.api_key))) {
    for (const auto& u : store.list_users()) {
      if (u.role == store::Role::kOwner) {
        issue_api_key(store, u.id, "SPANLOOP_OWNER_API_KEY", setup.api_key);
        out.username = u.username;
        break;
      }
    }
  }
  return out;
}

}  // namespace spanloop::server::accounts
