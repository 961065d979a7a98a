// The training loop. Loss normalisation: each optimizer step's loss is the sum of token losses
// over every micro-batch of every rank divided by that step's total number of labelled tokens
// (known up front from the batch plan), so N ranks x batch B give exactly the gradients of one
// process with batch N*B.
#include "ml/train/trainer.h"

#include <ATen/autocast_mode.h>
#include <torch/nn/functional/loss.h>
#include <torch/nn/utils/clip_grad.h>
#include <torch/optim/adamw.h>

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "ml/train/batching.h"
#include "ml/train/checkpoint.h"
#include "ml/train/features.h"
#include "ml/train/optimizer_setup.h"
#include "ml/train/schedule.h"
#include "text/error.h"
#include "text/tag_set.h"

namespace spanloop::ml::train {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

struct Batch {
  torch::Tensor input_ids, attention_mask, labels;
  std::int64_t real_tokens = 0;
};

Batch collate(const std::vector<Feature>& features, const std::vector<std::size_t>& ids,
              std::int64_t pad_id, const torch::Device& device) {
  std::size_t len = 0;
  for (auto i : ids) len = std::max(len, features[i].input_ids.size());
  const auto n = static_cast<std::int64_t>(ids.size());
  const auto t = static_cast<std::int64_t>(len);
  std::vector<std::int64_t> input(ids.size() * len, pad_id), mask(ids.size() * len, 0),
      labels(ids.size() * len, kIgnoreLabel);
  Batch b;
  for (std::size_t r = 0; r < ids.size(); ++r) {
    const Feature& f = features[ids[r]];
    for (std::size_t k = 0; k < f.input_ids.size(); ++k) {
      input[r * len + k] = f.input_ids[k];
      mask[r * len + k] = 1;
      labels[r * len + k] = f.labels[k];
    }
    b.real_tokens += static_cast<std::int64_t>(f.input_ids.size());
  }
  auto make = [&](std::vector<std::int64_t>& v) {
    return torch::from_blob(v.data(), {n, t}, torch::kLong).clone().to(device);
  };
  b.input_ids = make(input);
  b.attention_mask = make(mask);
  b.labels = make(labels);
  return b;
}

std::int64_t labelled(const std::vector<Feature>& features, const std::vector<std::size_t>& ids) {
  std::int64_t n = 0;
  for (auto i : ids)
    for (auto l : features[i].labels) n += l != kIgnoreLabel;
  return n;
}

// Enables autocast for the forward pass of one micro-batch.
class AutocastScope {
 public:
  AutocastScope(const std::string& precision, bool cuda) : cuda_(cuda) {
    if (precision == "none") return;
    on_ = true;
    const auto dtype = precision == "fp16" ? at::kHalf : at::kBFloat16;
    if (cuda_) {
      at::autocast::set_autocast_gpu_dtype(dtype);
      at::autocast::set_enabled(true);
    } else {
      at::autocast::set_autocast_cpu_dtype(dtype);
      at::autocast::set_cpu_enabled(true);
    }
  }
  ~AutocastScope() {
    if (!on_) return;
    if (cuda_)
      at::autocast::set_enabled(false);
    else
      at::autocast::set_cpu_enabled(false);
    at::autocast::clear_cache();
  }
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  bool cuda_;
  bool on_ = false;
};

}  // namespace

struct Trainer::Impl {
  TrainOptions o;
  TrainData data;
  Tokenizer tokenizer;
  TrainableModel model;
  std::shared_ptr<ProcessGroup> group;
  int rank = 0, world = 1;
  torch::Device device{torch::kCPU};
  std::vector<Feature> train_f, valid_f;
  std::vector<std::size_t> train_len, valid_len;
  std::unique_ptr<torch::optim::AdamW> opt;
  Schedule schedule;
  std::int64_t steps_per_epoch = 0, total = 0, log_every = 1;
  TrainerState st;
  TrainObserver observer;
  ConsoleProgress* console = nullptr;
  std::unique_ptr<MetricsLog> log;
  std::vector<torch::Tensor> params;
  std::int64_t pad_id = 0;

