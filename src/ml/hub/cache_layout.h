// The Hugging Face cache layout (huggingface_hub's file_download): models--org--name/ with
// refs/<revision> -> commit, blobs/<etag>, snapshots/<commit>/<file> -> ../../blobs/<etag>.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace spanloop::ml::hub {

class RepoCache {
 public:
  RepoCache(const std::filesystem::path& cache_dir, const std::string& repo_id);

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path blob(const std::string& etag) const { return root_ / "blobs" / etag; }
  std::filesystem::path snapshot(const std::string& commit) const {
    return root_ / "snapshots" / commit;
  }
  std::filesystem::path file(const std::string& commit, const std::string& filename) const {
    return snapshot(commit) / filename;
  }
  // huggingface_hub's lock file for one blob: <cache>/.locks/models--org--name/<etag>.lock
  std::filesystem::path lock(const std::string& etag) const;

  // The commit a revision points to: the revision itself when it is a 40-hex sha, else the
  // content of refs/<revision>; nullopt when unknown.
  std::optional<std::string> commit_of(const std::string& revision) const;
  void write_ref(const std::string& revision, const std::string& commit) const;

  // Points snapshots/<commit>/<filename> at blobs/<etag> with a relative symlink (a copy
  // where the filesystem refuses links, as huggingface_hub does).
  void link(const std::string& commit, const std::string& filename, const std::string& etag) const;

  // Marks/asks "this commit has no such file" (.no_exist/<commit>/<filename>), so an offline
  // run knows an optional file is absent rather than not yet downloaded.
  void mark_missing(const std::string& commit, const std::string& filename) const;
  bool known_missing(const std::string& commit, const std::string& filename) const;

 private:
  std::filesystem::path cache_dir_;
  std::string folder_;
  std::filesystem::path root_;
};

bool is_commit_sha(const std::string& revision);

}  // namespace spanloop::ml::hub
