// The C++ inference API: a token-classification model loaded once, thread-safe, text in,
// entities with code point offsets out (transformers' TokenClassificationPipeline semantics).
// Plain structs only: callers (server, loop, CLI) do not see libtorch.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ml/infer/batcher.h"
#include "ml/infer/entity.h"
#include "ml/infer/token_scorer.h"
#include "ml/tokenizer/tokenizer.h"

namespace spanloop::ml {

struct PredictorOptions {
  Aggregation aggregation = Aggregation::kSimple;
  std::vector<std::string> ignore_labels = {"O"};  // labels (or entity groups) not reported
  std::size_t stride = 128;     // tokens shared by consecutive windows of a long text
  std::size_t max_length = 0;   // window in tokens, specials included; 0: what the model allows
  std::size_t batch_size = 16;  // windows per forward pass at most
  std::size_t max_batch_tokens = 8192;  // padded tokens per forward pass at most
  std::string device = "cpu";           // "cpu" | "cuda" | "cuda:N"
  std::string dtype = "fp32";           // "fp32" | "bf16" (| "fp16" on CUDA)
  std::size_t threads = 0;              // CPU threads for the model and the pipeline; 0: all cores
};

class Predictor {
 public:
  // Loads a Hugging Face token-classification directory (config.json, weights, tokenizer).
  // Throws spanloop::Error naming the file or key that is missing or wrong.
  static Predictor load(const std::filesystem::path& model_dir, PredictorOptions options = {});

  // Wires a tokenizer, id2label and any scorer (tests, other back ends). max_length is the
  // window size when options.max_length is 0.
  Predictor(Tokenizer tokenizer, std::vector<std::string> labels,
            std::shared_ptr<TokenScorer> scorer, PredictorOptions options, std::size_t max_length);
  Predictor(Predictor&&) noexcept;
  Predictor& operator=(Predictor&&) noexcept;
  ~Predictor();

  // Entities per text, in input order. Texts longer than the window are split into windows that
  // overlap by `stride` tokens and merged (never truncated). Invalid UTF-8 throws InvalidArgument
  // naming the text's position and byte offset. Thread-safe: concurrent calls share batches.
  std::vector<Entities> predict(const std::vector<std::string>& texts) const;
  Entities predict(std::string_view text) const;

  const std::vector<std::string>& labels() const;
  const PredictorOptions& options() const;
  const Tokenizer& tokenizer() const;
  std::size_t max_length() const;  // window size in tokens
  BatchStats stats() const;        // forward passes and tokens so far

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace spanloop::ml
