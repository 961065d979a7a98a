// TokenScorer over a libtorch TokenClassifier: int64 ids/mask in, float32 logits out.
#include "ml/infer/torch_scorer.h"

#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <dlfcn.h>

#include <algorithm>
#include <thread>

namespace spanloop::ml {
namespace {

class TorchScorer final : public TokenScorer {
 public:
  explicit TorchScorer(TokenClassifier model) : model_(std::move(model)) {}

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

 private:
  TokenClassifier model_;
};

}  // namespace

std::shared_ptr<TokenScorer> make_torch_scorer(TokenClassifier model) {
  return std::make_shared<TorchScorer>(std::move(model));
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
