// The fake Hub's HTTP routes (cpp-httplib, one server thread on an ephemeral loopback port).
#include "fake_hub.h"

#include <httplib.h>
#include <openssl/evp.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

#include "ml/hub/digest.h"

namespace spanloop::testing {
using nlohmann::json;
namespace hub = spanloop::ml::hub;

namespace {

std::string decode_base64(const std::string& in) {
  std::string out(in.size() / 4 * 3 + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()),
                                static_cast<int>(in.size()));
  if (n < 0) return {};
  std::size_t len = static_cast<std::size_t>(n);
  if (!in.empty() && in.back() == '=') --len;
  if (in.size() > 1 && in[in.size() - 2] == '=') --len;
  out.resize(len);
  return out;
}

std::string url_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string random_sha1() {
  static std::mt19937_64 rng(42);
  return hub::sha256_hex(std::to_string(rng())).substr(0, 40);
}

void hub_error(httplib::Response& res, int status, const std::string& code,
               const std::string& msg) {
  res.status = status;
  if (!code.empty()) res.set_header("X-Error-Code", code);
  res.set_content(json{{"error", msg}}.dump(), "application/json");
}

}  // namespace

struct FakeHub::Impl {
  struct File {
    std::string content;
    bool lfs = false;
  };
  struct Repo {
    bool private_repo = false;
    std::map<std::string, std::string> refs;                     // name -> commit
    std::map<std::string, std::map<std::string, File>> commits;  // sha -> files
  };

