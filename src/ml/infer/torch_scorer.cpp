// TokenScorer over a libtorch TokenClassifier: int64 ids/mask in, float32 logits out.
#include "ml/infer/torch_scorer.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <dlfcn.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <algorithm>
#include <thread>

namespace spanloop::ml {
namespace {

class TorchScorer final : public TokenScorer {
 public:
  explicit TorchScorer(TokenClassifier model) : model_(std::move(model)) {
    const auto& c = model_.config();
    elem_bytes_ = model_.dtype() == ModelDtype::kFloat32 ? 4 : 2;
    heads_ = static_cast<std::size_t>(std::max<std::int64_t>(1, c.num_attention_heads));
    per_token_ =
        static_cast<std::size_t>(std::max<std::int64_t>({1, c.intermediate_size, c.hidden_size}));
  }

  void score(const std::vector<std::int64_t>& ids, const std::vector<std::int64_t>& mask,
             std::size_t batch, std::size_t seq, std::vector<float>& logits) override {
    c10::InferenceMode guard;
    const auto shape =
        std::vector<std::int64_t>{static_cast<std::int64_t>(batch), static_cast<std::int64_t>(seq)};
    // from_blob views the caller's buffers; forward moves them to the model's device.
    const auto ids_t = at::from_blob(const_cast<std::int64_t*>(ids.data()), shape, at::kLong);
    const auto mask_t = at::from_blob(const_cast<std::int64_t*>(mask.data()), shape, at::kLong);
    const auto out = model_.forward(ids_t, mask_t).to(at::kCPU, at::kFloat).contiguous();
    logits.assign(out.data_ptr<float>(), out.data_ptr<float>() + out.numel());
  }

  std::size_t num_labels() const override { return static_cast<std::size_t>(model_.num_labels()); }

  // The largest activations per token are the FFN's inner layer (intermediate_size values) and
  // one layer's attention scores (heads x seq values, quadratic in the window); either must stay
  // under kMaxActivationBytes. DistilBERT-base fp32: 2 windows of 512, 21 of 128.
  std::size_t max_batch_tokens(std::size_t seq) const override {
    const std::size_t widest = std::max(per_token_, heads_ * std::max<std::size_t>(1, seq));
    return std::max<std::size_t>(1, kMaxActivationBytes / (widest * elem_bytes_));
  }

 private:
  TokenClassifier model_;
  std::size_t elem_bytes_ = 4, heads_ = 1, per_token_ = 1;
};

}  // namespace

std::shared_ptr<TokenScorer> make_torch_scorer(TokenClassifier model) {
  return std::make_shared<TorchScorer>(std::move(model));
}

void configure_cpu_memory() {
#if defined(__GLIBC__)
  // Explicit values also switch off glibc's dynamic threshold, which only grows after a mapped
  // block was freed and keeps shrinking the heap top back to the OS.
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

void configure_cpu_threads(std::size_t threads, ModelDtype dtype) {
  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  const int n = static_cast<int>(threads);
  // Looked up at run time: libtorch may be linked against any BLAS (or none exported).
  using SetThreads = void (*)(int);
  const auto openblas =
      reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
  if (dtype == ModelDtype::kFloat32 && openblas) {
    openblas(n);
    at::set_num_threads(1);
  } else {
    if (openblas) openblas(1);
    at::set_num_threads(n);
  }
}

}  // namespace spanloop::ml
