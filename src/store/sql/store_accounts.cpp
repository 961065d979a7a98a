// SqlStore: workspaces, users, API keys and workspace memberships.
#include <fmt/format.h>

#include "store/sql/sql_store_txn.h"
#include "store/sql/store_internal.h"
#include "store/validation.h"

namespace spanloop::store::sql {

namespace {

std::optional<Workspace> workspace_where(Conn& c, std::string_view column, const std::string& v) {
  Rows r = c.query("SELECT " + std::string(kWorkspaceCols) + " FROM workspaces WHERE " +
                       std::string(column) + " = ?",
                   {v});
  if (!r.next()) return std::nullopt;
  return read_workspace(r);
}

std::optional<User> user_where(Conn& c, std::string_view column, const std::string& v) {
  Rows r = c.query(
      "SELECT " + std::string(kUserCols) + " FROM users u WHERE u." + std::string(column) + " = ?",
      {v});
  if (!r.next()) return std::nullopt;
  return read_user(r);
}

User require_user(Conn& c, const std::string& id) {
  auto u = user_where(c, "id", id);
  if (!u) throw_not_found("User", id);
  return *u;
}

Workspace require_workspace(Conn& c, const std::string& id) {
  auto w = workspace_where(c, "id", id);
  if (!w) throw_not_found("Workspace", id);
  return *w;
}

void check_username_free(Conn& c, const std::string& username) {
  if (c.query_i64("SELECT 1 FROM users WHERE username = ?", {username}))
    throw Error(ErrorKind::kConflict,
                fmt::format("User with username `{}` already exists", username));
}

// Bumps the accounts generation when the write is over (committed or not): a reader that saw the
// old generation must not keep what it read before the commit.
class BumpOnExit {
 public:
  explicit BumpOnExit(std::atomic<std::uint64_t>& generation) : generation_(generation) {}
  ~BumpOnExit() { ++generation_; }
  BumpOnExit(const BumpOnExit&) = delete;
  BumpOnExit& operator=(const BumpOnExit&) = delete;

 private:
  std::atomic<std::uint64_t>& generation_;
};

}  // namespace

Workspace SqlStore::create_workspace(const std::string& name) {
  validate_dataset_name("workspace", name);
  return write([&](Conn& c) {
    if (workspace_where(c, "name", name))
      throw Error(ErrorKind::kConflict,
                  fmt::format("Workspace with name `{}` already exists", name));
    const Timestamp now = now_timestamp();
    Workspace w{new_uuid(), name, now, now};
    c.execute("INSERT INTO workspaces (id, name, inserted_at, updated_at) VALUES (?, ?, ?, ?)",
              {w.id, w.name, now, now});
    return w;
  });
}

std::optional<Workspace> SqlStore::get_workspace(const std::string& id) {
  return read([&](Conn& c) { return workspace_where(c, "id", id); });
}

std::optional<Workspace> SqlStore::get_workspace_by_name(const std::string& name) {
  return read([&](Conn& c) { return workspace_where(c, "name", name); });
}

std::vector<Workspace> SqlStore::list_workspaces() {
  return read([&](Conn& c) {
    std::vector<Workspace> out;
    Rows r = c.query("SELECT " + std::string(kWorkspaceCols) + " FROM workspaces ORDER BY name");
    while (r.next()) out.push_back(read_workspace(r));
    return out;
  });
}

Workspace SqlStore::delete_workspace(const std::string& id) {
  return write([&](Conn& c) {
    Workspace w = require_workspace(c, id);
    if (c.query_i64("SELECT 1 FROM datasets WHERE workspace_id = ? LIMIT 1", {id}))
      throw Error(ErrorKind::kConflict,
                  fmt::format("Cannot delete workspace `{}`: it still has datasets", w.name));
    c.execute("DELETE FROM workspaces WHERE id = ?", {id});
    return w;
  });
}

User SqlStore::create_user(const UserCreate& in) {
  validate_username(in.username);
  if (in.first_name.empty()) throw_invalid("user first_name must not be empty");
  if (in.password_hash.empty()) throw_invalid("user password hash must not be empty");
  BumpOnExit bump(accounts_generation_);
  return write([&](Conn& c) {
    check_username_free(c, in.username);
    const Timestamp now = now_timestamp();
    User u{new_uuid(), in.username,      in.first_name, in.last_name,
           in.role,    in.password_hash, now,           now};
    c.execute(
        "INSERT INTO users (id, username, first_name, last_name, role, password_hash, "
        "inserted_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {u.id, u.username, u.first_name, u.last_name ? Param(*u.last_name) : Param(nullptr),
         std::string(to_string(u.role)), u.password_hash, now, now});
    return u;
  });
}

