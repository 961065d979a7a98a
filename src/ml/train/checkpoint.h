// Checkpoints: model state, AdamW state, RNG state and the trainer's position (step, epoch,
// step inside the epoch, best F1, patience, loss scale), so a resumed run continues exactly.
#pragma once

#include <torch/nn/module.h>
#include <torch/optim/adamw.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace spanloop::ml::train {

struct TrainerState {
  std::int64_t step = 0;                 // optimizer steps done
  int epoch = 0;                         // epoch in progress
  std::int64_t step_in_epoch = 0;        // optimizer steps done inside `epoch`
  double best_f1 = -1;                   // -1: no evaluation yet
  std::string best_checkpoint;           // directory name inside the project ("checkpoint-40")
  int bad_evals = 0;                     // evaluations since the last improvement (early stopping)
  double loss_scale = 65536.0;           // fp16 dynamic loss scale
  std::int64_t good_steps = 0;           // steps since the loss scale last changed
  std::vector<std::string> checkpoints;  // oldest first
};

std::string state_to_json(const TrainerState& s);
TrainerState state_from_json(const std::string& json, const std::string& what);

// <dir>/model.pt, optimizer.pt, rng.pt, trainer_state.json.
void save_checkpoint(const std::filesystem::path& dir, torch::nn::Module& module,
                     torch::optim::Optimizer& optimizer, const TrainerState& state);
// Restores module, optimizer and the default CPU generator; returns the state. Throws NotFound
// naming the missing file, InvalidArgument for a checkpoint of another model.
TrainerState load_checkpoint(const std::filesystem::path& dir, torch::nn::Module& module,
                             torch::optim::Optimizer& optimizer);
// Loads only the module weights of a checkpoint (to export the best model).
void load_checkpoint_weights(const std::filesystem::path& dir, torch::nn::Module& module);

// The checkpoint-<N> directory with the largest N in `project`; empty when none.
std::filesystem::path latest_checkpoint(const std::filesystem::path& project);

}  // namespace spanloop::ml::train
