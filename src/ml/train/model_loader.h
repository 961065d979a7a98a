// Loading the model to fine-tune: a Hugging Face token-classification or base checkpoint (or a
// config-only directory), with a classifier head for the dataset's labels.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "ml/train/trainable_model.h"
#include "text/label_map.h"

namespace spanloop::ml::train {

// A head whose labels differ from `labels` is replaced by a new one (said in `notes`).
// A directory with config.json but no weights gives a randomly initialised model (training
// from scratch). `seed` initialises new weights.
TrainableModel load_trainable_model(const std::filesystem::path& dir, const text::LabelMap& labels,
                                    const torch::Device& device, std::uint64_t seed,
                                    std::vector<std::string>& notes);

}  // namespace spanloop::ml::train
