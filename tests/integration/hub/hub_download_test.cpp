// Downloads against the fake Hub: cache layout, reuse, offline, revisions, resume, checksums,
// auth and not-found errors.
#include <gtest/gtest.h>

#include "hub_test_support.h"
#include "ml/hub/digest.h"

namespace spanloop::testing {
namespace {
namespace fs = std::filesystem;
namespace hub = spanloop::ml::hub;

const std::string kConfig = R"({"model_type": "bert", "hidden_size": 8})";
const std::string kTokenizer = R"({"version": "1.0", "model": {"type": "WordPiece"}})";

class HubDownloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    weights_ = fake_weights(1000, 7);
    fake_.add_repo("org/tiny");
    commit_ = fake_.add_commit("org/tiny", {{"config.json", kConfig},
                                            {"tokenizer.json", kTokenizer},
                                            {"model.safetensors", weights_}});
  }
  hub::HubOptions options() const { return hub_options(fake_, cache_); }

  FakeHub fake_;
  TempDir cache_;
  std::string weights_, commit_;
};

TEST_F(HubDownloadTest, LaysFilesOutLikeHuggingfaceHub) {
  const fs::path dir = hub::resolve_model("org/tiny", options());
  const fs::path repo = cache_.path() / "models--org--tiny";
  EXPECT_EQ(dir, repo / "snapshots" / commit_);
  EXPECT_EQ(read_all(repo / "refs" / "main"), commit_);  // bare sha, no newline
  const std::string oid = hub::sha256_hex(weights_);
  ASSERT_TRUE(fs::is_symlink(dir / "model.safetensors"));
  EXPECT_EQ(fs::read_symlink(dir / "model.safetensors"), fs::path("../../blobs") / oid);
  EXPECT_EQ(read_all(dir / "model.safetensors"), weights_);
  EXPECT_EQ(read_all(repo / "blobs" / oid), weights_);
  EXPECT_EQ(fs::read_symlink(dir / "config.json"),
            fs::path("../../blobs") / hub::git_blob_sha1_hex(kConfig));
  EXPECT_EQ(read_all(dir / "tokenizer.json"), kTokenizer);
  // Optional files the repo lacks are remembered, as huggingface_hub does.
  EXPECT_TRUE(fs::exists(repo / ".no_exist" / commit_ / "tokenizer_config.json"));
  EXPECT_FALSE(fs::exists(repo / "blobs" / (oid + ".incomplete")));
  // The LFS file went through the 307 to the CDN path.
  EXPECT_EQ(fake_.count("GET", "/cdn/lfs/" + oid), 1u);
}

TEST_F(HubDownloadTest, ReusesACachePythonAlreadyFilled) {
  // The layout huggingface_hub leaves behind, written by hand.
  const fs::path repo = cache_.path() / "models--org--tiny";
  fs::create_directories(repo / "blobs");
  fs::create_directories(repo / "refs");
  fs::create_directories(repo / "snapshots" / commit_);
  const std::map<std::string, std::pair<std::string, std::string>> files = {
      {"config.json", {kConfig, hub::git_blob_sha1_hex(kConfig)}},
      {"tokenizer.json", {kTokenizer, hub::git_blob_sha1_hex(kTokenizer)}},
      {"model.safetensors", {weights_, hub::sha256_hex(weights_)}}};
  for (const auto& [name, blob] : files) {
    std::ofstream(repo / "blobs" / blob.second, std::ios::binary) << blob.first;
    fs::create_symlink(fs::path("../../blobs") / blob.second, repo / "snapshots" / commit_ / name);
  }
  std::ofstream(repo / "refs" / "main") << commit_;

  const fs::path dir = hub::resolve_model("org/tiny", options());
  EXPECT_EQ(dir, repo / "snapshots" / commit_);
  EXPECT_EQ(fake_.count("GET", "/"), 0u) << "no file body may be downloaded again";
  EXPECT_GE(fake_.count("HEAD", "/org/tiny/resolve/"), 1u);
}

TEST_F(HubDownloadTest, SecondResolveDownloadsNothing) {
  hub::Snapshot first = hub::download_model("org/tiny", "main", options());
  EXPECT_GT(first.downloaded_bytes, weights_.size() - 1);
  fake_.clear_requests();
  hub::Snapshot again = hub::download_model("org/tiny", "main", options());
  EXPECT_EQ(again.downloaded_bytes, 0u);
  EXPECT_EQ(again.path, first.path);
  EXPECT_EQ(fake_.count("GET", "/"), 0u);
  // Only the branch's config.json is checked; later files are pinned to the known commit.
  EXPECT_EQ(fake_.count("HEAD", "/"), 1u);
}