std::optional<User> SqlStore::get_user(const std::string& id) {
  return read([&](Conn& c) { return user_where(c, "id", id); });
}

std::optional<User> SqlStore::get_user_by_username(const std::string& username) {
  return read([&](Conn& c) { return user_where(c, "username", username); });
}

std::vector<User> SqlStore::list_users() {
  return read([&](Conn& c) {
    std::vector<User> out;
    Rows r =
        c.query("SELECT " + std::string(kUserCols) + " FROM users u ORDER BY u.inserted_at, u.id");
    while (r.next()) out.push_back(read_user(r));
    return out;
  });
}

std::int64_t SqlStore::count_users() {
  return read([&](Conn& c) { return c.query_i64("SELECT COUNT(*) FROM users").value_or(0); });
}

User SqlStore::update_user(const std::string& id, const UserUpdate& up) {
  if (up.username) validate_username(*up.username);
  if (up.first_name && up.first_name->empty()) throw_invalid("user first_name must not be empty");
  if (up.password_hash && up.password_hash->empty())
    throw_invalid("user password hash must not be empty");
  BumpOnExit bump(accounts_generation_);
  return write([&](Conn& c) {
    User u = require_user(c, id);
    if (up.username && *up.username != u.username) {
      check_username_free(c, *up.username);
      u.username = *up.username;
    }
    if (up.first_name) u.first_name = *up.first_name;
    if (up.last_name) u.last_name = *up.last_name;
    if (up.role) u.role = *up.role;
    if (up.password_hash) u.password_hash = *up.password_hash;
    u.updated_at = now_timestamp();
    c.execute(
        "UPDATE users SET username = ?, first_name = ?, last_name = ?, role = ?, "
        "password_hash = ?, updated_at = ? WHERE id = ?",
        {u.username, u.first_name, u.last_name ? Param(*u.last_name) : Param(nullptr),
         std::string(to_string(u.role)), u.password_hash, u.updated_at, id});
    return u;
  });
}

User SqlStore::delete_user(const std::string& id) {
  BumpOnExit bump(accounts_generation_);
  return write([&](Conn& c) {
    User u = require_user(c, id);
    // The user's submitted responses may have completed records: recompute those after the
    // cascade removes the responses.
    std::map<std::int64_t, std::vector<std::int64_t>> by_dataset;
    {
      Rows r = c.query(
          "SELECT dataset_seq, record_seq FROM responses WHERE user_id = ? AND "
          "status = 'submitted'",
          {id});
      while (r.next()) by_dataset[r.i64(0)].push_back(r.i64(1));
    }
    for (auto& [dataset_seq, seqs] : by_dataset) lock_records(c, dialect_, seqs);
    c.execute("DELETE FROM response_terms WHERE user_id = ?", {id});
    c.execute("DELETE FROM users WHERE id = ?", {id});
    const Timestamp now = now_timestamp();
    for (auto& [dataset_seq, seqs] : by_dataset) {
      auto ds = dataset_by_seq(c, dataset_seq);
      if (!ds) continue;
      DatasetCtx ctx;
      ctx.seq = dataset_seq;
      ctx.dataset = std::move(*ds);
      StatsDelta stats(dialect_);
      recompute_statuses(c, dialect_, ctx, seqs, now, stats);
      stats.flush(c, dataset_seq);
    }
    return u;
  });
}

ApiKey SqlStore::create_api_key(const std::string& user_id, const std::string& key_hash,
                                const std::string& name) {
  if (key_hash.empty()) throw_invalid("API key hash must not be empty");
  BumpOnExit bump(accounts_generation_);
  return write([&](Conn& c) {
    require_user(c, user_id);
    if (c.query_i64("SELECT 1 FROM api_keys WHERE key_hash = ?", {key_hash}))
      throw Error(ErrorKind::kConflict, "an API key with this hash already exists");
    ApiKey k{new_uuid(), user_id, key_hash, name, now_timestamp()};
    c.execute(
        "INSERT INTO api_keys (id, user_id, key_hash, name, inserted_at) VALUES (?, ?, ?, ?, ?)",
        {k.id, k.user_id, k.key_hash, k.name, k.inserted_at});
    return k;
  });
}

