// Staging the outputs without checkpoints (hard links) and pushing them with ml::hub.
#include "ml/train/hub_push.h"

#include <filesystem>

#include "ml/hub/hub.h"
#include "ml/train/train_options.h"
#include "text/error.h"

namespace spanloop::ml::train {
namespace fs = std::filesystem;

bool hub_push_available() {
  return true;
}

std::string push_outputs_to_hub(const TrainOptions& o) {
  const fs::path project = fs::absolute(o.project_name);
  const fs::path stage = project.parent_path() / (project.filename().string() + ".hub-upload");
  fs::remove_all(stage);
  fs::create_directories(stage);
  // The staging links go away whether the push worked or not.
  struct RemoveStage {
    fs::path dir;
    ~RemoveStage() {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  } remove_stage{stage};
  auto link = [](const fs::path& from, const fs::path& to) {
    std::error_code ec;
    fs::create_hard_link(from, to, ec);
    if (ec) fs::copy_file(from, to, fs::copy_options::overwrite_existing);
  };
  for (const auto& e : fs::directory_iterator(project)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("checkpoint-", 0) == 0 || name.front() == '.') continue;
    if (e.is_regular_file()) {
      link(e.path(), stage / name);
    } else if (e.is_directory() && name == "runs") {
      fs::create_directories(stage / name);
      for (const auto& f : fs::directory_iterator(e.path()))
        if (f.is_regular_file()) link(f.path(), stage / name / f.path().filename());
    }
  }
  const std::string repo = o.username + "/" + project.filename().string();
  hub::CommitInfo info;
  try {
    info = hub::push_folder(stage, repo, o.token);
  } catch (const Error& e) {
    // Training succeeded: say where its result is, keep the Hub's reason and kind.
    throw Error(e.kind(),
                std::string(e.what()) + "; the trained model is saved in " + project.string());
  }
  return info.commit_url.empty() ? repo : info.commit_url;
}

}  // namespace spanloop::ml::train