  Impl(TrainOptions options, TrainData d, Tokenizer tok, TrainableModel m,
       std::shared_ptr<ProcessGroup> g)
      : o(std::move(options)),
        data(std::move(d)),
        tokenizer(std::move(tok)),
        model(std::move(m)),
        group(std::move(g)) {
    if (group) {
      rank = group->rank();
      world = group->world_size();
    }
    if (o.device == "cuda") device = torch::Device(torch::kCUDA, 0);
    const FeatureOptions fo{o.max_seq_length, o.stride, o.label_all_tokens};
    train_f = make_features(data.train, tokenizer, data.labels, fo);
    valid_f = make_features(data.valid, tokenizer, data.labels, fo);
    if (train_f.empty()) throw_invalid("no training sentence produced a token");
    for (const auto& f : train_f) train_len.push_back(f.input_ids.size());
    for (const auto& f : valid_f) valid_len.push_back(f.input_ids.size());
    const auto global = static_cast<std::int64_t>(o.batch_size) * world;
    const auto batches = (static_cast<std::int64_t>(train_f.size()) + global - 1) / global;
    steps_per_epoch = (batches + o.gradient_accumulation - 1) / o.gradient_accumulation;
    total = steps_per_epoch * o.epochs;
    if (o.max_steps > 0) total = std::min<std::int64_t>(total, o.max_steps);
    log_every =
        o.logging_steps > 0
            ? o.logging_steps
            : std::clamp<std::int64_t>(
                  static_cast<std::int64_t>(0.2 * static_cast<double>(steps_per_epoch)), 1, 25);
    schedule =
        Schedule{parse_schedule(o.scheduler), o.lr, warmup_steps_for(o.warmup_ratio, total), total};
    pad_id = model.pad_token_id;
    opt = make_adamw(*model.module, o.lr, o.weight_decay);
    for (const auto& p : model.module->parameters())
      if (p.requires_grad()) params.push_back(p);
  }

  bool writer() const { return rank == 0; }
  fs::path project() const { return o.project_name; }

  void note(const std::string& text) {
    if (console && writer()) console->line(text);
  }

  EvalResult evaluate() {
    EvalResult r;
    text::EntityEvaluator eval({text::DecodeMode::kDefault},
                               text::TagSet::from_label_map(data.labels));
    if (valid_f.empty()) {
      r.report = eval.report();
      return r;
    }
    torch::NoGradGuard no_grad;
    model.train(false);
    std::vector<std::vector<int>> pred(data.valid.size());
    for (std::size_t i = 0; i < data.valid.size(); ++i)
      pred[i].assign(data.valid[i].words.size(), 0);
    double loss_sum = 0;
    std::int64_t loss_n = 0;
    for (const auto& ids : plan_eval(valid_len, static_cast<std::size_t>(o.batch_size))) {
      Batch b = collate(valid_f, ids, pad_id, device);
      torch::Tensor logits;
      {
        AutocastScope ac(o.mixed_precision, device.is_cuda());
        logits = model.forward(b.input_ids, b.attention_mask);
      }
      logits = logits.to(torch::kFloat);
      const auto L = logits.size(-1);
      loss_sum +=
          torch::nn::functional::cross_entropy(logits.reshape({-1, L}), b.labels.reshape({-1}),
                                               torch::nn::functional::CrossEntropyFuncOptions()
                                                   .ignore_index(kIgnoreLabel)
                                                   .reduction(torch::kSum))
              .item<double>();
      loss_n += (b.labels != kIgnoreLabel).sum().item<std::int64_t>();
      const auto am = logits.argmax(-1).to(torch::kCPU).contiguous();
      const auto* a = am.data_ptr<std::int64_t>();
      const auto T = am.size(1);
      for (std::size_t r2 = 0; r2 < ids.size(); ++r2) {
        const Feature& f = valid_f[ids[r2]];
        for (std::size_t k = 0; k < f.input_ids.size(); ++k)
          if (f.scored[k])
            pred[static_cast<std::size_t>(f.example)][static_cast<std::size_t>(f.word_index[k])] =
                static_cast<int>(
                    a[static_cast<std::int64_t>(r2) * T + static_cast<std::int64_t>(k)]);
      }
    }
    for (std::size_t i = 0; i < data.valid.size(); ++i) {
      std::vector<text::TagId> g(data.valid[i].tags.begin(), data.valid[i].tags.end());
      std::vector<text::TagId> p(pred[i].begin(), pred[i].end());
      eval.add(g, p);
    }
    r.report = eval.report();
    r.loss = loss_n > 0 ? loss_sum / static_cast<double>(loss_n) : 0.0;
    model.train(true);
    return r;
  }