  FakeHub* owner;
  httplib::Server server;
  std::thread thread;
  int port = 0;
  mutable std::mutex mutex;
  std::map<std::string, Repo> repos;
  std::map<std::string, std::string> lfs_objects;  // sha256 -> bytes (served by the CDN)
  std::map<std::string, std::size_t> cuts;
  std::set<std::string> corrupted;
  std::vector<FakeRequest> log;
  std::vector<FakeReceivedCommit> received;
  std::set<std::string> created;
  std::map<std::string, std::string> uploaded;              // oid -> bytes
  std::map<std::string, std::map<int, std::string>> parts;  // oid -> part -> bytes

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port); }

  bool authorized(const httplib::Request& req) const {
    return !owner->token().empty() &&
           req.get_header_value("Authorization") == "Bearer " + owner->token();
  }

  void routes() {
    // Logged before routing: a logger runs after the response is sent, which races the client.
    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response&) {
      std::lock_guard lock(mutex);
      log.push_back({req.method, req.path, req.get_header_value("Range"),
                     req.get_header_value("Authorization")});
      return httplib::Server::HandlerResponse::Unhandled;
    });
    server.Get(R"(/([^/]+)/([^/]+)/resolve/([^/]+)/(.+))",
               [this](const httplib::Request& req, httplib::Response& res) { resolve(req, res); });
    server.Get(R"(/cdn/lfs/([0-9a-f]{64}))",
               [this](const httplib::Request& req, httplib::Response& res) { cdn(req, res); });
    server.Post("/api/repos/create", [this](const httplib::Request& req, httplib::Response& res) {
      if (!authorized(req))
        return hub_error(res, 401, "", "Invalid credentials in Authorization header");
      const auto body = json::parse(req.body, nullptr, false);
      if (!body.is_object() || !body.contains("name") || !body.contains("organization")) {
        return hub_error(res, 400, "", "name and organization required");
      }
      const std::string id =
          body["organization"].get<std::string>() + "/" + body["name"].get<std::string>();
      std::lock_guard lock(mutex);
      if (repos.count(id)) return hub_error(res, 409, "", "You already created this model repo");
      repos[id].private_repo = body.value("private", false);
      created.insert(id);
      res.set_content(json{{"url", endpoint() + "/" + id}}.dump(), "application/json");
    });
    server.Post(
        R"(/api/models/([^/]+)/([^/]+)/preupload/([^/]+))",
        [this](const httplib::Request& req, httplib::Response& res) { preupload(req, res); });
    server.Post(
        R"(/([^/]+)/([^/]+)\.git/info/lfs/objects/batch)",
        [this](const httplib::Request& req, httplib::Response& res) { lfs_batch(req, res); });
    server.Put(R"(/cdn/upload/([0-9a-f]{64}))",
               [this](const httplib::Request& req, httplib::Response& res) {
                 if (req.get_header_value("Authorization") != "Basic lfs-upload-token")
                   return hub_error(res, 403, "", "bad upload signature");
                 std::lock_guard lock(mutex);
                 uploaded[req.matches[1]] = req.body;
                 res.status = 200;
               });
    server.Put(R"(/cdn/upload/([0-9a-f]{64})/part/(\d+))",
               [this](const httplib::Request& req, httplib::Response& res) {
                 std::lock_guard lock(mutex);
                 parts[req.matches[1]][std::stoi(req.matches[2])] = req.body;
                 res.set_header("ETag", "\"etag-" + std::string(req.matches[2]) + "\"");
                 res.status = 200;
               });
    server.Post(R"(/cdn/complete/([0-9a-f]{64}))",
                [this](const httplib::Request& req, httplib::Response& res) {
                  const auto body = json::parse(req.body, nullptr, false);
                  std::lock_guard lock(mutex);
                  const std::string oid = req.matches[1];
                  std::string whole;
                  int expected = 1;
                  for (const auto& p : body.value("parts", json::array())) {
                    if (p.value("partNumber", 0) != expected ||
                        p.value("etag", "") != "\"etag-" + std::to_string(expected) + "\"") {
                      return hub_error(res, 400, "", "parts out of order or wrong etag");
                    }
                    whole += parts[oid][expected++];
                  }
                  if (hub::sha256_hex(whole) != oid)
                    return hub_error(res, 400, "", "assembled parts do not match oid");
                  uploaded[oid] = whole;
                  res.set_content("{}", "application/json");
                });
    server.Post(R"(/cdn/verify/([0-9a-f]{64}))",
                [this](const httplib::Request& req, httplib::Response& res) {
                  const auto body = json::parse(req.body, nullptr, false);
                  std::lock_guard lock(mutex);
                  const std::string oid = req.matches[1];
                  if (!uploaded.count(oid) || body.value("oid", "") != oid ||
                      body.value("size", std::size_t{0}) != uploaded[oid].size()) {
                    return hub_error(res, 404, "", "object not uploaded");
                  }
                  res.set_content("{}", "application/json");
                });
    server.Post(R"(/api/models/([^/]+)/([^/]+)/commit/([^/]+))",
                [this](const httplib::Request& req, httplib::Response& res) { commit(req, res); });
  }

  // HEAD and GET {repo}/resolve/{rev}/{file}
  void resolve(const httplib::Request& req, httplib::Response& res) {
    const std::string repo_id = std::string(req.matches[1]) + "/" + std::string(req.matches[2]);
    const std::string rev = url_decode(req.matches[3]);
    const std::string file = req.matches[4];
    std::lock_guard lock(mutex);
    const auto repo = repos.find(repo_id);
    if (repo == repos.end() || (repo->second.private_repo && !authorized(req))) {
      return hub_error(res, 401, "RepoNotFound", "Repository Not Found for url: " + req.path);
    }
    std::string sha = rev;
    if (auto ref = repo->second.refs.find(rev); ref != repo->second.refs.end()) sha = ref->second;
    const auto commit = repo->second.commits.find(sha);
    if (commit == repo->second.commits.end()) {
      return hub_error(res, 404, "RevisionNotFound", "Invalid rev id: " + rev);
    }
    res.set_header("X-Repo-Commit", sha);
    const auto f = commit->second.find(file);
    if (f == commit->second.end()) return hub_error(res, 404, "EntryNotFound", "Entry not found");
    if (f->second.lfs) {
      const std::string oid = hub::sha256_hex(f->second.content);
      const std::string pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:" + oid +
                                  "\nsize " + std::to_string(f->second.content.size()) + "\n";
      res.status = 307;
      res.set_header("Location", endpoint() + "/cdn/lfs/" + oid);
      res.set_header("ETag", "\"" + hub::git_blob_sha1_hex(pointer) + "\"");
      res.set_header("X-Linked-Etag", "\"" + oid + "\"");
      res.set_header("X-Linked-Size", std::to_string(f->second.content.size()));
      return;
    }
    res.set_header("ETag", "\"" + hub::git_blob_sha1_hex(f->second.content) + "\"");
    res.set_content(f->second.content, "application/octet-stream");  // httplib applies Range
  }

  void cdn(const httplib::Request& req, httplib::Response& res) {
    const std::string oid = req.matches[1];
    std::lock_guard lock(mutex);
    const auto obj = lfs_objects.find(oid);
    if (obj == lfs_objects.end()) return hub_error(res, 404, "", "no such object");
    std::string bytes = obj->second;
    if (corrupted.count(oid) && !bytes.empty()) bytes[bytes.size() / 2] ^= 0x5a;
    res.set_header("ETag", "\"" + oid + "\"");
    res.set_header("Accept-Ranges", "bytes");
    if (auto cut = cuts.find(oid); cut != cuts.end() && req.ranges.empty()) {
      const std::size_t stop = cut->second;
      cuts.erase(cut);
      auto shared = std::make_shared<std::string>(bytes);
      res.set_content_provider(
          shared->size(), "application/octet-stream",
          [shared, stop](std::size_t offset, std::size_t, httplib::DataSink& sink) {
            if (offset >= stop) return false;  // drop the connection
            sink.write(shared->data() + offset, stop - offset);
            return true;
          });
      return;
    }
    res.set_content(bytes, "application/octet-stream");
  }

  void preupload(const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req)) return hub_error(res, 401, "", "Invalid credentials");
    const auto body = json::parse(req.body, nullptr, false);
    if (!body.is_object() || !body.contains("files"))
      return hub_error(res, 400, "", "files required");
    json files = json::array();
    for (const auto& f : body["files"]) {
      if (!f.contains("path") || !f.contains("size") || !f.contains("sample")) {
        return hub_error(res, 400, "", "each file needs path, size and sample");
      }
      const std::string sample = decode_base64(f["sample"].get<std::string>());
      if (sample.size() > 512) return hub_error(res, 400, "", "sample over 512 bytes");
      const bool binary = sample.find('\0') != std::string::npos;
      const bool lfs = f["size"].get<std::size_t>() >= owner->lfs_min_size || binary;
      files.push_back(
          {{"path", f["path"]}, {"uploadMode", lfs ? "lfs" : "regular"}, {"shouldIgnore", false}});
    }
    res.set_content(json{{"files", files}}.dump(), "application/json");
  }

  void lfs_batch(const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req)) return hub_error(res, 401, "", "Invalid credentials");
    if (req.get_header_value("Accept") != "application/vnd.git-lfs+json") {
      return hub_error(res, 406, "", "Accept must be application/vnd.git-lfs+json");
    }
    const auto body = json::parse(req.body, nullptr, false);
    if (body.value("operation", "") != "upload" || body.value("hash_algo", "") != "sha256") {
      return hub_error(res, 400, "", "operation upload with hash_algo sha256 expected");
    }
    json objects = json::array();
    std::lock_guard lock(mutex);
    for (const auto& o : body.value("objects", json::array())) {
      const std::string oid = o.value("oid", "");
      const std::size_t size = o.value("size", std::size_t{0});
      json out = {{"oid", oid}, {"size", size}};
      if (!uploaded.count(oid)) {
        json upload;
        if (owner->multipart_min_size && size >= owner->multipart_min_size) {
          json header = {{"chunk_size", std::to_string(owner->multipart_chunk)}};
          const std::size_t n = (size + owner->multipart_chunk - 1) / owner->multipart_chunk;
          for (std::size_t i = 1; i <= n; ++i) {
            char key[8];
            std::snprintf(key, sizeof key, "%05zu", i);
            header[key] = endpoint() + "/cdn/upload/" + oid + "/part/" + std::to_string(i);
          }
          upload = {{"href", endpoint() + "/cdn/complete/" + oid}, {"header", header}};
        } else {
          upload = {{"href", endpoint() + "/cdn/upload/" + oid},
                    {"header", {{"Authorization", "Basic lfs-upload-token"}}}};
        }
        out["actions"] = {{"upload", upload},
                          {"verify", {{"href", endpoint() + "/cdn/verify/" + oid}}}};
      }
      objects.push_back(out);
    }
    res.set_content(json{{"transfer", "basic"}, {"objects", objects}}.dump(),
                    "application/vnd.git-lfs+json");
  }

  void commit(const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req)) return hub_error(res, 401, "", "Invalid credentials");
    if (req.get_header_value("Content-Type") != "application/x-ndjson") {
      return hub_error(res, 400, "", "Content-Type must be application/x-ndjson");
    }
    FakeReceivedCommit got;
    got.repo_id = std::string(req.matches[1]) + "/" + std::string(req.matches[2]);
    got.revision = url_decode(req.matches[3]);
    std::istringstream lines(req.body);
    std::string line;
    bool first = true;
    std::lock_guard lock(mutex);
    std::map<std::string, File> files;
    while (std::getline(lines, line)) {
      if (line.empty()) continue;
      const auto j = json::parse(line, nullptr, false);
      if (!j.is_object() || !j.contains("key") || !j.contains("value")) {
        return hub_error(res, 400, "", "bad NDJSON line: " + line.substr(0, 80));
      }
      const std::string key = j["key"];
      const json& v = j["value"];
      if (first != (key == "header"))
        return hub_error(res, 400, "", "header must come first, once");
      first = false;
      if (key == "header") {
        got.summary = v.value("summary", "");
        if (got.summary.empty()) return hub_error(res, 400, "", "summary required");
      } else if (key == "file") {
        if (v.value("encoding", "") != "base64")
          return hub_error(res, 400, "", "encoding must be base64");
        const std::string content = decode_base64(v.value("content", ""));
        got.regular_files[v.value("path", "")] = content;
        files[v.value("path", "")] = {content, false};
      } else if (key == "lfsFile") {
        const std::string oid = v.value("oid", "");
        if (v.value("algo", "") != "sha256" || !uploaded.count(oid) ||
            v.value("size", std::size_t{0}) != uploaded[oid].size()) {
          return hub_error(res, 400, "", "LFS object " + oid + " was not uploaded");
        }
        got.lfs_files[v.value("path", "")] = oid;
        files[v.value("path", "")] = {uploaded[oid], true};
        lfs_objects[oid] = uploaded[oid];
      } else {
        return hub_error(res, 400, "", "unknown key " + key);
      }
    }
    auto repo = repos.find(got.repo_id);
    if (repo == repos.end()) return hub_error(res, 404, "RepoNotFound", "Repository not found");
    got.commit_sha = random_sha1();
    repo->second.commits[got.commit_sha] = files;
    repo->second.refs[got.revision] = got.commit_sha;
    received.push_back(got);
    res.set_content(
        json{{"commitOid", got.commit_sha},
             {"commitUrl", endpoint() + "/" + got.repo_id + "/commit/" + got.commit_sha}}
            .dump(),
        "application/json");
  }
};

