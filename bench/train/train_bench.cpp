// Training throughput of spanloop's trainer: steady-state samples/s and real (unpadded)
// tokens/s, first-step time and peak memory, for one model directory, dataset and precision.
//   train_bench MODEL_DIR DATA [--steps 12] [--batch-size 16] [--max-seq-length 128]
//               [--mixed-precision none|bf16] [--threads 2]
//   train_bench run --model DIR --data-path FILE ... (any `spanloop train` flag: a full run
//               through the same code path as the CLI, without linking the whole executable)
#include <ATen/Parallel.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "ml/tokenizer/tokenizer.h"
#include "ml/train/features.h"
#include "ml/train/model_loader.h"
#include "ml/train/train_command.h"
#include "ml/train/train_data.h"
#include "ml/train/trainer.h"

using namespace spanloop::ml;
using namespace spanloop::ml::train;

int run_full(int argc, char** argv) {
  TrainOptions o;
  for (int i = 2; i < argc; ++i) {
    std::string key = argv[i];
    if (key.rfind("--", 0) != 0) {
      std::fprintf(stderr, "unexpected argument %s\n", argv[i]);
      return 2;
    }
    const bool has_value = i + 1 < argc && std::strncmp(argv[i + 1], "--", 2) != 0;
    set_option(o, key.substr(2), has_value ? argv[++i] : "true", "command line");
  }
  return run_train_command(o);
}

int main(int argc, char** argv) {
  if (argc >= 2 && std::string(argv[1]) == "run") {
    try {
      return run_full(argc, argv);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "train_bench: %s\n", e.what());
      return 1;
    }
  }
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: train_bench MODEL_DIR DATA [--steps N] [--batch-size N] "
                 "[--max-seq-length N] [--mixed-precision none|bf16] [--threads N]\n");
    return 2;
  }
  TrainOptions o;
  o.model = argv[1];
  o.data_path = argv[2];
  o.project_name = "/tmp/spanloop_train_bench";
  o.batch_size = 16;
  o.max_seq_length = 128;
  o.epochs = 1;
  o.eval_strategy = "no";
  o.threads = 2;
  o.logging_steps = 1000000;
  int steps = 12;
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--steps")
      steps = std::stoi(v);
    else if (k == "--batch-size")
      o.batch_size = std::stoi(v);
    else if (k == "--max-seq-length")
      o.max_seq_length = std::stoi(v);
    else if (k == "--mixed-precision")
      o.mixed_precision = v;
    else if (k == "--threads")
      o.threads = std::stoi(v);
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  o.max_steps = steps;
  at::set_num_threads(o.threads);
  try {
    TrainData data = load_train_data(o);
    std::vector<std::string> notes;
    auto model = load_trainable_model(o.model, data.labels, torch::Device(torch::kCPU), 42, notes);
    Tokenizer tok = Tokenizer::from_directory(o.model);
    std::size_t params = 0;
    for (const auto& p : model.module->parameters()) params += static_cast<std::size_t>(p.numel());
    Trainer t(o, std::move(data), std::move(tok), model);
    std::vector<double> stamps;
    const auto t0 = std::chrono::steady_clock::now();
    t.set_observer([&](const TrainProgress&) {
      stamps.push_back(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      return true;
    });
    const auto s = t.train();
    std::vector<double> dt;
    for (std::size_t i = 1; i < stamps.size(); ++i) dt.push_back(stamps[i] - stamps[i - 1]);
    std::sort(dt.begin(), dt.end());
    const double median = dt.empty() ? stamps[0] : dt[dt.size() / 2];
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    // Real tokens per sample over the run (the trainer counts unpadded tokens).
    const double tokens_per_sample =
        s.samples_per_second > 0 ? s.tokens_per_second / s.samples_per_second : 0;
    std::printf("model %s (%.2f M params), %s, batch %d, max len %d, threads %d, %lld steps\n",
                o.model.c_str(), static_cast<double>(params) / 1e6, o.mixed_precision.c_str(),
                o.batch_size, o.max_seq_length, o.threads, static_cast<long long>(s.steps));
    std::printf("first step %.3f s, steady median step %.3f s\n", stamps.empty() ? 0 : stamps[0],
                median);
    std::printf("steady samples/s %.2f, steady real tokens/s %.0f (%.1f real tokens/sample)\n",
                o.batch_size / median, o.batch_size / median * tokens_per_sample,
                tokens_per_sample);
    std::printf("whole run samples/s %.2f, real tokens/s %.0f, peak RSS %.0f MiB\n",
                s.samples_per_second, s.tokens_per_second,
                static_cast<double>(ru.ru_maxrss) / 1024.0);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "train_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