  // One optimizer step over `micro` (global micro-batches). Returns {loss, grad_norm};
  // loss is NaN when an fp16 overflow skipped the step.
  std::pair<double, double> step(const std::vector<std::vector<std::size_t>>& micro,
                                 std::int64_t& samples, std::int64_t& tokens) {
    std::int64_t total_labels = 0;
    for (const auto& g : micro) total_labels += labelled(train_f, g);
    const double denom = static_cast<double>(std::max<std::int64_t>(1, total_labels));
    const bool fp16 = o.mixed_precision == "fp16";
    const double scale = fp16 ? st.loss_scale : 1.0;
    opt->zero_grad();
    double loss_sum = 0;
    for (const auto& g : micro) {
      const auto mine =
          rank_slice(g, static_cast<std::size_t>(o.batch_size), static_cast<std::size_t>(rank));
      if (mine.empty()) continue;
      Batch b = collate(train_f, mine, pad_id, device);
      torch::Tensor logits;
      {
        AutocastScope ac(o.mixed_precision, device.is_cuda());
        logits = model.forward(b.input_ids, b.attention_mask);
      }
      logits = logits.to(torch::kFloat);
      const auto L = logits.size(-1);
      auto loss =
          torch::nn::functional::cross_entropy(logits.reshape({-1, L}), b.labels.reshape({-1}),
                                               torch::nn::functional::CrossEntropyFuncOptions()
                                                   .ignore_index(kIgnoreLabel)
                                                   .reduction(torch::kSum));
      (loss * (scale / denom)).backward();
      loss_sum += loss.item<double>();
      samples += static_cast<std::int64_t>(mine.size());
      tokens += b.real_tokens;
    }
    if (group) {
      std::vector<torch::Tensor> grads;
      for (auto& p : params) {
        if (!p.grad().defined()) p.mutable_grad() = torch::zeros_like(p);
        grads.push_back(p.grad());
      }
      auto loss_t = torch::tensor({loss_sum}, torch::kDouble);
      std::vector<torch::Tensor> lt{loss_t};
      group->allreduce_sum(grads);
      group->allreduce_sum(lt);
      loss_sum = loss_t.item<double>();
    }
    if (fp16) {
      bool finite = true;
      for (auto& p : params) {
        if (!p.grad().defined()) continue;
        p.grad().div_(scale);
        finite = finite && torch::isfinite(p.grad()).all().item<bool>();
      }
      if (!finite) {
        st.loss_scale = std::max(1.0, st.loss_scale / 2);
        st.good_steps = 0;
        opt->zero_grad();
        return {std::nan(""), std::nan("")};
      }
      if (++st.good_steps >= 2000) {
        st.loss_scale *= 2;
        st.good_steps = 0;
      }
    }
    double norm = 0;
    if (o.max_grad_norm > 0) {
      norm = torch::nn::utils::clip_grad_norm_(params, o.max_grad_norm);
    } else {
      for (auto& p : params)
        if (p.grad().defined()) norm += p.grad().to(torch::kDouble).pow(2).sum().item<double>();
      norm = std::sqrt(norm);
    }
    const double lr = schedule.lr_at(st.step);
    for (auto& pg : opt->param_groups()) pg.options().set_lr(lr);
    opt->step();
    return {loss_sum / denom, norm};
  }

  void save(const std::string& name) {
    if (writer()) {
      save_checkpoint(project() / name, *model.module, *opt, st);
      // Rotate: keep the newest save_total_limit, never the best.
      while (static_cast<int>(st.checkpoints.size()) > o.save_total_limit) {
        auto victim = std::find_if(
            st.checkpoints.begin(), st.checkpoints.end(),
            [&](const std::string& c) { return c != st.best_checkpoint && c != name; });
        if (victim == st.checkpoints.end()) break;
        fs::remove_all(project() / *victim);
        st.checkpoints.erase(victim);
      }
      // The state file must list the rotation result too.
      std::ofstream(project() / name / "trainer_state.json", std::ios::trunc)
          << state_to_json(st) << '\n';
    }
    if (group) group->barrier();
  }

