// TokenClassifier: loading, forward, training switch and saving of the token-classification models.
#include "ml/model/token_classifier.h"

#include <ATen/ops/empty.h>
#include <c10/core/GradMode.h>
#include <c10/core/InferenceMode.h>
#include <torch/cuda.h>

#include <functional>

#include "ml/io/weight_source.h"
#include "ml/model/load_weights.h"
#include "ml/model/networks.h"
#include "text/error.h"

namespace spanloop::ml {

struct TokenClassifier::Impl {
  ModelConfig config;
  std::shared_ptr<detail::TokenClassificationNet> net;
  LoadReport report;
  c10::Device device{c10::kCPU};
  ModelDtype dtype = ModelDtype::kFloat32;
  std::optional<std::filesystem::path> source_dir;
};

namespace {

c10::ScalarType scalar_type(ModelDtype d) {
  switch (d) {
    case ModelDtype::kFloat32:
      return c10::kFloat;
    case ModelDtype::kBFloat16:
      return c10::kBFloat16;
    case ModelDtype::kFloat16:
      return c10::kHalf;
  }
  return c10::kFloat;
}

const char* torch_dtype_string(ModelDtype d) {
  switch (d) {
    case ModelDtype::kFloat32:
      return "float32";
    case ModelDtype::kBFloat16:
      return "bfloat16";
    case ModelDtype::kFloat16:
      return "float16";
  }
  return "float32";
}

c10::Device parse_device(const std::string& text, ModelDtype dtype) {
  c10::Device device(c10::kCPU);
  try {
    device = c10::Device(text);
  } catch (const std::exception&) {
    throw Error(ErrorKind::kInvalidArgument,
                "unknown device '" + text + "' (use cpu, cuda or cuda:N)");
  }
  if (!device.is_cpu() && !device.is_cuda())
    throw Error(ErrorKind::kInvalidArgument,
                "unsupported device '" + text + "' (use cpu, cuda or cuda:N)");
  if (device.is_cuda() && !torch::cuda::is_available())
    throw Error(ErrorKind::kFailedPrecondition,
                "device '" + text +
                    "' requested but CUDA is not available (no GPU, or a CPU-only libtorch)");
  if (device.is_cuda() && device.has_index() &&
      device.index() >= static_cast<c10::DeviceIndex>(torch::cuda::device_count()))
    throw Error(ErrorKind::kInvalidArgument, "device '" + text + "' does not exist (" +
                                                 std::to_string(torch::cuda::device_count()) +
                                                 " GPU(s))");
  if (device.is_cpu() && dtype == ModelDtype::kFloat16)
    throw Error(ErrorKind::kInvalidArgument, "fp16 needs a CUDA device; use bf16 on CPU");
  return device;
}

std::vector<std::string> head_labels(const ModelConfig& config, const ModelLoadOptions& options) {
  if (!options.labels.empty()) return options.labels;
  if (!config.labels.empty()) return config.labels;
  return {"LABEL_0", "LABEL_1"};  // transformers' default num_labels = 2
}

// Builds the network on CPU in fp32; `fill` loads or initialises it; then moves/casts it.
TokenClassifier::Impl* build(const ModelConfig& config, const ModelLoadOptions& options,
                             const std::function<void(TokenClassifier::Impl&)>& fill) {
  auto impl = std::make_unique<TokenClassifier::Impl>();
  impl->config = config;
  impl->config.labels = head_labels(config, options);
  impl->dtype = options.dtype;
  impl->device = parse_device(options.device, options.dtype);
  impl->net =
      detail::make_network(impl->config, static_cast<std::int64_t>(impl->config.labels.size()));
  fill(*impl);
  impl->net->eval();
  if (impl->device != c10::Device(c10::kCPU) || impl->dtype != ModelDtype::kFloat32)
    impl->net->to(impl->device, scalar_type(impl->dtype));
  impl->config.torch_dtype = torch_dtype_string(impl->dtype);
  return impl.release();
}

void check_ids(const at::Tensor& t, const char* what, std::int64_t batch, std::int64_t len) {
  if (!t.defined()) return;
  if (t.dim() != 2 || t.size(0) != batch || t.size(1) != len)
    throw Error(ErrorKind::kInvalidArgument,
                std::string(what) + " must have the shape of input_ids [" + std::to_string(batch) +
                    ", " + std::to_string(len) + "]");
}

}  // namespace

ModelDtype parse_model_dtype(std::string_view name) {
  if (name == "fp32" || name == "float32") return ModelDtype::kFloat32;
  if (name == "bf16" || name == "bfloat16") return ModelDtype::kBFloat16;
  if (name == "fp16" || name == "float16") return ModelDtype::kFloat16;
  throw Error(ErrorKind::kInvalidArgument,
              "unknown dtype '" + std::string(name) + "' (use fp32, bf16 or fp16)");
}

std::string_view model_dtype_name(ModelDtype dtype) {
  switch (dtype) {
    case ModelDtype::kFloat32:
      return "fp32";
    case ModelDtype::kBFloat16:
      return "bf16";
    case ModelDtype::kFloat16:
      return "fp16";
  }
  return "fp32";
}

std::vector<std::string> tokenizer_file_names() {
  return {"tokenizer.json",
          "tokenizer_config.json",
          "special_tokens_map.json",
          "added_tokens.json",
          "vocab.txt",
          "vocab.json",
          "merges.txt",
          "sentencepiece.bpe.model",
          "spiece.model"};
}

TokenClassifier::TokenClassifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TokenClassifier::TokenClassifier(TokenClassifier&&) noexcept = default;
TokenClassifier& TokenClassifier::operator=(TokenClassifier&&) noexcept = default;
TokenClassifier::~TokenClassifier() = default;

TokenClassifier TokenClassifier::from_weights(const ModelConfig& config,
                                              const WeightSource& weights,
                                              const ModelLoadOptions& options) {
  const bool keep_head = options.labels.empty() || options.labels == config.labels;
  std::unique_ptr<Impl> impl(build(config, options, [&](Impl& m) {
    const auto result = detail::load_weights(*m.net, m.config, weights, keep_head);
    m.report.fresh_head = !result.head_loaded;
    m.report.ignored_keys = result.ignored_keys;
    m.report.weights_source = weights.describe();
    if (m.report.fresh_head)
      detail::init_weights(*m.net, m.config, options.seed, /*only_head=*/true);
  }));
  return TokenClassifier(std::move(impl));
}

TokenClassifier TokenClassifier::load(const std::filesystem::path& dir,
                                      const ModelLoadOptions& options) {
  const auto config = ModelConfig::from_directory(dir);
  std::shared_ptr<const WeightSource> weights = options.weights;
  if (!weights) weights = open_weights(dir);
  auto model = from_weights(config, *weights, options);
  model.impl_->source_dir = dir;
  return model;
}

TokenClassifier TokenClassifier::random(const ModelConfig& config,
                                        const ModelLoadOptions& options) {
  config.validate("model config");
  std::unique_ptr<Impl> impl(build(config, options, [&](Impl& m) {
    detail::init_weights(*m.net, m.config, options.seed, /*only_head=*/false);
    m.report.fresh_head = true;
  }));
  return TokenClassifier(std::move(impl));
}

at::Tensor TokenClassifier::forward(const at::Tensor& input_ids, const at::Tensor& attention_mask,
                                    const at::Tensor& token_type_ids) const {
  if (!input_ids.defined() || input_ids.dim() != 2)
    throw Error(ErrorKind::kInvalidArgument, "input_ids must be a [batch, length] tensor");
  if (!c10::isIntegralType(input_ids.scalar_type(), /*includeBool=*/false))
    throw Error(ErrorKind::kInvalidArgument, "input_ids must hold integers");
  const auto batch = input_ids.size(0), len = input_ids.size(1);
  check_ids(attention_mask, "attention_mask", batch, len);
  check_ids(token_type_ids, "token_type_ids", batch, len);
  if (len > max_sequence_length())
    throw Error(
        ErrorKind::kInvalidArgument,
        "sequence of " + std::to_string(len) + " tokens is longer than the model's maximum of " +
            std::to_string(max_sequence_length()) + " (max_position_embeddings " +
            std::to_string(impl_->config.max_position_embeddings) + "); split it into windows");
  const bool training = impl_->net->is_training();
  std::optional<c10::InferenceMode> inference;
  if (!training) inference.emplace();
  if (batch == 0 || len == 0)
    return at::empty({batch, len, num_labels()},
                     at::TensorOptions().dtype(c10::kFloat).device(impl_->device));

  auto ids = input_ids.to(impl_->device, c10::kLong);
  const auto lo = ids.min().item<std::int64_t>(), hi = ids.max().item<std::int64_t>();
  if (lo < 0 || hi >= impl_->config.vocab_size)
    throw Error(ErrorKind::kInvalidArgument, "token id " + std::to_string(lo < 0 ? lo : hi) +
                                                 " is outside the vocabulary of " +
                                                 std::to_string(impl_->config.vocab_size));
  at::Tensor mask = attention_mask.defined() ? attention_mask.to(impl_->device) : at::Tensor();
  at::Tensor types;
  if (token_type_ids.defined() && impl_->config.type_vocab_size > 0) {
    types = token_type_ids.to(impl_->device, c10::kLong);
    const auto tmax = types.max().item<std::int64_t>(), tmin = types.min().item<std::int64_t>();
    if (tmin < 0 || tmax >= impl_->config.type_vocab_size)
      throw Error(ErrorKind::kInvalidArgument,
                  "token type id outside 0.." + std::to_string(impl_->config.type_vocab_size - 1));
  }
  auto logits = impl_->net->forward(ids, mask, types);
  return logits.scalar_type() == c10::kFloat ? logits : logits.to(c10::kFloat);
}

const ModelConfig& TokenClassifier::config() const {
  return impl_->config;
}
const std::vector<std::string>& TokenClassifier::labels() const {
  return impl_->config.labels;
}
std::int64_t TokenClassifier::num_labels() const {
  return static_cast<std::int64_t>(impl_->config.labels.size());
}
const LoadReport& TokenClassifier::load_report() const {
  return impl_->report;
}
c10::Device TokenClassifier::device() const {
  return impl_->device;
}
ModelDtype TokenClassifier::dtype() const {
  return impl_->dtype;
}
std::int64_t TokenClassifier::max_sequence_length() const {
  return impl_->config.max_position_embeddings - impl_->config.position_offset();
}

void TokenClassifier::train(bool on) {
  impl_->net->train(on);
}
bool TokenClassifier::is_training() const {
  return impl_->net->is_training();
}

std::vector<std::pair<std::string, at::Tensor>> TokenClassifier::named_parameters() const {
  std::vector<std::pair<std::string, at::Tensor>> out;
  for (const auto& item : impl_->net->named_parameters(/*recurse=*/true))
    out.emplace_back(item.key(), item.value());
  return out;
}

std::vector<at::Tensor> TokenClassifier::parameters() const {
  return impl_->net->parameters(/*recurse=*/true);
}

std::shared_ptr<torch::nn::Module> TokenClassifier::module() const {
  return impl_->net;
}

void TokenClassifier::to(const std::string& device, ModelDtype dtype) {
  impl_->device = parse_device(device, dtype);
  impl_->dtype = dtype;
  impl_->net->to(impl_->device, scalar_type(dtype));
  impl_->config.torch_dtype = torch_dtype_string(dtype);
}

void TokenClassifier::save(const std::filesystem::path& out_dir,
                           const std::optional<std::filesystem::path>& tokenizer_dir) const {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(out_dir, ec);
  if (ec)
    throw Error(ErrorKind::kUnavailable, "cannot create " + out_dir.string() + ": " + ec.message());
  ModelConfig config = impl_->config;
  config.architectures = {config.token_classification_architecture()};
  config.save(out_dir / "config.json");
  save_safetensors(out_dir / "model.safetensors", named_parameters());
  const auto from = tokenizer_dir ? tokenizer_dir : impl_->source_dir;
  if (!from) return;
  if (fs::exists(out_dir) && fs::exists(*from) && fs::equivalent(*from, out_dir)) return;
  for (const auto& name : tokenizer_file_names()) {
    if (!fs::exists(*from / name)) continue;
    fs::copy_file(*from / name, out_dir / name, fs::copy_options::overwrite_existing, ec);
    if (ec)
      throw Error(ErrorKind::kUnavailable,
                  "cannot copy " + (*from / name).string() + ": " + ec.message());
  }
}

}  // namespace spanloop::ml