FakeHub::FakeHub() : impl_(std::make_unique<Impl>()) {
  impl_->owner = this;
  impl_->routes();
  impl_->port = impl_->server.bind_to_any_port("127.0.0.1");
  impl_->thread = std::thread([this] { impl_->server.listen_after_bind(); });
  while (!impl_->server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FakeHub::~FakeHub() {
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

std::string FakeHub::endpoint() const {
  return impl_->endpoint();
}

void FakeHub::add_repo(const std::string& repo_id, bool private_repo) {
  std::lock_guard lock(impl_->mutex);
  impl_->repos[repo_id].private_repo = private_repo;
}

std::string FakeHub::add_commit(const std::string& repo_id,
                                const std::map<std::string, std::string>& files,
                                const std::vector<std::string>& refs) {
  std::lock_guard lock(impl_->mutex);
  auto& repo = impl_->repos[repo_id];
  const std::string sha = random_sha1();
  auto& stored = repo.commits[sha];
  for (const auto& [path, content] : files) {
    const bool lfs = content.size() >= lfs_min_size;
    stored[path] = {content, lfs};
    if (lfs) impl_->lfs_objects[hub::sha256_hex(content)] = content;
  }
  for (const auto& r : refs) repo.refs[r] = sha;
  return sha;
}

void FakeHub::set_token(const std::string& token) {
  token_ = token;
}

void FakeHub::cut_next_download(const std::string& sha256, std::size_t bytes) {
  std::lock_guard lock(impl_->mutex);
  impl_->cuts[sha256] = bytes;
}

void FakeHub::corrupt(const std::string& sha256) {
  std::lock_guard lock(impl_->mutex);
  impl_->corrupted.insert(sha256);
}

std::vector<FakeRequest> FakeHub::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->log;
}

std::size_t FakeHub::count(const std::string& method, const std::string& prefix) const {
  std::lock_guard lock(impl_->mutex);
  std::size_t n = 0;
  for (const auto& r : impl_->log) n += r.method == method && r.path.rfind(prefix, 0) == 0;
  return n;
}

void FakeHub::clear_requests() {
  std::lock_guard lock(impl_->mutex);
  impl_->log.clear();
}

std::vector<FakeReceivedCommit> FakeHub::commits() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->received;
}

std::set<std::string> FakeHub::created_repos() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->created;
}

std::map<std::string, std::string> FakeHub::lfs_store() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->uploaded;
}

}  // namespace spanloop::testing
