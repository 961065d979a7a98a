// `spanloop workspace create|list|add-user|remove-user|delete`: manage workspaces offline.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/command.h"
#include "cli/store_args.h"
#include "server/accounts.h"
#include "store/store.h"
#include "text/error.h"

namespace spanloop::cli {
namespace {

namespace accounts = server::accounts;

struct WorkspaceArgs {
  StoreArgs store;
  std::string workspace;  // name (create) or id/name
  std::string user;
};

void run_create(const WorkspaceArgs& a) {
  auto store = a.store.open();
  auto w = store->create_workspace(a.workspace);
  std::printf("created workspace `%s` (id %s)\n", w.name.c_str(), w.id.c_str());
}

void run_list(const WorkspaceArgs& a) {
  auto store = a.store.open();
  std::printf("%-36s  %s\n", "id", "name");
  for (const auto& w : store->list_workspaces()) {
    std::printf("%-36s  %s\n", w.id.c_str(), w.name.c_str());
  }
}

void run_add_user(const WorkspaceArgs& a) {
  auto store = a.store.open();
  auto w = accounts::find_workspace(*store, a.workspace);
  auto u = accounts::find_user(*store, a.user);
  store->add_workspace_user(w.id, u.id);
  std::printf("added `%s` to `%s`\n", u.username.c_str(), w.name.c_str());
}

void run_remove_user(const WorkspaceArgs& a) {
  auto store = a.store.open();
  auto w = accounts::find_workspace(*store, a.workspace);
  auto u = accounts::find_user(*store, a.user);
  store->remove_workspace_user(w.id, u.id);
  std::printf("removed `%s` from `%s`\n", u.username.c_str(), w.name.c_str());
}

void run_delete(const WorkspaceArgs& a) {
  auto store = a.store.open();
  auto w = store->delete_workspace(accounts::find_workspace(*store, a.workspace).id);
  std::printf("deleted workspace `%s`\n", w.name.c_str());
}

void add(CLI::App* parent, const char* name, const char* help, void (*run)(const WorkspaceArgs&),
         int positionals) {
  auto a = std::make_shared<WorkspaceArgs>();
  auto* cmd = parent->add_subcommand(name, help);
  a->store.add_options(*cmd);
  if (positionals >= 1)
    cmd->add_option("workspace", a->workspace, "Workspace name or id")->required();
  if (positionals >= 2) cmd->add_option("user", a->user, "User id or username")->required();
  cmd->callback([a, run] {
    int rc = run_guarded([&] { run(*a); });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

void setup_workspace(CLI::App& root) {
  auto* cmd = root.add_subcommand("workspace", "Manage workspaces (offline, on the store)");
  cmd->require_subcommand(1);
  add(cmd, "create", "Create a workspace", run_create, 1);
  add(cmd, "list", "List workspaces", run_list, 0);
  add(cmd, "add-user", "Add a user to a workspace", run_add_user, 2);
  add(cmd, "remove-user", "Remove a user from a workspace", run_remove_user, 2);
  add(cmd, "delete", "Delete an empty workspace", run_delete, 1);
}

}  // namespace
SPANLOOP_COMMAND(setup_workspace);
}  // namespace spanloop::cli