  // Evaluates, records, checkpoints; returns true when early stopping says stop.
  bool eval_and_checkpoint(double epoch_f) {
    const std::string name = "checkpoint-" + std::to_string(st.step);
    bool stop = false;
    if (std::find(st.checkpoints.begin(), st.checkpoints.end(), name) == st.checkpoints.end())
      st.checkpoints.push_back(name);
    if (!valid_f.empty()) {
      const EvalResult r = evaluate();
      if (writer()) {
        log->eval(st.step, epoch_f, r);
        char buf[160];
        std::snprintf(buf, sizeof buf,
                      "eval step %lld: loss %.4f precision %.4f recall %.4f f1 %.4f accuracy %.4f",
                      static_cast<long long>(st.step), r.loss, r.report.micro.precision,
                      r.report.micro.recall, r.f1(), r.report.accuracy());
        note(buf);
      }
      if (r.f1() > st.best_f1) {
        const bool improved = st.best_f1 < 0 || r.f1() - st.best_f1 > o.early_stopping_threshold;
        st.best_f1 = r.f1();
        st.best_checkpoint = name;
        if (improved)
          st.bad_evals = 0;
        else
          ++st.bad_evals;
      } else {
        ++st.bad_evals;
      }
      stop = o.early_stopping_patience > 0 && st.bad_evals >= o.early_stopping_patience;
    } else {
      st.best_checkpoint = name;  // without validation the latest is the one exported
    }
    save(name);
    return stop;
  }

  void export_model(const TrainSummary& summary, double wall) {
    if (!writer()) return;
    std::optional<EvalResult> best;
    if (!st.best_checkpoint.empty() && fs::exists(project() / st.best_checkpoint / "model.pt")) {
      load_checkpoint_weights(project() / st.best_checkpoint, *model.module);
    }
    if (!valid_f.empty()) best = evaluate();
    // The model library copies the base model's tokenizer files; add tokenizer.json when the
    // base directory had only vocabulary files.
    if (model.save_pretrained) model.save_pretrained(project());
    if (!fs::exists(project() / "tokenizer.json")) tokenizer.save(project());
    data.labels.write_file(project() / "label_map.json");
    write_training_params(project(), o, data.labels, total);
    if (best) {
      std::ofstream(project() / "classification_report.txt", std::ios::trunc)
          << best->report.classification_report(4);
      std::ofstream(project() / "eval_results.json", std::ios::trunc)
          << eval_to_json(*best) << '\n';
    }
    ModelCardFacts facts{
        o.model, data.train.size(),      data.valid.size(), summary.first_step + summary.steps,
        wall,    best ? &*best : nullptr};
    write_model_card(project(), o, data.labels, facts);
  }

