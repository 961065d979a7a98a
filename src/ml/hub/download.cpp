// hf_hub_download in C++: metadata by HEAD, blobs by resumable GET, links into snapshots.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "ml/hub/cache_layout.h"
#include "ml/hub/digest.h"
#include "ml/hub/http_client.h"
#include "ml/hub/hub.h"
#include "ml/hub/hub_errors.h"
#include "ml/hub/progress_bar.h"
#include "text/error.h"

namespace spanloop::ml::hub {
namespace fs = std::filesystem;
namespace {

// What a HEAD on resolve/<rev>/<file> says about the file.
struct FileMetadata {
  std::string commit;
  std::string etag;        // sha256 for LFS files, git blob sha1 otherwise
  std::uint64_t size = 0;  // 0 when unknown
  std::string location;    // where to GET the bytes (the CDN for LFS files)
  bool lfs = false;
  bool missing = false;  // 404 EntryNotFound: the revision has no such file
};

std::string normalize_etag(std::string etag) {
  if (etag.rfind("W/", 0) == 0) etag = etag.substr(2);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return etag;
}

bool is_sha256_hex(const std::string& s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Filenames come from our own list or from an index.json on the Hub: refuse anything that
// could step out of the snapshot folder.
void check_filename(const std::string& filename) {
  const fs::path p(filename);
  bool bad = filename.empty() || p.is_absolute() || filename.find('\\') != std::string::npos;
  for (const auto& part : p) {
    if (part == ".." || part == ".") bad = true;
  }
  if (bad) throw Error(ErrorKind::kInvalidArgument, "unsafe file name in repository: " + filename);
}

std::vector<std::pair<std::string, std::string>> auth_headers(const HubOptions& options) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!options.token.empty()) headers.emplace_back("Authorization", "Bearer " + options.token);
  return headers;
}

std::string absolute_url(const std::string& base, const std::string& location) {
  if (location.rfind("http://", 0) == 0 || location.rfind("https://", 0) == 0) return location;
  const auto scheme_end = base.find("://");
  const auto host_end = base.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  return base.substr(0, host_end) + location;
}

// A file the revision does not have (404 EntryNotFound) comes back with `missing` set.
FileMetadata head_file(const std::string& url, const std::string& what, const HubOptions& options) {
  std::string current = url;
  for (int hop = 0; hop < 5; ++hop) {
    HttpRequest req;
    req.method = "HEAD";
    req.url = current;
    req.follow_redirects = false;
    req.headers = auth_headers(options);
    req.headers.emplace_back("Accept-Encoding", "identity");
    const HttpResponse res = http_perform(req);
    if (!res.transport_error.empty())
      throw_hub_error(res, what, options.endpoint, !options.token.empty());
    const std::string location = res.header("location");
    // A relative redirect means a renamed repo: follow it. An absolute one goes to the CDN:
    // its headers already carry everything we need.
    if (res.status >= 300 && res.status < 400 && location.rfind('/', 0) == 0) {
      current = absolute_url(current, location);
      continue;
    }
    if (res.status == 404 &&
        (res.header("x-error-code") == "EntryNotFound" ||
         (res.header("x-error-code").empty() && !res.header("x-repo-commit").empty()))) {
      FileMetadata missing;
      missing.missing = true;
      missing.commit = res.header("x-repo-commit");
      return missing;
    }
    if (res.status >= 400 || res.status < 200) {
      throw_hub_error(res, what, options.endpoint, !options.token.empty());
    }
    FileMetadata meta;
    meta.commit = res.header("x-repo-commit");
    const std::string linked = res.header("x-linked-etag");
    meta.etag = normalize_etag(linked.empty() ? res.header("etag") : linked);
    meta.lfs = !linked.empty();
    const std::string size = res.header("x-linked-size").empty() ? res.header("content-length")
                                                                 : res.header("x-linked-size");
    if (!size.empty()) meta.size = std::stoull(size);
    meta.location = location.empty() ? current : absolute_url(current, location);
    if (!is_commit_sha(meta.commit)) {
      throw Error(ErrorKind::kUnavailable,
                  what + ": the server at " + options.endpoint +
                      " sent no X-Repo-Commit header; is HF_ENDPOINT a Hugging Face Hub?");
    }
    if (meta.etag.empty() || meta.etag.find('/') != std::string::npos) {
      throw Error(ErrorKind::kUnavailable,
                  what + ": the server at " + options.endpoint + " sent no usable ETag");
    }
    return meta;
  }
  throw Error(ErrorKind::kUnavailable, what + ": too many redirects from " + options.endpoint);
}

// An exclusive flock on the blob's lock file, so two processes never write one blob.
class BlobLock {
 public:
  explicit BlobLock(const fs::path& path) {
    std::error_code ec;
    fs::create_directories(path.parent_path(), ec);
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ >= 0) ::flock(fd_, LOCK_EX);
  }
  ~BlobLock() {
    if (fd_ >= 0) {
      ::flock(fd_, LOCK_UN);
      ::close(fd_);
    }
  }
  BlobLock(const BlobLock&) = delete;
  BlobLock& operator=(const BlobLock&) = delete;

