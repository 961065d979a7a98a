// `spanloop user create|list|set-password|api-key|delete`: manage users offline, directly on
// the store, with the same rules as the API (server/accounts.h).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/command.h"
#include "cli/store_args.h"
#include "server/accounts.h"
#include "server/auth_crypto.h"
#include "store/store.h"
#include "text/error.h"

namespace spanloop::cli {
namespace {

namespace accounts = server::accounts;

struct UserArgs {
  StoreArgs store;
  std::string user;  // id or username
  std::string role = "annotator";
  std::string password;
  std::string first_name, last_name;
  std::string key_name = "cli";
  std::vector<std::string> workspaces;
};

// The password to set: --password / SPANLOOP_USER_PASSWORD, or a generated one (printed).
std::string password_or_generated(const UserArgs& a, bool& generated) {
  generated = a.password.empty();
  return generated ? server::new_password() : a.password;
}

void run_create(const UserArgs& a) {
  auto store = a.store.open();
  auto role = store::parse_role(a.role);
  if (!role) throw_invalid("--role must be owner, admin or annotator, got `" + a.role + "`");
  bool generated = false;
  accounts::NewUser u;
  u.username = a.user;
  u.first_name = a.first_name;
  if (!a.last_name.empty()) u.last_name = a.last_name;
  u.role = *role;
  u.password = password_or_generated(a, generated);
  auto user = accounts::create_user(*store, u);
  for (const auto& w : a.workspaces) {
    store->add_workspace_user(accounts::find_workspace(*store, w).id, user.id);
  }
  std::printf("created %s `%s` (id %s)\n", a.role.c_str(), user.username.c_str(), user.id.c_str());
  if (generated) std::printf("  password: %s\n", u.password.c_str());
}

void run_list(const UserArgs& a) {
  auto store = a.store.open();
  std::printf("%-36s  %-10s  %s\n", "id", "role", "username");
  for (const auto& u : store->list_users()) {
    std::printf("%-36s  %-10s  %s\n", u.id.c_str(), std::string(store::to_string(u.role)).c_str(),
                u.username.c_str());
  }
}

void run_set_password(const UserArgs& a) {
  auto store = a.store.open();
  auto user = accounts::find_user(*store, a.user);
  bool generated = false;
  auto password = password_or_generated(a, generated);
  accounts::set_password(*store, user.id, password);
  std::printf("password of `%s` changed\n", user.username.c_str());
  if (generated) std::printf("  password: %s\n", password.c_str());
}

void run_api_key(const UserArgs& a) {
  auto store = a.store.open();
  auto user = accounts::find_user(*store, a.user);
  auto issued = accounts::issue_api_key(*store, user.id, a.key_name);
  std::printf("%s\n", issued.plaintext.c_str());
}

void run_delete(const UserArgs& a) {
  auto store = a.store.open();
  auto user = accounts::delete_user(*store, accounts::find_user(*store, a.user).id);
  std::printf("deleted `%s`\n", user.username.c_str());
}

void add(CLI::App* parent, const char* name, const char* help, std::shared_ptr<UserArgs> a,
         void (*run)(const UserArgs&), bool needs_user) {
  auto* cmd = parent->add_subcommand(name, help);
  a->store.add_options(*cmd);
  if (needs_user) cmd->add_option("user", a->user, "User id or username")->required();
  if (std::string(name) == "create") {
    cmd->add_option("--role", a->role, "owner, admin or annotator")->capture_default_str();
    cmd->add_option("--first-name", a->first_name, "First name (default: the username)");
    cmd->add_option("--last-name", a->last_name, "Last name");
    cmd->add_option("--workspace", a->workspaces, "Add to this workspace (id or name)");
  }
  if (std::string(name) == "create" || std::string(name) == "set-password") {
    cmd->add_option("--password", a->password, "Password (8..100 characters; default: generated)")
        ->envname("SPANLOOP_USER_PASSWORD");
  }
  if (std::string(name) == "api-key") {
    cmd->add_option("--name", a->key_name, "A name for the key")->capture_default_str();
  }
  cmd->callback([a, run] {
    int rc = run_guarded([&] { run(*a); });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

void setup_user(CLI::App& root) {
  auto* cmd = root.add_subcommand("user", "Manage users and API keys (offline, on the store)");
  cmd->require_subcommand(1);
  add(cmd, "create", "Create a user", std::make_shared<UserArgs>(), run_create, true);
  add(cmd, "list", "List users", std::make_shared<UserArgs>(), run_list, false);
  add(cmd, "set-password", "Set a user's password", std::make_shared<UserArgs>(), run_set_password,
      true);
  add(cmd, "api-key", "Issue a new API key for a user (printed once)", std::make_shared<UserArgs>(),
      run_api_key, true);
  add(cmd, "delete", "Delete a user with their responses", std::make_shared<UserArgs>(), run_delete,
      true);
}

}  // namespace
SPANLOOP_COMMAND(setup_user);
}  // namespace spanloop::cli