std::optional<User> SqlStore::find_user_by_api_key_hash(const std::string& key_hash) {
  return read([&](Conn& c) -> std::optional<User> {
    Rows r = c.query("SELECT " + std::string(kUserCols) +
                         " FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = ?",
                     {key_hash});
    if (!r.next()) return std::nullopt;
    return read_user(r);
  });
}

std::vector<ApiKey> SqlStore::list_api_keys(const std::string& user_id) {
  return read([&](Conn& c) {
    std::vector<ApiKey> out;
    Rows r = c.query(
        "SELECT id, user_id, key_hash, name, inserted_at FROM api_keys WHERE user_id = ? "
        "ORDER BY inserted_at, id",
        {user_id});
    while (r.next()) out.push_back(ApiKey{r.text(0), r.text(1), r.text(2), r.text(3), r.i64(4)});
    return out;
  });
}

ApiKey SqlStore::delete_api_key(const std::string& id) {
  BumpOnExit bump(accounts_generation_);
  return write([&](Conn& c) {
    Rows r =
        c.query("SELECT id, user_id, key_hash, name, inserted_at FROM api_keys WHERE id = ?", {id});
    if (!r.next()) throw_not_found("API key", id);
    ApiKey k{r.text(0), r.text(1), r.text(2), r.text(3), r.i64(4)};
    while (r.next()) {
    }
    c.execute("DELETE FROM api_keys WHERE id = ?", {id});
    return k;
  });
}

void SqlStore::add_workspace_user(const std::string& workspace_id, const std::string& user_id) {
  write([&](Conn& c) {
    const Workspace w = require_workspace(c, workspace_id);
    const User u = require_user(c, user_id);
    if (c.query_i64("SELECT 1 FROM workspace_users WHERE workspace_id = ? AND user_id = ?",
                    {workspace_id, user_id}))
      throw Error(
          ErrorKind::kConflict,
          fmt::format("User `{}` is already a member of workspace `{}`", u.username, w.name));
    c.execute("INSERT INTO workspace_users (workspace_id, user_id, inserted_at) VALUES (?, ?, ?)",
              {workspace_id, user_id, now_timestamp()});
  });
}

void SqlStore::remove_workspace_user(const std::string& workspace_id, const std::string& user_id) {
  write([&](Conn& c) {
    require_workspace(c, workspace_id);
    if (c.execute("DELETE FROM workspace_users WHERE workspace_id = ? AND user_id = ?",
                  {workspace_id, user_id}) == 0)
      throw Error(ErrorKind::kNotFound,
                  fmt::format("User with id `{}` is not a member of workspace with id `{}`",
                              user_id, workspace_id));
  });
}

std::vector<User> SqlStore::list_workspace_users(const std::string& workspace_id) {
  return read([&](Conn& c) {
    std::vector<User> out;
    Rows r = c.query("SELECT " + std::string(kUserCols) +
                         " FROM workspace_users m JOIN users u ON u.id = m.user_id WHERE "
                         "m.workspace_id = ? ORDER BY m.inserted_at, u.id",
                     {workspace_id});
    while (r.next()) out.push_back(read_user(r));
    return out;
  });
}

std::vector<Workspace> SqlStore::list_user_workspaces(const std::string& user_id) {
  return read([&](Conn& c) {
    std::vector<Workspace> out;
    Rows r = c.query(
        "SELECT w.id, w.name, w.inserted_at, w.updated_at FROM workspace_users m JOIN "
        "workspaces w ON w.id = m.workspace_id WHERE m.user_id = ? ORDER BY w.name",
        {user_id});
    while (r.next()) out.push_back(read_workspace(r));
    return out;
  });
}

bool SqlStore::is_workspace_member(const std::string& workspace_id, const std::string& user_id) {
  return read([&](Conn& c) {
    return c
        .query_i64("SELECT 1 FROM workspace_users WHERE workspace_id = ? AND user_id = ?",
                   {workspace_id, user_id})
        .has_value();
  });
}

}  // namespace spanloop::store::sql
