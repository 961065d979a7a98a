// push_folder: create the repo, ask the Hub which files go through LFS (preupload), upload LFS
// objects (Git LFS batch API, basic or multipart), then one NDJSON commit.
#include <fnmatch.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "ml/hub/digest.h"
#include "ml/hub/http_client.h"
#include "ml/hub/hub.h"
#include "ml/hub/hub_errors.h"
#include "text/error.h"

namespace spanloop::ml::hub {
namespace fs = std::filesystem;
using nlohmann::json;
namespace {

struct LocalFile {
  std::string path_in_repo;
  fs::path local;
  std::uint64_t size = 0;
  std::string sha256;
  std::string sample_b64;  // first 512 bytes: the Hub decides text vs binary from it
  std::string mode = "regular";
};

// Directories a training run leaves that do not belong in the model repo (as
// transformers' Trainer skips them when pushing).
bool ignored(const std::string& rel) {
  for (const auto& part : fs::path(rel)) {
    const std::string s = part.string();
    if (s.empty() || s[0] == '.' || s[0] == '_') return true;
    if (fnmatch("checkpoint-*", s.c_str(), 0) == 0) return true;
  }
  return false;
}

std::string read_range(const fs::path& p, std::uint64_t offset, std::uint64_t size) {
  std::ifstream in(p, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(offset));
  std::string buf(size, '\0');
  in.read(buf.data(), static_cast<std::streamsize>(size));
  buf.resize(static_cast<std::size_t>(in.gcount()));
  return buf;
}

std::vector<LocalFile> collect(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw Error(ErrorKind::kNotFound, "push: " + dir.string() + " is not a directory");
  }
  std::vector<LocalFile> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    const std::string rel = fs::relative(entry.path(), dir).generic_string();
    if (ignored(rel)) continue;
    LocalFile f;
    f.path_in_repo = rel;
    f.local = entry.path();
    f.size = entry.file_size();
    f.sha256 = sha256_file_hex(entry.path());
    f.sample_b64 = base64_encode(read_range(entry.path(), 0, 512));
    files.push_back(std::move(f));
  }
  std::sort(files.begin(), files.end(),
            [](const LocalFile& a, const LocalFile& b) { return a.path_in_repo < b.path_in_repo; });
  if (files.empty())
    throw Error(ErrorKind::kInvalidArgument, "push: " + dir.string() + " has no files");
  return files;
}

class HubSession {
 public:
  HubSession(std::string endpoint, std::string token, std::string repo_id)
      : endpoint_(std::move(endpoint)), token_(std::move(token)), repo_id_(std::move(repo_id)) {}

  HttpResponse post_json(const std::string& path, const json& body, const std::string& what,
                         const std::string& content_type = "application/json") {
    return post(path, body.dump(), what, content_type);
  }

  HttpResponse post(const std::string& path, std::string body, const std::string& what,
                    const std::string& content_type) {
    HttpRequest req;
    req.method = "POST";
    req.url = path.rfind("http", 0) == 0 ? path : endpoint_ + path;
    req.headers = {{"Authorization", "Bearer " + token_}, {"Content-Type", content_type}};
    if (content_type.find("git-lfs") != std::string::npos)
      req.headers.emplace_back("Accept", content_type);
    req.body = std::move(body);
    return check(http_perform(req), what);
  }

  HttpResponse check(HttpResponse res, const std::string& what) {
    if (!res.ok()) throw_hub_error(res, "push " + repo_id_ + ": " + what, endpoint_, true);
    return res;
  }

  json parse(const HttpResponse& res, const std::string& what) {
    auto j = json::parse(res.body, nullptr, false);
    if (j.is_discarded()) {
      throw Error(ErrorKind::kUnavailable,
                  "push " + repo_id_ + ": " + what + ": the Hub answered with invalid JSON");
    }
    return j;
  }

  const std::string& endpoint() const { return endpoint_; }
  const std::string& repo_id() const { return repo_id_; }
  const std::string& token() const { return token_; }

 private:
  std::string endpoint_, token_, repo_id_;
};