 private:
  int fd_ = -1;
};

std::uint64_t file_size_or_zero(const fs::path& p) {
  std::error_code ec;
  const auto n = fs::file_size(p, ec);
  return ec ? 0 : static_cast<std::uint64_t>(n);
}

// GETs the blob into <blob>.incomplete, resuming with Range after a cut connection, then
// checks size and (for LFS files) SHA-256 and moves it into place. Returns bytes fetched.
std::uint64_t fetch_blob(const FileMetadata& meta, const fs::path& blob, const std::string& what,
                         const std::string& filename, const HubOptions& options) {
  const fs::path incomplete = blob.string() + ".incomplete";
  fs::create_directories(blob.parent_path());
  std::uint64_t fetched = 0;
  std::string last_error;
  const int attempts = std::max(1, options.max_attempts);
  bool complete = false;
  for (int attempt = 0; attempt < attempts && !complete; ++attempt) {
    std::uint64_t have = file_size_or_zero(incomplete);
    if (meta.size && have > meta.size) {
      fs::remove(incomplete);
      have = 0;
    }
    if (meta.size && have == meta.size) {
      complete = true;
      break;
    }
    std::FILE* out = std::fopen(incomplete.c_str(), have ? "ab" : "wb");
    if (!out) throw Error(ErrorKind::kUnavailable, "cannot write " + incomplete.string());
    ProgressBar bar(filename, meta.size, options.progress);
    HttpRequest req;
    req.url = meta.location;
    req.headers = auth_headers(options);
    if (have) req.range_from = have;
    bool restarted = false;
    req.on_start = [&](long status, const std::map<std::string, std::string>&) {
      if (have && status == 200) {  // the server ignored Range: start over
        restarted = true;
        return false;
      }
      return true;
    };
    req.sink = [&](const char* data, std::size_t n) {
      fetched += n;
      return std::fwrite(data, 1, n, out) == n;
    };
    req.progress = [&](std::uint64_t now, std::uint64_t) { bar.update(have + now); };
    const HttpResponse res = http_perform(req);
    const bool closed_ok = std::fclose(out) == 0;
    bar.finish();
    if (restarted) {
      fs::remove(incomplete);
      continue;
    }
    if (res.status == 416) {  // our partial file is stale or longer than the object
      fs::remove(incomplete);
      last_error = "HTTP 416 for a resumed range";
      continue;
    }
    if (!closed_ok) throw Error(ErrorKind::kUnavailable, "cannot write " + incomplete.string());
    if (res.aborted) throw Error(ErrorKind::kUnavailable, "cannot write " + incomplete.string());
    if (!res.transport_error.empty()) {
      last_error = res.transport_error;
      continue;  // cut connection or timeout: the next attempt resumes
    }
    if (!res.ok()) throw_hub_error(res, what, options.endpoint, !options.token.empty());
    if (meta.size == 0 || file_size_or_zero(incomplete) == meta.size)
      complete = true;
    else
      last_error = "the connection closed early";
  }
  if (!complete) {
    throw Error(ErrorKind::kUnavailable, what + ": download failed after " +
                                             std::to_string(attempts) + " attempts (" + last_error +
                                             "); the partial file " + incomplete.string() +
                                             " is kept and the next run resumes it");
  }
  const std::uint64_t got = file_size_or_zero(incomplete);
  if (meta.size && got != meta.size) {
    fs::remove(incomplete);
    throw Error(ErrorKind::kUnavailable, what + ": expected " + std::to_string(meta.size) +
                                             " bytes, got " + std::to_string(got));
  }
  if (is_sha256_hex(meta.etag)) {
    const std::string actual = sha256_file_hex(incomplete);
    if (actual != meta.etag) {
      fs::remove(incomplete);
      throw Error(ErrorKind::kUnavailable,
                  what + ": checksum mismatch, the download is corrupt (SHA-256 " + actual +
                      ", expected " + meta.etag + "); the partial file was deleted, retry");
    }
  }
  fs::rename(incomplete, blob);
  return fetched;
}

