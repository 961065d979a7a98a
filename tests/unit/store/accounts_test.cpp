// Workspaces, users, API keys and memberships on both engines.
#include "store_fixture.h"

namespace spanloop::store::testing {
namespace {

SPANLOOP_STORE_SUITE(AccountsTest);

TEST_P(AccountsTest, WorkspacesCrudAndUniqueNames) {
  const Workspace a = store_->create_workspace("alpha");
  const Workspace b = store_->create_workspace("beta ws");
  EXPECT_EQ(a.id.size(), 36u);
  EXPECT_GT(a.inserted_at, 0);
  EXPECT_EQ(store_->get_workspace(a.id)->name, "alpha");
  EXPECT_EQ(store_->get_workspace_by_name("beta ws")->id, b.id);
  EXPECT_FALSE(store_->get_workspace("nope").has_value());
  EXPECT_ERROR_KIND(store_->create_workspace("alpha"), ErrorKind::kConflict,
                    "Workspace with name `alpha` already exists");
  EXPECT_ERROR_KIND(store_->create_workspace("-bad"), ErrorKind::kInvalidArgument,
                    "workspace name '-bad' is not valid");
  const auto all = store_->list_workspaces();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].name, "alpha");
  EXPECT_EQ(store_->delete_workspace(a.id).name, "alpha");
  EXPECT_ERROR_KIND(store_->delete_workspace(a.id), ErrorKind::kNotFound, "Workspace with id");
}

TEST_P(AccountsTest, WorkspaceWithDatasetsCannotBeDeleted) {
  const auto f = make_dataset();
  EXPECT_ERROR_KIND(store_->delete_workspace(f.workspace.id), ErrorKind::kConflict,
                    "still has datasets");
  store_->delete_dataset(f.dataset.id);
  EXPECT_NO_THROW(store_->delete_workspace(f.workspace.id));
}

TEST_P(AccountsTest, UsersCrud) {
  EXPECT_EQ(store_->count_users(), 0);
  const User owner = make_user("owner", Role::kOwner);
  const User ann = make_user("ann-1_x");
  EXPECT_EQ(store_->count_users(), 2);
  EXPECT_EQ(store_->get_user(owner.id)->role, Role::kOwner);
  EXPECT_EQ(store_->get_user_by_username("ann-1_x")->id, ann.id);
  EXPECT_ERROR_KIND(make_user("owner"), ErrorKind::kConflict,
                    "User with username `owner` already exists");
  EXPECT_ERROR_KIND(make_user("_bad"), ErrorKind::kInvalidArgument, "username '_bad' is not valid");
  EXPECT_ERROR_KIND(make_user("sp ace"), ErrorKind::kInvalidArgument, "is not valid");

  UserUpdate up;
  up.role = Role::kAdmin;
  up.last_name = std::optional<std::string>("Łukasiewicz");
  up.password_hash = "$argon2id$new";
  const User changed = store_->update_user(ann.id, up);
  EXPECT_EQ(changed.role, Role::kAdmin);
  EXPECT_EQ(changed.last_name, "Łukasiewicz");
  EXPECT_EQ(store_->get_user(ann.id)->password_hash, "$argon2id$new");
  EXPECT_GE(changed.updated_at, changed.inserted_at);
  UserUpdate clash;
  clash.username = "owner";
  EXPECT_ERROR_KIND(store_->update_user(ann.id, clash), ErrorKind::kConflict, "already exists");
  EXPECT_ERROR_KIND(store_->update_user("missing", up), ErrorKind::kNotFound,
                    "User with id `missing` not found");

  const auto users = store_->list_users();
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0].username, "owner");
  EXPECT_EQ(store_->delete_user(ann.id).username, "ann-1_x");
  EXPECT_FALSE(store_->get_user(ann.id));
}

TEST_P(AccountsTest, ApiKeysAreLookedUpByHash) {
  const User u = make_user("keyholder");
  const ApiKey k = store_->create_api_key(u.id, "sha256:abc", "laptop");
  EXPECT_EQ(store_->find_user_by_api_key_hash("sha256:abc")->id, u.id);
  EXPECT_FALSE(store_->find_user_by_api_key_hash("sha256:other"));
  EXPECT_ERROR_KIND(store_->create_api_key(u.id, "sha256:abc", "again"), ErrorKind::kConflict,
                    "already exists");
  EXPECT_ERROR_KIND(store_->create_api_key("ghost", "sha256:x", ""), ErrorKind::kNotFound, "User");
  store_->create_api_key(u.id, "sha256:def", "ci");
  EXPECT_EQ(store_->list_api_keys(u.id).size(), 2u);
  EXPECT_EQ(store_->delete_api_key(k.id).name, "laptop");
  EXPECT_FALSE(store_->find_user_by_api_key_hash("sha256:abc"));
  // Deleting the user removes the remaining keys.
  store_->delete_user(u.id);
  EXPECT_FALSE(store_->find_user_by_api_key_hash("sha256:def"));
}

