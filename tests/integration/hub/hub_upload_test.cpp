// push_folder against the fake Hub, which checks every request of the commit protocol.
#include <gtest/gtest.h>

#include "hub_test_support.h"
#include "ml/hub/digest.h"

namespace spanloop::testing {
namespace {
namespace fs = std::filesystem;
namespace hub = spanloop::ml::hub;

class HubUploadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_.set_token("hf_write");
    weights_ = fake_weights(1000, 3);
    write("config.json", R"({"model_type": "bert", "id2label": {"0": "O"}})");
    write("model.safetensors", weights_);
    write("README.md", "# tiny\n");
    write("sub/notes.txt", "nested files keep their path\n");
    write("checkpoint-10/optimizer.pt", "training state stays local");
    write(".hidden", "dot files stay local");
  }
  void write(const std::string& rel, const std::string& content) {
    fs::create_directories((dir_.path() / rel).parent_path());
    std::ofstream(dir_.path() / rel, std::ios::binary) << content;
  }
  hub::PushOptions options() const {
    hub::PushOptions o;
    o.endpoint = fake_.endpoint();
    return o;
  }

  FakeHub fake_;
  TempDir dir_;
  std::string weights_;
};

TEST_F(HubUploadTest, CommitsTheFolderWithLfsForLargeFiles) {
  const hub::CommitInfo info =
      hub::push_folder(dir_.path(), "alice/tiny-ner", "hf_write", options());
  EXPECT_EQ(fake_.created_repos(), std::set<std::string>{"alice/tiny-ner"});
  const auto commits = fake_.commits();
  ASSERT_EQ(commits.size(), 1u);
  const auto& c = commits[0];
  EXPECT_EQ(c.revision, "main");
  EXPECT_EQ(c.summary, "Upload model trained with spanloop");
  EXPECT_EQ(c.regular_files.size(), 3u);
  EXPECT_EQ(c.regular_files.at("README.md"), "# tiny\n");
  EXPECT_EQ(c.regular_files.at("sub/notes.txt"), "nested files keep their path\n");
  ASSERT_EQ(c.lfs_files.size(), 1u);
  EXPECT_EQ(c.lfs_files.at("model.safetensors"), hub::sha256_hex(weights_));
  EXPECT_EQ(fake_.lfs_store().at(hub::sha256_hex(weights_)), weights_);
  EXPECT_EQ(info.commit_oid, c.commit_sha);
  EXPECT_NE(info.commit_url.find(c.commit_sha), std::string::npos);
  EXPECT_EQ(info.lfs_files, std::vector<std::string>{"model.safetensors"});

  // What we pushed downloads back unchanged through the same fake Hub.
  TempDir cache;
  auto o = hub_options(fake_, cache);
  o.token = "hf_write";
  const fs::path back = hub::resolve_model("alice/tiny-ner", o);
  EXPECT_EQ(read_all(back / "model.safetensors"), weights_);
  EXPECT_EQ(back.filename(), c.commit_sha);
}

TEST_F(HubUploadTest, SecondPushReusesRepoAndStoredObjects) {
  hub::push_folder(dir_.path(), "alice/tiny-ner", "hf_write", options());
  fake_.clear_requests();
  write("config.json", R"({"model_type": "bert"})");
  auto o = options();
  o.commit_message = "Second round";
  hub::push_folder(dir_.path(), "alice/tiny-ner", "hf_write", o);
  EXPECT_EQ(fake_.count("PUT", "/cdn/upload/"), 0u) << "the unchanged LFS object is not re-sent";
  const auto commits = fake_.commits();
  ASSERT_EQ(commits.size(), 2u);
  EXPECT_EQ(commits[1].summary, "Second round");
  EXPECT_EQ(commits[1].regular_files.at("config.json"), R"({"model_type": "bert"})");
}

TEST_F(HubUploadTest, MultipartLfsUploads) {
  fake_.multipart_min_size = 500;
  fake_.multipart_chunk = 300;  // 1000 bytes -> 4 parts
  hub::push_folder(dir_.path(), "alice/tiny-ner", "hf_write", options());
  EXPECT_EQ(fake_.count("PUT", "/cdn/upload/" + hub::sha256_hex(weights_) + "/part/"), 4u);
  EXPECT_EQ(fake_.lfs_store().at(hub::sha256_hex(weights_)), weights_);
  ASSERT_EQ(fake_.commits().size(), 1u);
}

TEST_F(HubUploadTest, ClearErrors) {
  EXPECT_ERROR_KIND(hub::push_folder(dir_.path(), "alice/tiny-ner", "hf_bad", options()),
                    ErrorKind::kUnauthenticated, "401");
  EXPECT_ERROR_KIND(hub::push_folder(dir_.path(), "alice/tiny-ner", "", options()),
                    ErrorKind::kUnauthenticated, "token");
  EXPECT_ERROR_KIND(hub::push_folder(dir_.path(), "tiny-ner", "hf_write", options()),
                    ErrorKind::kInvalidArgument, "user/name");
  EXPECT_ERROR_KIND(hub::push_folder(dir_.path() / "nope", "alice/x", "hf_write", options()),
                    ErrorKind::kNotFound, "not a directory");
  EXPECT_TRUE(fake_.commits().empty());
}

}  // namespace
}  // namespace spanloop::testing