  TrainSummary train() {
    const auto t0 = Clock::now();
    TrainSummary sum;
    if (!o.resume_from_checkpoint.empty()) {
      fs::path dir = o.resume_from_checkpoint;
      if (o.resume_from_checkpoint == "latest") {
        dir = latest_checkpoint(project());
        if (dir.empty())
          throw_not_found("no checkpoint-* directory in " + project().string() + " to resume from");
      }
      st = load_checkpoint(dir, *model.module, *opt);
      note("resumed from " + dir.string() + " at step " + std::to_string(st.step));
    } else if (group) {
      // Same starting weights everywhere, whatever each rank initialised.
      std::vector<torch::Tensor> all;
      for (auto& p : model.module->parameters()) all.push_back(p.data());
      group->broadcast_from_root(all);
    }
    sum.first_step = st.step;
    if (writer()) {
      fs::create_directories(project());
      log = std::make_unique<MetricsLog>(project(), o.log == "tensorboard");
      write_training_params(project(), o, data.labels, total);
    }
    note("training on " + std::to_string(train_f.size()) + " windows (" +
         std::to_string(data.train.size()) + " sentences), " + std::to_string(valid_f.size()) +
         " validation windows, " + std::to_string(total) + " steps of " +
         std::to_string(o.batch_size * world * o.gradient_accumulation) + " windows");
    model.train(true);
    std::int64_t samples = 0, tokens = 0;
    bool stop = false;
    const BatchPlanOptions bp{static_cast<std::size_t>(o.batch_size),
                              static_cast<std::size_t>(world), true,
                              static_cast<std::uint64_t>(o.seed)};
    while (!stop && st.epoch < o.epochs && st.step < total) {
      const auto batches = plan_epoch(train_len, bp, static_cast<std::uint64_t>(st.epoch));
      const auto acc = static_cast<std::size_t>(o.gradient_accumulation);
      for (auto k = static_cast<std::size_t>(st.step_in_epoch);
           k * acc < batches.size() && st.step < total; ++k) {
        std::vector<std::vector<std::size_t>> micro(
            batches.begin() + static_cast<long>(k * acc),
            batches.begin() + static_cast<long>(std::min(batches.size(), (k + 1) * acc)));
        const double lr = schedule.lr_at(st.step);
        const auto [loss, norm] = step(micro, samples, tokens);
        ++st.step;
        ++st.step_in_epoch;
        sum.step_losses.push_back(loss);
        const double epoch_f =
            st.epoch + static_cast<double>(st.step_in_epoch) / static_cast<double>(steps_per_epoch);
        const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
        TrainProgress p{
            st.step,
            total,
            st.epoch,
            o.epochs,
            loss,
            lr,
            secs > 0 ? static_cast<double>(samples) * world / secs : 0,
            static_cast<double>(total - st.step) * secs /
                static_cast<double>(std::max<std::int64_t>(1, st.step - sum.first_step))};
        if (writer()) {
          if (st.step % log_every == 0) log->train_step(st.step, epoch_f, loss, lr, norm);
          if (console) console->update(p);
        }
        if (o.eval_strategy == "steps" && st.step % log_every == 0 && st.step < total)
          stop = eval_and_checkpoint(epoch_f);
        const bool observer_stop = observer && !observer(p);
        if (observer_stop || stop_flag().load() != 0) {
          // Save where we are (also mid-epoch) and return: resume continues from here.
          const std::string name = "checkpoint-" + std::to_string(st.step);
          if (std::find(st.checkpoints.begin(), st.checkpoints.end(), name) == st.checkpoints.end())
            st.checkpoints.push_back(name);
          if (st.step_in_epoch == steps_per_epoch) {
            ++st.epoch;
            st.step_in_epoch = 0;
          }
          save(name);
          note("stopped at step " + std::to_string(st.step) + "; checkpoint " +
               (project() / name).string());
          sum.interrupted = true;
          sum.steps = st.step - sum.first_step;
          sum.wall_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
          return sum;
        }
        if (stop) break;
      }
      if (stop) break;
      ++st.epoch;
      st.step_in_epoch = 0;
      if (o.eval_strategy != "no" &&
          (o.eval_strategy == "epoch" || st.step >= total || st.epoch >= o.epochs))
        stop = eval_and_checkpoint(st.epoch);
      else if (o.eval_strategy == "steps" && st.epoch >= o.epochs)
        stop = eval_and_checkpoint(st.epoch);
    }
    if (stop) {
      sum.early_stopped = true;
      note("early stopping: no F1 improvement above " + std::to_string(o.early_stopping_threshold) +
           " for " + std::to_string(o.early_stopping_patience) + " evaluations");
    }
    sum.steps = st.step - sum.first_step;
    sum.epochs_done = st.epoch;
    sum.best_f1 = st.best_f1;
    sum.best_checkpoint =
        st.best_checkpoint.empty() ? "" : (project() / st.best_checkpoint).string();
    sum.wall_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    sum.samples_per_second =
        sum.wall_seconds > 0 ? static_cast<double>(samples) * world / sum.wall_seconds : 0;
    sum.tokens_per_second =
        sum.wall_seconds > 0 ? static_cast<double>(tokens) * world / sum.wall_seconds : 0;
    export_model(sum, sum.wall_seconds);
    if (writer()) {
      nlohmann::ordered_json j{{"summary", true},
                               {"steps", st.step},
                               {"best_f1", st.best_f1},
                               {"best_checkpoint", st.best_checkpoint},
                               {"early_stopped", sum.early_stopped},
                               {"train_seconds", sum.wall_seconds},
                               {"train_samples_per_second", sum.samples_per_second},
                               {"train_tokens_per_second", sum.tokens_per_second}};
      log->summary(j.dump());
    }
    if (group) group->barrier();
    return sum;
  }
};

Trainer::Trainer(TrainOptions options, TrainData data, Tokenizer tokenizer, TrainableModel model,
                 std::shared_ptr<ProcessGroup> group)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(data), std::move(tokenizer),
                                   std::move(model), std::move(group))) {}
Trainer::~Trainer() = default;

void Trainer::set_observer(TrainObserver observer) {
  impl_->observer = std::move(observer);
}
void Trainer::set_console(ConsoleProgress* console) {
  impl_->console = console;
  // Without a terminal, one line per logging step (as metrics.jsonl), not one per step.
  if (console) console->set_every(impl_->log_every);
}
std::atomic<int>& Trainer::stop_flag() {
  static std::atomic<int> flag{0};
  return flag;
}
TrainSummary Trainer::train() {
  return impl_->train();
}
EvalResult Trainer::evaluate() {
  return impl_->evaluate();
}
std::int64_t Trainer::total_steps() const {
  return impl_->total;
}
std::size_t Trainer::train_features() const {
  return impl_->train_f.size();
}

}  // namespace spanloop::ml::train