TEST_P(AccountsTest, Memberships) {
  const Workspace w1 = store_->create_workspace("w1");
  const Workspace w2 = store_->create_workspace("w2");
  const User a = make_user("a");
  const User b = make_user("b");
  store_->add_workspace_user(w1.id, a.id);
  store_->add_workspace_user(w1.id, b.id);
  store_->add_workspace_user(w2.id, a.id);
  EXPECT_ERROR_KIND(store_->add_workspace_user(w1.id, a.id), ErrorKind::kConflict,
                    "already a member");
  EXPECT_ERROR_KIND(store_->add_workspace_user("nope", a.id), ErrorKind::kNotFound, "Workspace");
  EXPECT_ERROR_KIND(store_->add_workspace_user(w1.id, "nope"), ErrorKind::kNotFound, "User");
  EXPECT_TRUE(store_->is_workspace_member(w1.id, b.id));
  EXPECT_FALSE(store_->is_workspace_member(w2.id, b.id));
  EXPECT_EQ(store_->list_workspace_users(w1.id).size(), 2u);
  const auto ws = store_->list_user_workspaces(a.id);
  ASSERT_EQ(ws.size(), 2u);
  EXPECT_EQ(ws[0].name, "w1");
  store_->remove_workspace_user(w1.id, b.id);
  EXPECT_FALSE(store_->is_workspace_member(w1.id, b.id));
  EXPECT_ERROR_KIND(store_->remove_workspace_user(w1.id, b.id), ErrorKind::kNotFound,
                    "is not a member");
  // Deleting a workspace or user drops the memberships.
  store_->delete_workspace(w2.id);
  EXPECT_EQ(store_->list_user_workspaces(a.id).size(), 1u);
}

TEST_P(AccountsTest, DeletingAUserRecomputesRecordStatus) {
  const auto f = make_dataset();
  const User u = make_user("annotator");
  const auto rec =
      store_->bulk_create_records(f.dataset.id, {text_record("Ada Lovelace")}).records[0];
  store_->create_response(
      rec.id, u.id, ResponseInput{ResponseStatus::kSubmitted, {{"ner", spans({{"PER", 0, 12}})}}});
  EXPECT_EQ(store_->get_record(rec.id)->status, RecordStatus::kCompleted);
  EXPECT_EQ(store_->dataset_progress(f.dataset.id).completed, 1);
  store_->delete_user(u.id);
  EXPECT_EQ(store_->get_record(rec.id)->status, RecordStatus::kPending);
  EXPECT_EQ(store_->dataset_progress(f.dataset.id).completed, 0);
  EXPECT_TRUE(store_->list_responses(rec.id).empty());
}

TEST_P(AccountsTest, AccountsGenerationGrowsOnEveryUserAndKeyChange) {
  std::uint64_t g = store_->accounts_generation();
  auto grew = [&] {
    const std::uint64_t now = store_->accounts_generation();
    const bool more = now > g;
    g = now;
    return more;
  };
  const User u = make_user("gen-user");
  EXPECT_TRUE(grew());
  const ApiKey k = store_->create_api_key(u.id, "gen-hash", "k");
  EXPECT_TRUE(grew());
  UserUpdate role;
  role.role = Role::kAdmin;
  store_->update_user(u.id, role);
  EXPECT_TRUE(grew());
  UserUpdate password;
  password.password_hash = "$argon2id$other";
  store_->update_user(u.id, password);
  EXPECT_TRUE(grew());
  store_->delete_api_key(k.id);
  EXPECT_TRUE(grew());
  // Reads and unrelated writes leave it alone.
  store_->get_user(u.id);
  store_->create_workspace("gen-ws");
  EXPECT_FALSE(grew());
  // A failed change counts too (a reader must never keep a pre-change user).
  EXPECT_THROW(store_->delete_api_key(k.id), Error);
  EXPECT_TRUE(grew());
  store_->delete_user(u.id);
  EXPECT_TRUE(grew());
}

}  // namespace
}  // namespace spanloop::store::testing
