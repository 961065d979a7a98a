// The trainer's view of ml::TokenClassifier: load (or initialise from a config-only directory)
// with the dataset's labels, forward, save in Hugging Face layout.
#include "ml/train/model_loader.h"

#include "ml/io/model_config.h"
#include "ml/model/token_classifier.h"

namespace spanloop::ml::train {
namespace fs = std::filesystem;

TrainableModel load_trainable_model(const fs::path& dir, const text::LabelMap& labels,
                                    const torch::Device& device, std::uint64_t seed,
                                    std::vector<std::string>& notes) {
  ModelLoadOptions lo;
  lo.device = device.is_cuda() ? "cuda" : "cpu";
  lo.labels = labels.tags();
  lo.seed = seed;
  const bool has_weights =
      fs::exists(dir / "model.safetensors") || fs::exists(dir / "model.safetensors.index.json");
  std::shared_ptr<TokenClassifier> clf;
  if (has_weights) {
    clf = std::make_shared<TokenClassifier>(TokenClassifier::load(dir, lo));
    if (clf->load_report().fresh_head)
      notes.push_back("new classifier head for " + std::to_string(labels.size()) +
                      " labels (the checkpoint had none or other labels)");
  } else {
    clf = std::make_shared<TokenClassifier>(
        TokenClassifier::random(ModelConfig::from_directory(dir), lo));
    notes.push_back(dir.string() + " has no weights: training from a random initialisation");
  }
  std::size_t n = 0;
  for (const auto& p : clf->parameters()) n += static_cast<std::size_t>(p.numel());
  notes.push_back("model " + std::string(model_type_name(clf->config().model_type)) + ", " +
                  std::to_string(clf->config().num_hidden_layers) + " layers, hidden " +
                  std::to_string(clf->config().hidden_size) + ", " + std::to_string(n) +
                  " parameters");
  clf->train(true);
  TrainableModel t;
  t.module = clf->module();
  t.forward = [clf](const torch::Tensor& ids, const torch::Tensor& mask) {
    return clf->forward(ids, mask);
  };
  t.save_pretrained = [clf, dir](const fs::path& out) { clf->save(out, dir); };
  t.set_training = [clf](bool on) { clf->train(on); };
  t.pad_token_id = static_cast<int>(clf->config().pad_token_id);
  return t;
}

}  // namespace spanloop::ml::train
