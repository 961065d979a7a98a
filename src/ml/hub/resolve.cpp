// Model ids to local folders: which files a model needs, environment defaults, id parsing.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "ml/hub/cache_layout.h"
#include "ml/hub/hub.h"
#include "ml/hub/pytorch_bin_source.h"
#include "text/error.h"

namespace spanloop::ml::hub {
namespace fs = std::filesystem;
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

bool env_true(const char* name) {
  std::string v = env(name);
  std::transform(v.begin(), v.end(), v.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return v == "1" || v == "ON" || v == "YES" || v == "TRUE";
}

fs::path hf_home() {
  if (auto h = env("HF_HOME"); !h.empty()) return h;
  if (auto x = env("XDG_CACHE_HOME"); !x.empty()) return fs::path(x) / "huggingface";
  return fs::path(env("HOME").empty() ? "/tmp" : env("HOME")) / ".cache" / "huggingface";
}

std::string default_endpoint() {
  std::string e = env("HF_ENDPOINT");
  if (e.empty()) e = "https://huggingface.co";
  while (!e.empty() && e.back() == '/') e.pop_back();
  return e;
}

bool valid_repo_part(const std::string& s) {
  if (s.empty() || s.size() > 96 || s == "." || s == "..") return false;
  if (s.find("--") != std::string::npos || s.find("..") != std::string::npos) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_' || c == '.';
  });
}

// Treats "not in the offline cache" as "absent" for optional files.
std::optional<fs::path> try_file(const std::string& repo_id, const std::string& filename,
                                 const std::string& revision, const HubOptions& options,
                                 std::uint64_t* downloaded) {
  try {
    return download_file(repo_id, filename, revision, options, downloaded);
  } catch (const Error& e) {
    if (options.offline && e.kind() == ErrorKind::kFailedPrecondition) return std::nullopt;
    throw;
  }
}

// The shard files an index.json's weight_map names, in first-seen order.
std::vector<std::string> shards_of(const fs::path& index) {
  std::ifstream in(index);
  const auto json = nlohmann::json::parse(in, nullptr, false);
  if (!json.is_object() || !json.contains("weight_map") || !json["weight_map"].is_object()) {
    throw Error(
        ErrorKind::kInvalidArgument,
        index.string() + ": not a checkpoint index (expected an object with \"weight_map\")");
  }
  std::vector<std::string> shards;
  std::set<std::string> seen;
  for (const auto& [name, file] : json["weight_map"].items()) {
    if (!file.is_string()) {
      throw Error(ErrorKind::kInvalidArgument,
                  index.string() + ": weight_map[\"" + name + "\"] is not a file name");
    }
    if (seen.insert(file.get<std::string>()).second) shards.push_back(file.get<std::string>());
  }
  return shards;
}

}  // namespace

HubOptions HubOptions::from_env() {
  HubOptions o;
  o.endpoint = default_endpoint();
  o.token = env("HF_TOKEN");
  if (o.token.empty()) o.token = env("HUGGING_FACE_HUB_TOKEN");
  if (o.token.empty()) {
    const fs::path token_file =
        env("HF_TOKEN_PATH").empty() ? hf_home() / "token" : fs::path(env("HF_TOKEN_PATH"));
    std::ifstream in(token_file);
    std::getline(in, o.token);
    while (!o.token.empty() && std::isspace(static_cast<unsigned char>(o.token.back()))) {
      o.token.pop_back();
    }
  }
  if (auto c = env("HF_HUB_CACHE"); !c.empty()) {
    o.cache_dir = c;
  } else if (auto c2 = env("HUGGINGFACE_HUB_CACHE"); !c2.empty()) {
    o.cache_dir = c2;
  } else {
    o.cache_dir = hf_home() / "hub";
  }
  o.offline = env_true("HF_HUB_OFFLINE") || env_true("TRANSFORMERS_OFFLINE");
  o.progress = !env_true("HF_HUB_DISABLE_PROGRESS_BARS");
  return o;
}

PushOptions PushOptions::from_env() {
  PushOptions o;
  o.endpoint = default_endpoint();
  return o;
}