TEST_F(HubDownloadTest, OfflineModeReadsOnlyTheCache) {
  auto o = options();
  o.offline = true;
  EXPECT_ERROR_KIND(hub::resolve_model("org/tiny", o), ErrorKind::kNotFound, "HF_HUB_OFFLINE");
  EXPECT_ERROR_KIND(hub::download_file("org/tiny", "config.json", "main", o),
                    ErrorKind::kFailedPrecondition, "HF_HUB_OFFLINE=1");
  const fs::path online = hub::resolve_model("org/tiny", options());
  fake_.clear_requests();
  EXPECT_EQ(hub::resolve_model("org/tiny", o), online);
  EXPECT_TRUE(fake_.requests().empty());
}

TEST_F(HubDownloadTest, FallsBackToTheCacheWhenTheHubIsUnreachable) {
  const fs::path online = hub::resolve_model("org/tiny", options());
  auto o = options();
  o.endpoint = "http://127.0.0.1:1";  // nothing listens there
  EXPECT_EQ(hub::resolve_model("org/tiny", o), online);
  TempDir empty;
  o.cache_dir = empty.path();
  EXPECT_ERROR_KIND(hub::resolve_model("org/tiny", o), ErrorKind::kUnavailable, "cannot reach");
}

TEST_F(HubDownloadTest, PinsRevisionsBranchesTagsAndCommits) {
  const std::string v2_config = R"({"model_type": "bert", "hidden_size": 16})";
  const std::string old_commit = commit_;
  fake_.add_commit("org/tiny", {{"config.json", kConfig}, {"model.safetensors", weights_}}, {"v1"});
  const std::string main_commit = fake_.add_commit(
      "org/tiny", {{"config.json", v2_config}, {"model.safetensors", weights_}}, {"main"});
  const fs::path main_dir = hub::resolve_model("org/tiny", options());
  EXPECT_EQ(main_dir.filename(), main_commit);
  EXPECT_EQ(read_all(main_dir / "config.json"), v2_config);
  const fs::path v1_dir = hub::resolve_model("org/tiny@v1", options());
  EXPECT_EQ(read_all(v1_dir / "config.json"), kConfig);
  EXPECT_EQ(read_all(cache_.path() / "models--org--tiny" / "refs" / "v1"),
            v1_dir.filename().string());
  // Both snapshots share one weights blob.
  EXPECT_EQ(fake_.count("GET", "/cdn/lfs/"), 1u);
  // A commit sha already cached needs no request at all.
  const fs::path by_sha = hub::resolve_model("org/tiny@" + old_commit, options());
  EXPECT_EQ(read_all(by_sha / "config.json"), kConfig);
  fake_.clear_requests();
  EXPECT_EQ(hub::resolve_model("org/tiny@" + old_commit, options()), by_sha);
  EXPECT_TRUE(fake_.requests().empty());
  EXPECT_ERROR_KIND(hub::resolve_model("org/tiny@nope", options()), ErrorKind::kNotFound,
                    "revision not found");
}

TEST_F(HubDownloadTest, ResumesACutDownloadWithRange) {
  const std::string oid = hub::sha256_hex(weights_);
  fake_.cut_next_download(oid, 300);
  const fs::path dir = hub::resolve_model("org/tiny", options());
  EXPECT_EQ(read_all(dir / "model.safetensors"), weights_);
  std::vector<std::string> ranges;
  for (const auto& r : fake_.requests()) {
    if (r.method == "GET" && r.path == "/cdn/lfs/" + oid) ranges.push_back(r.range);
  }
  ASSERT_EQ(ranges.size(), 2u);
  EXPECT_EQ(ranges[0], "");
  EXPECT_EQ(ranges[1], "bytes=300-");
}

TEST_F(HubDownloadTest, ResumesAPartialFileLeftByAnEarlierRun) {
  const std::string oid = hub::sha256_hex(weights_);
  const fs::path blobs = cache_.path() / "models--org--tiny" / "blobs";
  fs::create_directories(blobs);
  std::ofstream(blobs / (oid + ".incomplete"), std::ios::binary) << weights_.substr(0, 400);
  const fs::path dir = hub::resolve_model("org/tiny", options());
  EXPECT_EQ(read_all(dir / "model.safetensors"), weights_);
  bool resumed = false;
  for (const auto& r : fake_.requests()) resumed |= r.range == "bytes=400-";
  EXPECT_TRUE(resumed);
}

TEST_F(HubDownloadTest, RejectsACorruptDownload) {
  const std::string oid = hub::sha256_hex(weights_);
  fake_.corrupt(oid);
  EXPECT_ERROR_KIND(hub::resolve_model("org/tiny", options()), ErrorKind::kUnavailable,
                    "checksum mismatch");
  const fs::path blobs = cache_.path() / "models--org--tiny" / "blobs";
  EXPECT_FALSE(fs::exists(blobs / oid));
  EXPECT_FALSE(fs::exists(blobs / (oid + ".incomplete")));
}

