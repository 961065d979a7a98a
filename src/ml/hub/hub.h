// Hugging Face Hub client: model ids resolved in the Hub's cache layout (shared with Python's
// huggingface_hub), downloads over libcurl, and folder uploads through the Hub's commit API.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace spanloop::ml::hub {

struct HubOptions {
  std::string endpoint = "https://huggingface.co";  // HF_ENDPOINT
  std::string token;                                // HF_TOKEN, else $HF_HOME/token
  std::filesystem::path cache_dir;                  // HF_HUB_CACHE, else $HF_HOME/hub
  bool offline = false;                             // HF_HUB_OFFLINE=1: cache only
  bool progress = true;                             // progress bar on stderr when it is a terminal
  int max_attempts = 5;  // tries per file; each retry resumes where the last one stopped

  // Defaults filled from the environment, as huggingface_hub reads it.
  static HubOptions from_env();
};

// "org/name" plus an optional "@revision" (branch, tag or commit sha; default "main").
struct ModelId {
  std::string repo_id;
  std::string revision = "main";
  // Parses "org/name[@rev]" or "name[@rev]"; throws kInvalidArgument naming the text.
  static ModelId parse(const std::string& text);
};

// A local model directory as is, or a Hub id resolved to its snapshot folder in the cache
// (downloading what is missing unless offline). What `--model` accepts everywhere.
std::filesystem::path resolve_model(const std::string& id_or_path,
                                    const HubOptions& options = HubOptions::from_env());

struct Snapshot {
  std::filesystem::path path;          // <cache>/models--org--name/snapshots/<commit>
  std::string commit;                  // 40-hex commit sha
  std::vector<std::string> files;      // files present, relative to path
  std::uint64_t downloaded_bytes = 0;  // bytes fetched by this call (0: all from cache)
};

// The files a model needs (config, tokenizer files, weights: model.safetensors or its shards,
// else pytorch_model.bin or its shards) at `revision`, in the cache.
Snapshot download_model(const std::string& repo_id, const std::string& revision,
                        const HubOptions& options = HubOptions::from_env());

// One file of a repo at a revision: its path in the snapshot, or nullopt when the repo has no
// such file. Throws spanloop::Error on auth, missing repo/revision, network, checksum failures.
std::optional<std::filesystem::path> download_file(const std::string& repo_id,
                                                   const std::string& filename,
                                                   const std::string& revision,
                                                   const HubOptions& options,
                                                   std::uint64_t* downloaded_bytes = nullptr);

// <cache>/models--org--name
std::filesystem::path repo_cache_dir(const std::filesystem::path& cache_dir,
                                     const std::string& repo_id);

struct PushOptions {
  std::string endpoint = "https://huggingface.co";  // default: HF_ENDPOINT
  std::string revision = "main";
  std::string commit_message = "Upload model trained with spanloop";
  std::string commit_description;
  bool private_repo = false;
  bool create_repo = true;  // POST /api/repos/create first (an existing repo is fine)
  static PushOptions from_env();
};

struct CommitInfo {
  std::string commit_oid;
  std::string commit_url;
  std::vector<std::string> regular_files;  // sent inline (base64) in the commit
  std::vector<std::string> lfs_files;      // uploaded through Git LFS
};

// Uploads every regular file under `dir` (relative paths kept; .git and dot files skipped) as
// one commit to model repo `repo_id` ("user/name"), creating the repo when needed.
CommitInfo push_folder(const std::filesystem::path& dir, const std::string& repo_id,
                       const std::string& token,
                       const PushOptions& options = PushOptions::from_env());

}  // namespace spanloop::ml::hub