ModelId ModelId::parse(const std::string& text) {
  ModelId id;
  std::string repo = text;
  if (const auto at = text.find('@'); at != std::string::npos) {
    repo = text.substr(0, at);
    id.revision = text.substr(at + 1);
    if (id.revision.empty()) {
      throw Error(ErrorKind::kInvalidArgument, "empty revision after '@' in model id " + text);
    }
  }
  const auto slash = repo.find('/');
  const bool ok = slash == std::string::npos ? valid_repo_part(repo)
                                             : repo.find('/', slash + 1) == std::string::npos &&
                                                   valid_repo_part(repo.substr(0, slash)) &&
                                                   valid_repo_part(repo.substr(slash + 1));
  if (!ok) {
    throw Error(ErrorKind::kInvalidArgument,
                "\"" + text +
                    "\" is not a Hub model id (expected org/name[@revision], letters, "
                    "digits, '-', '_' and '.')");
  }
  id.repo_id = repo;
  return id;
}

fs::path repo_cache_dir(const fs::path& cache_dir, const std::string& repo_id) {
  return RepoCache(cache_dir, repo_id).root();
}

Snapshot download_model(const std::string& repo_id, const std::string& revision,
                        const HubOptions& options) {
  Snapshot snap;
  auto config = try_file(repo_id, "config.json", revision, options, &snap.downloaded_bytes);
  const RepoCache cache(options.cache_dir, repo_id);
  if (!config) {
    throw Error(
        ErrorKind::kNotFound,
        repo_id + "@" + revision +
            (options.offline ? ": config.json is not in the cache (" + cache.root().string() +
                                   ") and HF_HUB_OFFLINE=1 forbids downloading it"
                             : " has no config.json: not a transformers model repository"));
  }
  // Every later file comes from the same commit, even if the branch moves meanwhile.
  const std::string commit = cache.commit_of(revision).value_or(revision);
  snap.commit = commit;
  snap.path = cache.snapshot(commit);
  snap.files.push_back("config.json");
  auto fetch = [&](const std::string& name) {
    auto p = try_file(repo_id, name, commit, options, &snap.downloaded_bytes);
    if (p) snap.files.push_back(name);
    return p.has_value();
  };
  const bool fast_tokenizer = fetch("tokenizer.json");
  fetch("tokenizer_config.json");
  fetch("special_tokens_map.json");
  if (!fast_tokenizer) {
    for (const char* name : {"vocab.txt", "vocab.json", "merges.txt", "added_tokens.json",
                             "sentencepiece.bpe.model", "spiece.model"}) {
      fetch(name);
    }
  }
  bool weights = fetch("model.safetensors");
  for (const char* index :
       {"model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json"}) {
    if (weights) break;
    if (!fetch(index)) continue;
    weights = true;
    const std::string name = index;
    if (name.size() > 11 && name.substr(name.size() - 11) == ".index.json") {
      for (const auto& shard : shards_of(snap.path / name)) {
        if (!fetch(shard)) {
          throw Error(ErrorKind::kNotFound, repo_id + "@" + commit + ": " + name + " names shard " +
                                                shard +
                                                (options.offline ? ", which is not in the cache"
                                                                 : ", which the repository lacks"));
        }
      }
    }
  }
  if (!weights) {
    throw Error(
        ErrorKind::kNotFound,
        repo_id + "@" + revision +
            ": no weights found (model.safetensors, model.safetensors.index.json, "
            "pytorch_model.bin or pytorch_model.bin.index.json)" +
            (options.offline ? " in the cache, and HF_HUB_OFFLINE=1 forbids downloading" : ""));
  }
  return snap;
}

fs::path resolve_model(const std::string& id_or_path, const HubOptions& options) {
  // Whatever the caller loads from the folder next, ml::open_weights can then read .bin files.
  register_pytorch_bin_format();
  std::error_code ec;
  if (fs::is_directory(id_or_path, ec)) return fs::path(id_or_path);
  if (fs::exists(id_or_path, ec)) {
    throw Error(ErrorKind::kInvalidArgument,
                id_or_path + " is a file; --model takes a model directory or a Hub id org/name");
  }
  const bool looks_like_path = id_or_path.empty() || id_or_path[0] == '/' || id_or_path[0] == '.' ||
                               id_or_path[0] == '~' || id_or_path.back() == '/' ||
                               std::count(id_or_path.begin(), id_or_path.end(), '/') > 1;
  if (looks_like_path) {
    throw Error(ErrorKind::kNotFound, "model directory " + id_or_path + " does not exist");
  }
  ModelId id;
  try {
    id = ModelId::parse(id_or_path);
  } catch (const Error&) {
    throw Error(ErrorKind::kNotFound, "\"" + id_or_path +
                                          "\" is neither an existing model directory nor a Hub "
                                          "model id (org/name[@revision])");
  }
  return download_model(id.repo_id, id.revision, options).path;
}

}  // namespace spanloop::ml::hub
