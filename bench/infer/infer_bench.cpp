// Inference throughput and single-claim latency of the Predictor on real patent claims
// (../shared/data/claims/claims.csv). A CLI rather than Google Benchmark: the numbers wanted are
// claims/s, tokens/s and latency percentiles, as docs/BENCHMARKS.md reports them.
//
//   infer_bench --model DIR [--claims N] [--dtype fp32|bf16] [--threads T] [--batch-size B]
//               [--mode throughput|sequential|latency] [--short-words W] [--repeats R]
//               [--skip S]        (drop the first S claims: profile one claim with --skip 77
//               --claims 78)
//               [--per-claim 1]   (latency/sequential: one line per claim on stderr: tokens,
//                                  windows, wall ms and process CPU ms, to tell length-proportional
//                                  cost from pathological cases)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "ml/infer/predictor.h"
#include "ml/infer/text_input.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

fs::path shared_dir() {
  if (const char* env = std::getenv("SPANLOOP_SHARED_DIR")) return env;
  return fs::path(SPANLOOP_SOURCE_DIR) / ".." / "shared";
}

// The first n claims; with short_words > 0 each cut to its first words (short inputs as in the
// reference pipeline measurement, ~28 tokens).
std::vector<std::string> load_claims(std::size_t n, std::size_t short_words) {
  spanloop::ml::TextInputReader reader(shared_dir() / "data" / "claims" / "claims.csv", "text");
  std::vector<std::string> out;
  spanloop::ml::TextRecord r;
  while (out.size() < n && reader.next(r)) {
    if (short_words > 0) {
      std::size_t pos = 0, words = 0;
      while (pos < r.text.size() && words < short_words) {
        pos = r.text.find(' ', pos + 1);
        if (pos == std::string::npos) pos = r.text.size();
        ++words;
      }
      r.text.resize(pos);
    }
    out.push_back(r.text);
  }
  return out;
}

// Process CPU time (all threads): wall time alone cannot tell our work from a shared machine's.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::string model, mode = "throughput";
  std::size_t n = 200, short_words = 0, repeats = 3, skip = 0;
  bool per_claim = false;
  spanloop::ml::PredictorOptions o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--model")
      model = v;
    else if (k == "--claims")
      n = std::stoul(v);
    else if (k == "--dtype")
      o.dtype = v;
    else if (k == "--threads")
      o.threads = std::stoul(v);
    else if (k == "--batch-size")
      o.batch_size = std::stoul(v);
    else if (k == "--max-batch-tokens")
      o.max_batch_tokens = std::stoul(v);
    else if (k == "--mode")
      mode = v;
    else if (k == "--short-words")
      short_words = std::stoul(v);
    else if (k == "--repeats")
      repeats = std::stoul(v);
    else if (k == "--skip")
      skip = std::stoul(v);
    else if (k == "--per-claim")
      per_claim = v != "0";
    else if (k == "--aggregation")
      o.aggregation = spanloop::ml::parse_aggregation(v);
    else {
      std::fprintf(stderr, "unknown option %s\n", k.c_str());
      return 2;
    }
  }
  if (model.empty()) {
    std::fprintf(stderr, "usage: infer_bench --model DIR [options]\n");
    return 2;
  }
  try {
    auto texts = load_claims(n, short_words);
    texts.erase(texts.begin(),
                texts.begin() + static_cast<std::ptrdiff_t>(std::min(skip, texts.size())));
    const auto predictor = spanloop::ml::Predictor::load(model, o);
    predictor.predict(std::vector<std::string>(
        texts.begin(), texts.begin() + std::min<std::size_t>(8, texts.size())));  // warm-up
    for (std::size_t rep = 0; rep < repeats; ++rep) {
      const auto before = predictor.stats();
      std::vector<double> latencies;
      const auto t0 = Clock::now();
      if (mode == "throughput") {
        predictor.predict(texts);
      } else {  // sequential / latency: one text per call
        for (std::size_t i = 0; i < texts.size(); ++i) {
          const auto s0 = predictor.stats();
          const double c0 = cpu_seconds();
          const auto t1 = Clock::now();
          predictor.predict(texts[i]);
          latencies.push_back(seconds_since(t1) * 1e3);
          if (per_claim) {
            const auto s1 = predictor.stats();
            std::fprintf(stderr, "claim %zu tokens %zu windows %zu wall_ms %.1f cpu_ms %.1f\n",
                         i + 1, s1.tokens - s0.tokens, s1.windows - s0.windows, latencies.back(),
                         (cpu_seconds() - c0) * 1e3);
          }
        }
      }
      const double secs = seconds_since(t0);
      const auto after = predictor.stats();
      const auto tokens = static_cast<double>(after.tokens - before.tokens);
      const auto padded = static_cast<double>(after.padded_tokens - before.padded_tokens);
      std::printf(
          "mode=%s dtype=%s threads=%zu batch=%zu texts=%zu tokens/text=%.1f  %.2f texts/s  %.0f "
          "tokens/s  padding %.1f%%  batches %zu",
          mode.c_str(), o.dtype.c_str(), o.threads, o.batch_size, texts.size(),
          tokens / static_cast<double>(texts.size()), static_cast<double>(texts.size()) / secs,
          tokens / secs, 100.0 * (padded - tokens) / std::max(1.0, padded),
          after.batches - before.batches);
      if (!latencies.empty()) {
        std::sort(latencies.begin(), latencies.end());
        auto pct = [&](double p) {
          return latencies[std::min(
              latencies.size() - 1,
              static_cast<std::size_t>(p * static_cast<double>(latencies.size())))];
        };
        std::printf("  p50 %.1f ms  p99 %.1f ms", pct(0.50), pct(0.99));
      }
      std::printf("\n");
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "infer_bench: %s\n", e.what());
    return 1;
  }
  return 0;
}
