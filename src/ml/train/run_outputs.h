// Files a training run writes besides the model: metrics.jsonl (+ TensorBoard events),
// training_params.json, classification_report.txt and the README model card.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "ml/train/tensorboard.h"
#include "text/entity_metrics.h"
#include "text/label_map.h"

namespace spanloop::ml::train {

struct TrainOptions;

// One evaluation: loss plus the seqeval report (entity P/R/F1 per type, micro/macro, accuracy).
struct EvalResult {
  double loss = 0;
  text::EntityReport report;
  double f1() const { return report.micro.f1; }
};

// metrics.jsonl always; TensorBoard scalars (train/loss, train/learning_rate, eval/f1, ...) in
// <dir>/runs when `tensorboard`. Appends, so a resumed run continues the same files.
class MetricsLog {
 public:
  MetricsLog(const std::filesystem::path& dir, bool tensorboard);
  void train_step(std::int64_t step, double epoch, double loss, double lr, double grad_norm);
  void eval(std::int64_t step, double epoch, const EvalResult& result);
  void summary(const std::string& json_object_line);

 private:
  std::ofstream jsonl_;
  std::unique_ptr<TensorBoardWriter> tb_;
};

// {"loss", "precision", "recall", "f1", "accuracy", "<type>": {precision, recall, f1, support}}
std::string eval_to_json(const EvalResult& result);

void write_training_params(const std::filesystem::path& dir, const TrainOptions& options,
                           const text::LabelMap& labels, std::int64_t total_steps);

struct ModelCardFacts {
  std::string base_model;
  std::size_t train_sentences = 0;
  std::size_t valid_sentences = 0;
  std::int64_t steps = 0;
  double wall_seconds = 0;
  const EvalResult* best = nullptr;  // null: no evaluation
};
// README.md with YAML front matter (library transformers, pipeline token-classification,
// metrics) and a per-label metrics table.
void write_model_card(const std::filesystem::path& dir, const TrainOptions& options,
                      const text::LabelMap& labels, const ModelCardFacts& facts);

}  // namespace spanloop::ml::train
