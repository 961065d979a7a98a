// `spanloop download MODEL_ID [--revision R]`: fetch a model from the Hugging Face Hub into the
// shared Hugging Face cache and print its snapshot folder (usable as --model anywhere).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>

#include "cli/command.h"
#include "ml/hub/hub.h"
#include "text/error.h"

namespace spanloop::cli {
namespace {

struct DownloadArgs {
  std::string model_id;
  std::string revision;
  std::string cache_dir;
  bool offline = false;
  bool quiet = false;
};

void run_download(const DownloadArgs& a) {
  ml::hub::HubOptions options = ml::hub::HubOptions::from_env();
  if (!a.cache_dir.empty()) options.cache_dir = a.cache_dir;
  if (a.offline) options.offline = true;
  if (a.quiet) options.progress = false;
  ml::hub::ModelId id = ml::hub::ModelId::parse(a.model_id);
  if (!a.revision.empty()) {
    if (a.model_id.find('@') != std::string::npos) {
      throw_invalid("give the revision either as MODEL_ID@REV or with --revision, not both");
    }
    id.revision = a.revision;
  }
  const ml::hub::Snapshot snap = ml::hub::download_model(id.repo_id, id.revision, options);
  if (!a.quiet) {
    std::fprintf(stderr, "%s@%s: commit %s, %zu files, %llu bytes downloaded\n", id.repo_id.c_str(),
                 id.revision.c_str(), snap.commit.c_str(), snap.files.size(),
                 static_cast<unsigned long long>(snap.downloaded_bytes));
  }
  std::printf("%s\n", snap.path.string().c_str());
}

void setup_download(CLI::App& root) {
  auto args = std::make_shared<DownloadArgs>();
  auto* cmd = root.add_subcommand(
      "download",
      "Download a model from the Hugging Face Hub into the Hugging Face cache (shared with "
      "Python) and print its snapshot folder. Honours HF_ENDPOINT, HF_TOKEN, HF_HOME, "
      "HF_HUB_CACHE and HF_HUB_OFFLINE");
  cmd->add_option("model_id", args->model_id, "Hub model id: org/name[@revision]")->required();
  cmd->add_option("--revision", args->revision, "Branch, tag or commit sha (default: main)");
  cmd->add_option("--cache-dir", args->cache_dir,
                  "Cache folder (default: $HF_HUB_CACHE, else $HF_HOME/hub, else "
                  "~/.cache/huggingface/hub)");
  cmd->add_flag("--offline", args->offline, "Use only the cache, as HF_HUB_OFFLINE=1");
  cmd->add_flag("--quiet", args->quiet, "No progress bar or summary; print only the folder");
  cmd->callback([args] {
    const int rc = run_guarded([&] { run_download(*args); });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace
SPANLOOP_COMMAND(setup_download);
}  // namespace spanloop::cli
