// metrics.jsonl, TensorBoard scalars, training_params.json and the model card.
#include "ml/train/run_outputs.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "ml/train/train_options.h"
#include "text/error.h"

namespace spanloop::ml::train {
namespace fs = std::filesystem;
namespace {

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw Error(ErrorKind::kUnavailable, "cannot write " + path.string());
}

std::string pct(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.4f", v);
  return b;
}

}  // namespace

MetricsLog::MetricsLog(const fs::path& dir, bool tensorboard) {
  fs::create_directories(dir);
  jsonl_.open(dir / "metrics.jsonl", std::ios::app);
  if (!jsonl_)
    throw Error(ErrorKind::kUnavailable, "cannot write " + (dir / "metrics.jsonl").string());
  if (tensorboard) tb_ = std::make_unique<TensorBoardWriter>(dir / "runs");
}

void MetricsLog::train_step(std::int64_t step, double epoch, double loss, double lr,
                            double grad_norm) {
  nlohmann::ordered_json j{{"step", step},
                           {"epoch", epoch},
                           {"loss", loss},
                           {"learning_rate", lr},
                           {"grad_norm", grad_norm}};
  jsonl_ << j.dump() << '\n';
  jsonl_.flush();
  if (tb_) {
    tb_->add_scalar("train/loss", static_cast<float>(loss), step);
    tb_->add_scalar("train/learning_rate", static_cast<float>(lr), step);
    tb_->add_scalar("train/grad_norm", static_cast<float>(grad_norm), step);
    tb_->flush();
  }
}

std::string eval_to_json(const EvalResult& r) {
  nlohmann::ordered_json j{{"loss", r.loss},
                           {"precision", r.report.micro.precision},
                           {"recall", r.report.micro.recall},
                           {"f1", r.report.micro.f1},
                           {"macro_f1", r.report.macro.f1},
                           {"accuracy", r.report.accuracy()}};
  for (const auto& t : r.report.types)
    j["per_label"][t.name] = {
        {"precision", t.precision}, {"recall", t.recall}, {"f1", t.f1}, {"support", t.support}};
  return j.dump();
}

void MetricsLog::eval(std::int64_t step, double epoch, const EvalResult& r) {
  nlohmann::ordered_json j{{"step", step}, {"epoch", epoch}};
  j["eval"] = nlohmann::ordered_json::parse(eval_to_json(r));
  jsonl_ << j.dump() << '\n';
  jsonl_.flush();
  if (tb_) {
    tb_->add_scalar("eval/loss", static_cast<float>(r.loss), step);
    tb_->add_scalar("eval/f1", static_cast<float>(r.report.micro.f1), step);
    tb_->add_scalar("eval/precision", static_cast<float>(r.report.micro.precision), step);
    tb_->add_scalar("eval/recall", static_cast<float>(r.report.micro.recall), step);
    tb_->add_scalar("eval/accuracy", static_cast<float>(r.report.accuracy()), step);
    tb_->flush();
  }
}

void MetricsLog::summary(const std::string& line) {
  jsonl_ << line << '\n';
  jsonl_.flush();
}

void write_training_params(const fs::path& dir, const TrainOptions& options,
                           const text::LabelMap& labels, std::int64_t total_steps) {
  auto j = nlohmann::ordered_json::parse(options_to_json(options));
  j["total_steps"] = total_steps;
  j["labels"] = labels.tags();
  j["label_scheme"] = std::string(text::scheme_name(labels.scheme()));
  write_text(dir / "training_params.json", j.dump(2) + "\n");
}

void write_model_card(const fs::path& dir, const TrainOptions& o, const text::LabelMap& labels,
                      const ModelCardFacts& f) {
  std::string s = "---\nlibrary_name: transformers\npipeline_tag: token-classification\n";
  s += "base_model: " + f.base_model + "\ntags:\n- spanloop\n- token-classification\n";
  if (f.best) {
    s += "model-index:\n- name: " + fs::path(o.project_name).filename().string() +
         "\n  results:\n  - task:\n      type: token-classification\n    metrics:\n";
    s += "    - {type: precision, value: " + pct(f.best->report.micro.precision) + "}\n";
    s += "    - {type: recall, value: " + pct(f.best->report.micro.recall) + "}\n";
    s += "    - {type: f1, value: " + pct(f.best->report.micro.f1) + "}\n";
    s += "    - {type: accuracy, value: " + pct(f.best->report.accuracy()) + "}\n";
  }
  s += "---\n\n# " + fs::path(o.project_name).filename().string() + "\n\n";
  s += "Token-classification model fine-tuned from `" + f.base_model + "` with `spanloop train` (" +
       std::to_string(f.train_sentences) + " training sentences, " + std::to_string(f.steps) +
       " optimizer steps, " + pct(f.wall_seconds) + " s).\n\n";
  s += "Labels (" + std::string(text::scheme_name(labels.scheme())) + "): ";
  for (std::size_t i = 0; i < labels.tags().size(); ++i)
    s += (i ? ", `" : "`") + labels.tags()[i] + "`";
  s += "\n\n";
  if (f.best) {
    s += "## Evaluation (" + std::to_string(f.valid_sentences) +
         " validation sentences, entity level, seqeval)\n\n";
    s += "| label | precision | recall | f1 | support |\n|---|---|---|---|---|\n";
    for (const auto& t : f.best->report.types)
      s += "| " + t.name + " | " + pct(t.precision) + " | " + pct(t.recall) + " | " + pct(t.f1) +
           " | " + std::to_string(t.support) + " |\n";
    const auto& m = f.best->report.micro;
    s += "| **micro avg** | " + pct(m.precision) + " | " + pct(m.recall) + " | " + pct(m.f1) +
         " | " + std::to_string(m.support) + " |\n";
    const auto& M = f.best->report.macro;
    s += "| macro avg | " + pct(M.precision) + " | " + pct(M.recall) + " | " + pct(M.f1) + " | " +
         std::to_string(M.support) + " |\n\n";
    s += "Token accuracy " + pct(f.best->report.accuracy()) + ", loss " + pct(f.best->loss) +
         ".\n\n";
  }
  s += "## Training settings\n\n| setting | value |\n|---|---|\n";
  for (const auto& spec : option_specs()) {
    if (spec.key == "token" || spec.key == "api_key" || spec.key == "config") continue;
    s += "| " + spec.key + " | " + spec.get(o) + " |\n";
  }
  s += "\n## Use\n\n```python\nfrom transformers import pipeline\n"
       "ner = pipeline(\"token-classification\", model=\"" +
       fs::path(o.project_name).filename().string() + "\", aggregation_strategy=\"simple\")\n```\n";
  write_text(dir / "README.md", s);
}

}  // namespace spanloop::ml::train