std::optional<fs::path> cached_file(const RepoCache& cache, const std::string& revision,
                                    const std::string& filename) {
  const auto commit = cache.commit_of(revision);
  if (!commit) return std::nullopt;
  const fs::path p = cache.file(*commit, filename);
  std::error_code ec;
  if (fs::exists(p, ec)) return p;
  return std::nullopt;
}

}  // namespace

std::optional<fs::path> download_file(const std::string& repo_id, const std::string& filename,
                                      const std::string& revision, const HubOptions& options,
                                      std::uint64_t* downloaded_bytes) {
  check_filename(filename);
  const RepoCache cache(options.cache_dir, repo_id);
  const std::string what = repo_id + "@" + revision + ": " + filename;
  if (options.offline) {
    if (auto p = cached_file(cache, revision, filename)) return p;
    const auto commit = cache.commit_of(revision);
    if (commit && cache.known_missing(*commit, filename)) return std::nullopt;
    throw Error(ErrorKind::kFailedPrecondition,
                what + " is not in the cache (" + cache.root().string() +
                    ") and HF_HUB_OFFLINE=1 forbids downloading it; unset HF_HUB_OFFLINE or "
                    "download it on a connected machine first");
  }
  // A commit sha is immutable: a cached file needs no network round trip.
  if (is_commit_sha(revision)) {
    if (auto p = cached_file(cache, revision, filename)) return p;
    if (cache.known_missing(revision, filename)) return std::nullopt;
  }
  const std::string url =
      options.endpoint + "/" + repo_id + "/resolve/" + url_encode(revision) + "/" + filename;
  FileMetadata meta;
  try {
    meta = head_file(url, what, options);
  } catch (const Error& e) {
    // Like huggingface_hub: when the Hub cannot be reached, a cached copy still serves.
    if (e.kind() == ErrorKind::kUnavailable) {
      if (auto p = cached_file(cache, revision, filename)) return p;
    }
    throw;
  }
  if (meta.missing) {
    // Remember the absence (as huggingface_hub does) so offline runs know it is no oversight.
    if (is_commit_sha(meta.commit)) {
      cache.write_ref(revision, meta.commit);
      cache.mark_missing(meta.commit, filename);
    }
    return std::nullopt;
  }
  cache.write_ref(revision, meta.commit);
  const fs::path pointer = cache.file(meta.commit, filename);
  const fs::path blob = cache.blob(meta.etag);
  std::error_code ec;
  if (fs::exists(pointer, ec) && fs::exists(blob, ec)) return pointer;
  {
    BlobLock lock(cache.lock(meta.etag));
    if (!fs::exists(blob, ec)) {
      const std::uint64_t n = fetch_blob(meta, blob, what, filename, options);
      if (downloaded_bytes) *downloaded_bytes += n;
    }
  }
  cache.link(meta.commit, filename, meta.etag);
  return pointer;
}

}  // namespace spanloop::ml::hub