void create_repo(HubSession& hub, const PushOptions& options) {
  const std::string& repo = hub.repo_id();
  const auto slash = repo.find('/');
  json body = {{"name", repo.substr(slash + 1)},
               {"organization", repo.substr(0, slash)},
               {"private", options.private_repo}};
  HttpRequest req;
  req.method = "POST";
  req.url = hub.endpoint() + "/api/repos/create";
  req.headers = {{"Authorization", "Bearer " + hub.token()}, {"Content-Type", "application/json"}};
  req.body = body.dump();
  HttpResponse res = http_perform(req);
  if (res.status == 409) return;  // already exists: pushing a new commit to it is the point
  hub.check(std::move(res), "create repository");
}

void decide_modes(HubSession& hub, std::vector<LocalFile>& files, const std::string& revision) {
  for (std::size_t start = 0; start < files.size(); start += 256) {
    json body = {{"files", json::array()}};
    const std::size_t end = std::min(files.size(), start + 256);
    for (std::size_t i = start; i < end; ++i) {
      body["files"].push_back({{"path", files[i].path_in_repo},
                               {"sample", files[i].sample_b64},
                               {"size", files[i].size}});
    }
    const json answer = hub.parse(
        hub.post_json("/api/models/" + hub.repo_id() + "/preupload/" + url_encode(revision), body,
                      "preupload"),
        "preupload");
    if (!answer.contains("files") || !answer["files"].is_array()) {
      throw Error(ErrorKind::kUnavailable,
                  "push " + hub.repo_id() + ": preupload answer has no files");
    }
    for (const auto& f : answer["files"]) {
      const std::string path = f.value("path", "");
      const std::string mode = f.value("uploadMode", "regular");
      const bool ignore = f.value("shouldIgnore", false);
      for (std::size_t i = start; i < end; ++i) {
        if (files[i].path_in_repo != path) continue;
        files[i].mode = ignore ? "ignore" : mode == "lfs" ? "lfs" : "regular";
      }
    }
  }
}

std::vector<std::pair<std::string, std::string>> action_headers(const json& action) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (action.contains("header") && action["header"].is_object()) {
    for (const auto& [k, v] : action["header"].items()) {
      if (v.is_string()) headers.emplace_back(k, v.get<std::string>());
    }
  }
  return headers;
}

void upload_basic(HubSession& hub, const LocalFile& f, const json& action) {
  HttpRequest put;
  put.method = "PUT";
  put.url = action.value("href", "");
  put.headers = action_headers(action);
  put.body_file = f.local.string();
  hub.check(http_perform(put), "LFS upload of " + f.path_in_repo);
}

// Multipart: the header lists one pre-signed URL per part ("00001", ...) and the chunk size;
// each part's ETag goes into the completion call.
void upload_multipart(HubSession& hub, const LocalFile& f, const json& action) {
  const json& header = action["header"];
  const std::uint64_t chunk = std::stoull(
      header["chunk_size"].is_string() ? header["chunk_size"].get<std::string>()
                                       : std::to_string(header["chunk_size"].get<std::uint64_t>()));
  std::vector<std::pair<int, std::string>> part_urls;
  for (const auto& [k, v] : header.items()) {
    if (!k.empty() && std::all_of(k.begin(), k.end(), ::isdigit) && v.is_string()) {
      part_urls.emplace_back(std::stoi(k), v.get<std::string>());
    }
  }
  std::sort(part_urls.begin(), part_urls.end());
  json parts = json::array();
  for (const auto& [number, url] : part_urls) {
    HttpRequest put;
    put.method = "PUT";
    put.url = url;
    put.headers = {{"Content-Type", ""}};  // pre-signed part URLs: send no form content type
    put.body = read_range(f.local, static_cast<std::uint64_t>(number - 1) * chunk, chunk);
    const HttpResponse res = hub.check(
        http_perform(put), "LFS part " + std::to_string(number) + " of " + f.path_in_repo);
    parts.push_back({{"partNumber", number}, {"etag", res.header("etag")}});
  }
  hub.post_json(action.value("href", ""), {{"oid", f.sha256}, {"parts", parts}},
                "LFS multipart completion of " + f.path_in_repo);
}

