// Checkpoint files: torch archives for tensors, JSON for the trainer's position.
#include "ml/train/checkpoint.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/serialize.h>

#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "text/error.h"

namespace spanloop::ml::train {
namespace fs = std::filesystem;

std::string state_to_json(const TrainerState& s) {
  nlohmann::ordered_json j{{"global_step", s.step},
                           {"epoch", s.epoch},
                           {"step_in_epoch", s.step_in_epoch},
                           {"best_f1", s.best_f1},
                           {"best_checkpoint", s.best_checkpoint},
                           {"bad_evals", s.bad_evals},
                           {"loss_scale", s.loss_scale},
                           {"good_steps", s.good_steps},
                           {"checkpoints", s.checkpoints}};
  return j.dump(2);
}

TrainerState state_from_json(const std::string& json, const std::string& what) {
  try {
    const auto j = nlohmann::json::parse(json);
    TrainerState s;
    s.step = j.at("global_step").get<std::int64_t>();
    s.epoch = j.at("epoch").get<int>();
    s.step_in_epoch = j.at("step_in_epoch").get<std::int64_t>();
    s.best_f1 = j.at("best_f1").get<double>();
    s.best_checkpoint = j.at("best_checkpoint").get<std::string>();
    s.bad_evals = j.at("bad_evals").get<int>();
    s.loss_scale = j.at("loss_scale").get<double>();
    s.good_steps = j.at("good_steps").get<std::int64_t>();
    s.checkpoints = j.at("checkpoints").get<std::vector<std::string>>();
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw_invalid(what + ": " + e.what());
  }
}

void save_checkpoint(const fs::path& dir, torch::nn::Module& module,
                     torch::optim::Optimizer& optimizer, const TrainerState& state) {
  fs::create_directories(dir);
  {
    torch::serialize::OutputArchive a;
    module.save(a);
    a.save_to((dir / "model.pt").string());
  }
  torch::save(optimizer, (dir / "optimizer.pt").string());
  {
    auto gen = at::detail::getDefaultCPUGenerator();
    torch::Tensor rng;
    {
      std::lock_guard<std::mutex> lock(gen.mutex());
      rng = gen.get_state();
    }
    torch::save(rng, (dir / "rng.pt").string());
  }
  std::ofstream out(dir / "trainer_state.json", std::ios::trunc);
  out << state_to_json(state) << '\n';
  if (!out)
    throw Error(ErrorKind::kUnavailable, "cannot write " + (dir / "trainer_state.json").string());
}

void load_checkpoint_weights(const fs::path& dir, torch::nn::Module& module) {
  const fs::path model = dir / "model.pt";
  if (!fs::exists(model)) throw_not_found("checkpoint file " + model.string() + " is missing");
  try {
    torch::serialize::InputArchive a;
    a.load_from(model.string());
    module.load(a);
  } catch (const c10::Error& e) {
    throw_invalid(model.string() + " does not fit this model: " + e.what_without_backtrace());
  }
}

TrainerState load_checkpoint(const fs::path& dir, torch::nn::Module& module,
                             torch::optim::Optimizer& optimizer) {
  for (const char* f : {"model.pt", "optimizer.pt", "rng.pt", "trainer_state.json"})
    if (!fs::exists(dir / f))
      throw_not_found("checkpoint file " + (dir / f).string() + " is missing");
  load_checkpoint_weights(dir, module);
  try {
    torch::load(optimizer, (dir / "optimizer.pt").string());
    torch::Tensor rng;
    torch::load(rng, (dir / "rng.pt").string());
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(rng);
  } catch (const c10::Error& e) {
    throw_invalid(dir.string() +
                  ": optimizer or RNG state does not fit: " + e.what_without_backtrace());
  }
  std::ifstream in(dir / "trainer_state.json");
  std::stringstream s;
  s << in.rdbuf();
  return state_from_json(s.str(), (dir / "trainer_state.json").string());
}

fs::path latest_checkpoint(const fs::path& project) {
  fs::path best;
  long best_n = -1;
  if (!fs::is_directory(project)) return best;
  for (const auto& e : fs::directory_iterator(project)) {
    const std::string name = e.path().filename().string();
    if (!e.is_directory() || name.rfind("checkpoint-", 0) != 0) continue;
    char* end = nullptr;
    const long n = std::strtol(name.c_str() + 11, &end, 10);
    if (*end == '\0' && n > best_n && fs::exists(e.path() / "trainer_state.json")) {
      best_n = n;
      best = e.path();
    }
  }
  return best;
}

}  // namespace spanloop::ml::train
