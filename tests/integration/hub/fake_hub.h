// A fake Hugging Face Hub on loopback for tests: serves model files the way the Hub does
// (resolve URLs, 307 to a CDN path for LFS files, ETag / X-Linked-Etag / X-Linked-Size /
// X-Repo-Commit, Range, token checks, Hub error codes) and accepts uploads through the commit
// API (repos/create, preupload, LFS batch basic + multipart, NDJSON commit), checking them.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace spanloop::testing {

struct FakeRequest {
  std::string method, path, range, authorization;
};

// What one NDJSON commit carried.
struct FakeReceivedCommit {
  std::string repo_id, revision, summary, commit_sha;
  std::map<std::string, std::string> regular_files;  // path -> content
  std::map<std::string, std::string> lfs_files;      // path -> sha256 oid
};

class FakeHub {
 public:
  FakeHub();
  ~FakeHub();
  FakeHub(const FakeHub&) = delete;
  FakeHub& operator=(const FakeHub&) = delete;

  std::string endpoint() const;  // http://127.0.0.1:<port>

  // A repo; a private one answers 401 unless the request carries "Bearer <token()>".
  void add_repo(const std::string& repo_id, bool private_repo = false);
  // A commit holding exactly `files` (path -> bytes); files of `lfs_min_size` bytes or more
  // are served as LFS objects. Each name in `refs` (branches/tags) then points to it.
  std::string add_commit(const std::string& repo_id,
                         const std::map<std::string, std::string>& files,
                         const std::vector<std::string>& refs = {"main"});

  void set_token(const std::string& token);
  const std::string& token() const { return token_; }
  std::size_t lfs_min_size = 64;

  // Fault injection. The next GET of the LFS object `sha256` stops after `bytes` bytes.
  void cut_next_download(const std::string& sha256, std::size_t bytes);
  // Every GET of the LFS object `sha256` returns bytes that do not match its hash.
  void corrupt(const std::string& sha256);
  // Multipart LFS uploads for objects of at least this size (0: never), in `chunk` bytes.
  std::size_t multipart_min_size = 0;
  std::size_t multipart_chunk = 100;

  std::vector<FakeRequest> requests() const;
  std::size_t count(const std::string& method, const std::string& path_prefix) const;
  void clear_requests();
  std::vector<FakeReceivedCommit> commits() const;
  std::set<std::string> created_repos() const;
  std::map<std::string, std::string> lfs_store() const;  // oid -> bytes uploaded

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  std::string token_;
};

}  // namespace spanloop::testing