void upload_lfs(HubSession& hub, const std::vector<LocalFile*>& lfs, const std::string& revision) {
  if (lfs.empty()) return;
  json objects = json::array();
  for (const auto* f : lfs) objects.push_back({{"oid", f->sha256}, {"size", f->size}});
  const json body = {{"operation", "upload"},
                     {"transfers", {"basic", "multipart"}},
                     {"objects", objects},
                     {"hash_algo", "sha256"},
                     {"ref", {{"name", revision}}}};
  const json answer = hub.parse(hub.post_json("/" + hub.repo_id() + ".git/info/lfs/objects/batch",
                                              body, "LFS batch", "application/vnd.git-lfs+json"),
                                "LFS batch");
  for (const auto& obj : answer.value("objects", json::array())) {
    const std::string oid = obj.value("oid", "");
    const auto it =
        std::find_if(lfs.begin(), lfs.end(), [&](const LocalFile* f) { return f->sha256 == oid; });
    if (it == lfs.end()) continue;
    const LocalFile& f = **it;
    if (obj.contains("error")) {
      throw Error(ErrorKind::kUnavailable, "push " + hub.repo_id() + ": LFS refused " +
                                               f.path_in_repo + ": " + obj["error"].dump());
    }
    if (!obj.contains("actions") || !obj["actions"].contains("upload")) continue;  // already stored
    const json& upload = obj["actions"]["upload"];
    if (upload.contains("header") && upload["header"].contains("chunk_size")) {
      upload_multipart(hub, f, upload);
    } else {
      upload_basic(hub, f, upload);
    }
    if (obj["actions"].contains("verify")) {
      const json& verify = obj["actions"]["verify"];
      HttpRequest req;
      req.method = "POST";
      req.url = verify.value("href", "");
      req.headers = action_headers(verify);
      req.headers.emplace_back("Content-Type", "application/vnd.git-lfs+json");
      req.body = json{{"oid", f.sha256}, {"size", f.size}}.dump();
      hub.check(http_perform(req), "LFS verify of " + f.path_in_repo);
    }
  }
}

std::string commit_payload(const std::vector<LocalFile>& files, const PushOptions& options) {
  std::string ndjson =
      json{{"key", "header"},
           {"value",
            {{"summary", options.commit_message}, {"description", options.commit_description}}}}
          .dump() +
      "\n";
  for (const auto& f : files) {
    if (f.mode == "ignore") continue;  // the Hub said so (e.g. a .gitignore'd path)
    json line;
    if (f.mode == "lfs") {
      line = {
          {"key", "lfsFile"},
          {"value",
           {{"path", f.path_in_repo}, {"algo", "sha256"}, {"oid", f.sha256}, {"size", f.size}}}};
    } else {
      std::ifstream in(f.local, std::ios::binary);
      const std::string content((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
      line = {{"key", "file"},
              {"value",
               {{"content", base64_encode(content)},
                {"path", f.path_in_repo},
                {"encoding", "base64"}}}};
    }
    ndjson += line.dump() + "\n";
  }
  return ndjson;
}

}  // namespace

CommitInfo push_folder(const fs::path& dir, const std::string& repo_id, const std::string& token,
                       const PushOptions& options) {
  const auto slash = repo_id.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == repo_id.size() ||
      repo_id.find('/', slash + 1) != std::string::npos) {
    throw Error(ErrorKind::kInvalidArgument,
                "push: repository id must be user/name (or org/name), got \"" + repo_id + "\"");
  }
  ModelId::parse(repo_id);  // same character rules as downloads
  if (token.empty()) {
    throw Error(
        ErrorKind::kUnauthenticated,
        "push " + repo_id + ": a Hub token with write access is needed (--token or HF_TOKEN)");
  }
  std::string endpoint = options.endpoint;
  while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();
  HubSession hub(endpoint, token, repo_id);
  std::vector<LocalFile> files = collect(dir);
  if (options.create_repo) create_repo(hub, options);
  decide_modes(hub, files, options.revision);
  std::vector<LocalFile*> lfs;
  for (auto& f : files) {
    if (f.mode == "lfs") lfs.push_back(&f);
  }
  upload_lfs(hub, lfs, options.revision);
  const json answer =
      hub.parse(hub.post("/api/models/" + repo_id + "/commit/" + url_encode(options.revision),
                         commit_payload(files, options), "commit", "application/x-ndjson"),
                "commit");
  CommitInfo info;
  info.commit_oid = answer.value("commitOid", "");
  info.commit_url = answer.value("commitUrl", "");
  for (const auto& f : files) {
    if (f.mode == "lfs") info.lfs_files.push_back(f.path_in_repo);
    if (f.mode == "regular") info.regular_files.push_back(f.path_in_repo);
  }
  return info;
}

}  // namespace spanloop::ml::hub