TEST_F(HubDownloadTest, PrivateReposNeedAToken) {
  fake_.add_repo("org/secret", /*private_repo=*/true);
  fake_.add_commit("org/secret", {{"config.json", kConfig}, {"model.safetensors", weights_}});
  fake_.set_token("hf_good");
  EXPECT_ERROR_KIND(hub::resolve_model("org/secret", options()), ErrorKind::kUnauthenticated,
                    "set HF_TOKEN");
  auto o = options();
  o.token = "hf_wrong";
  EXPECT_ERROR_KIND(hub::resolve_model("org/secret", o), ErrorKind::kUnauthenticated,
                    "token was refused");
  o.token = "hf_good";
  const fs::path dir = hub::resolve_model("org/secret", o);
  EXPECT_EQ(read_all(dir / "model.safetensors"), weights_);
  for (const auto& r : fake_.requests()) {
    if (r.path.rfind("/org/secret/", 0) == 0 && r.authorization == "Bearer hf_good") return;
  }
  ADD_FAILURE() << "the token was never sent";
}

TEST_F(HubDownloadTest, ClearErrorsForMissingThings) {
  EXPECT_ERROR_KIND(hub::resolve_model("org/unknown", options()), ErrorKind::kUnauthenticated,
                    "org/unknown@main: config.json");
  fake_.add_repo("org/config-only");
  fake_.add_commit("org/config-only", {{"config.json", kConfig}});
  EXPECT_ERROR_KIND(hub::resolve_model("org/config-only", options()), ErrorKind::kNotFound,
                    "no weights found");
  fake_.add_repo("org/empty");
  fake_.add_commit("org/empty", {{"README.md", "hi"}});
  EXPECT_ERROR_KIND(hub::resolve_model("org/empty", options()), ErrorKind::kNotFound,
                    "has no config.json");
  EXPECT_FALSE(hub::download_file("org/tiny", "nothing.txt", "main", options()).has_value());
}

TEST_F(HubDownloadTest, FetchesShardsAndFallsBackToPytorchBin) {
  const std::string shard1 = fake_weights(500, 1), shard2 = fake_weights(600, 2);
  const std::string index =
      R"({"metadata": {}, "weight_map": {"a": "model-00001-of-00002.safetensors",
      "b": "model-00002-of-00002.safetensors", "c": "model-00001-of-00002.safetensors"}})";
  fake_.add_repo("org/sharded");
  fake_.add_commit("org/sharded", {{"config.json", kConfig},
                                   {"model.safetensors.index.json", index},
                                   {"model-00001-of-00002.safetensors", shard1},
                                   {"model-00002-of-00002.safetensors", shard2}});
  const fs::path dir = hub::resolve_model("org/sharded", options());
  EXPECT_EQ(read_all(dir / "model-00001-of-00002.safetensors"), shard1);
  EXPECT_EQ(read_all(dir / "model-00002-of-00002.safetensors"), shard2);

  fake_.add_repo("org/old");
  fake_.add_commit(
      "org/old",
      {{"config.json", kConfig}, {"pytorch_model.bin", shard1}, {"vocab.txt", "[PAD]\n"}});
  const hub::Snapshot snap = hub::download_model("org/old", "main", options());
  EXPECT_EQ(read_all(snap.path / "pytorch_model.bin"), shard1);
  EXPECT_EQ(read_all(snap.path / "vocab.txt"), "[PAD]\n");
}

TEST(HubResolveTest, LocalDirectoriesAndIds) {
  TempDir dir;
  EXPECT_EQ(hub::resolve_model(dir.path().string()), dir.path());
  EXPECT_ERROR_KIND(hub::resolve_model("./no/such/dir"), ErrorKind::kNotFound, "does not exist");
  EXPECT_ERROR_KIND(hub::resolve_model("bad id!"), ErrorKind::kNotFound, "neither");
  const auto id = hub::ModelId::parse("google-bert/bert-base-cased@v1.0");
  EXPECT_EQ(id.repo_id, "google-bert/bert-base-cased");
  EXPECT_EQ(id.revision, "v1.0");
  EXPECT_EQ(hub::ModelId::parse("distilbert-base-uncased").revision, "main");
  EXPECT_ERROR_KIND(hub::ModelId::parse("a/b/c"), ErrorKind::kInvalidArgument, "a/b/c");
  EXPECT_ERROR_KIND(hub::ModelId::parse("org/x@"), ErrorKind::kInvalidArgument, "empty revision");
  EXPECT_EQ(hub::repo_cache_dir("/c", "org/x"), fs::path("/c/models--org--x"));
}

}  // namespace
}  // namespace spanloop::testing
