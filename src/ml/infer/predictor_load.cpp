// Predictor::load: tokenizer + TokenClassifier from a Hugging Face model directory.
#include <filesystem>

#include "ml/infer/cpu_block_cache.h"
#include "ml/infer/predictor.h"
#include "ml/infer/torch_scorer.h"
#include "text/error.h"

namespace spanloop::ml {

Predictor Predictor::load(const std::filesystem::path& model_dir, PredictorOptions options) {
  if (!std::filesystem::is_directory(model_dir))
    throw Error(ErrorKind::kNotFound, "model directory " + model_dir.string() + " does not exist");
  auto tokenizer = Tokenizer::from_directory(model_dir);
  ModelLoadOptions load;
  load.device = options.device;
  load.dtype = parse_model_dtype(options.dtype);
  if (options.device == "cpu") {
    configure_cpu_threads(options.threads, load.dtype);
    configure_cpu_memory();
  }
  auto model = TokenClassifier::load(model_dir, load);
  // After loading: weights converted on load (fp32 -> bf16) free blocks no activation fits.
  if (options.device == "cpu") install_cpu_block_cache(std::size_t{512} << 20);
  auto labels = model.labels();
  // The window: what the model's positions allow, and the tokenizer's model_max_length if lower
  // (transformers truncates to the tokenizer's limit).
  auto window = static_cast<std::size_t>(model.max_sequence_length());
  if (const auto m = tokenizer.model_max_length(); m && *m > 0) window = std::min(window, *m);
  if (options.max_length > window) {
    throw Error(ErrorKind::kInvalidArgument, "--max-length " + std::to_string(options.max_length) +
                                                 " exceeds the " + std::to_string(window) +
                                                 " tokens the model " + model_dir.string() +
                                                 " accepts");
  }
  return Predictor(std::move(tokenizer), std::move(labels), make_torch_scorer(std::move(model)),
                   std::move(options), window);
}

}  // namespace spanloop::ml
