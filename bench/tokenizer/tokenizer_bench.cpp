// Encoding throughput of the fixture tokenizers on real claims from ../shared/data/claims
// (one claim per call, offsets included, as the inference pipeline uses it).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>

#include "ml/tokenizer/tokenizer.h"
#include "ml/tokenizer/wordpiece_trainer.h"

namespace {

namespace fs = std::filesystem;

fs::path shared_dir() {
  if (const char* env = std::getenv("SPANLOOP_SHARED_DIR")) return env;
  return fs::path(SPANLOOP_SOURCE_DIR) / ".." / "shared";
}

// The first 2,000 claims of claims.csv (lengths from a line to pages).
const std::vector<std::string>& claims() {
  static const std::vector<std::string> texts = [] {
    std::vector<std::string> out;
    spanloop::ml::for_each_document(shared_dir() / "data" / "claims" / "claims.csv", "text",
                                    [&](std::string_view t) {
                                      if (out.size() < 2000) out.emplace_back(t);
                                    });
    return out;
  }();
  return texts;
}

void encode_claims(benchmark::State& state, const char* fixture) {
  const auto tok = spanloop::ml::Tokenizer::from_file(shared_dir() / "fixtures" / fixture /
                                                      "model" / "tokenizer.json");
  const auto& texts = claims();
  std::size_t tokens = 0, done = 0, bytes = 0;
  for (auto _ : state) {
    for (const auto& t : texts) {
      const auto e = tok.encode(t);
      tokens += e.ids.size();
      bytes += t.size();
      benchmark::DoNotOptimize(e.ids.data());
    }
    done += texts.size();
  }
  state.counters["claims/s"] =
      benchmark::Counter(static_cast<double>(done), benchmark::Counter::kIsRate);
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(tokens), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

BENCHMARK_CAPTURE(encode_claims, bert_uncased, "bert-uncased")
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);
BENCHMARK_CAPTURE(encode_claims, bert_cased, "bert-cased")
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);
BENCHMARK_CAPTURE(encode_claims, roberta, "roberta")->Unit(benchmark::kMillisecond)->MinTime(2.0);
BENCHMARK_CAPTURE(encode_claims, xlm_roberta, "xlm-roberta")
    ->Unit(benchmark::kMillisecond)
    ->MinTime(2.0);

}  // namespace

int main(int argc, char** argv) {
  if (!fs::exists(shared_dir() / "data" / "claims" / "claims.csv")) {
    std::fprintf(
        stderr,
        "tokenizer_bench: ../shared/data/claims/claims.csv not found (set SPANLOOP_SHARED_DIR)\n");
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
