// Reading and writing the Hugging Face cache layout.
#include "ml/hub/cache_layout.h"

#include <fstream>
#include <system_error>

#include "text/error.h"

namespace spanloop::ml::hub {
namespace fs = std::filesystem;

bool is_commit_sha(const std::string& revision) {
  if (revision.size() != 40) return false;
  for (char c : revision) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

RepoCache::RepoCache(const fs::path& cache_dir, const std::string& repo_id)
    : cache_dir_(cache_dir) {
  folder_ = "models--";
  for (char c : repo_id) {
    if (c == '/') {
      folder_ += "--";
    } else {
      folder_ += c;
    }
  }
  root_ = cache_dir / folder_;
}

fs::path RepoCache::lock(const std::string& etag) const {
  return cache_dir_ / ".locks" / folder_ / (etag + ".lock");
}

std::optional<std::string> RepoCache::commit_of(const std::string& revision) const {
  if (is_commit_sha(revision)) return revision;
  std::ifstream in(root_ / "refs" / revision);
  std::string commit;
  if (!in || !std::getline(in, commit)) return std::nullopt;
  while (!commit.empty() && (commit.back() == '\r' || commit.back() == ' ')) commit.pop_back();
  if (!is_commit_sha(commit)) return std::nullopt;
  return commit;
}

void RepoCache::write_ref(const std::string& revision, const std::string& commit) const {
  if (revision == commit) return;
  const fs::path ref = root_ / "refs" / revision;
  if (commit_of(revision) == commit) return;
  fs::create_directories(ref.parent_path());
  const fs::path tmp = ref.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << commit;  // no newline: huggingface_hub writes the bare sha
    if (!out.flush()) throw Error(ErrorKind::kUnavailable, "cannot write " + tmp.string());
  }
  fs::rename(tmp, ref);
}

void RepoCache::link(const std::string& commit, const std::string& filename,
                     const std::string& etag) const {
  const fs::path pointer = file(commit, filename);
  fs::create_directories(pointer.parent_path());
  const fs::path target = fs::relative(blob(etag), pointer.parent_path());
  std::error_code ec;
  fs::remove(pointer, ec);
  fs::create_symlink(target, pointer, ec);
  if (ec) {
    fs::copy_file(blob(etag), pointer, fs::copy_options::overwrite_existing, ec);
    if (ec) {
      throw Error(ErrorKind::kUnavailable,
                  "cannot link " + pointer.string() + " to its blob: " + ec.message());
    }
  }
}

void RepoCache::mark_missing(const std::string& commit, const std::string& filename) const {
  const fs::path marker = root_ / ".no_exist" / commit / filename;
  std::error_code ec;
  fs::create_directories(marker.parent_path(), ec);
  std::ofstream touch(marker, std::ios::binary | std::ios::app);
}

bool RepoCache::known_missing(const std::string& commit, const std::string& filename) const {
  std::error_code ec;
  return fs::exists(root_ / ".no_exist" / commit / filename, ec);
}

}  // namespace spanloop::ml::hub
