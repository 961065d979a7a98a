// Times TokenClassifier::forward on a random model: model_forward_bench [arch layers hidden heads ffn
// vocab batch seq dtype repeats]. Defaults: DistilBERT-base size, batch 8 x 128 tokens, fp32.
#include <ATen/Parallel.h>
#include <ATen/ops/randint.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "ml/model/token_classifier.h"

int main(int argc, char** argv) {
  using namespace spanloop::ml;
  auto arg = [&](int i, const char* def) { return std::string(argc > i ? argv[i] : def); };
  const std::string arch = arg(1, "distilbert");
  const long layers = std::stol(arg(2, "6")), hidden = std::stol(arg(3, "768")), heads = std::stol(arg(4, "12"));
  const long ffn = std::stol(arg(5, "3072")), vocab = std::stol(arg(6, "30522"));
  const long batch = std::stol(arg(7, "8")), seq = std::stol(arg(8, "128"));
  const std::string dtype = arg(9, "fp32");
  const int repeats = std::stoi(arg(10, "10"));

  ModelConfig c;
  c.model_type = parse_model_type(arch);
  c.num_hidden_layers = layers;
  c.hidden_size = hidden;
  c.num_attention_heads = heads;
  c.intermediate_size = ffn;
  c.vocab_size = vocab;
  c.labels = {"O", "B-A", "I-A", "B-B", "I-B"};
  if (c.model_type == ModelType::kDistilBert) c.type_vocab_size = 0;
  ModelLoadOptions o;
  o.dtype = parse_model_dtype(dtype);
  const auto model = TokenClassifier::random(c, o);
  const auto ids = at::randint(1000, 2000, {batch, seq}, at::TensorOptions().dtype(at::kLong));
  const auto mask = at::ones_like(ids);
  model.forward(ids, mask);  // warm-up (oneDNN primitive creation)
  std::vector<double> ms;
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    auto logits = model.forward(ids, mask);
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(ms.begin(), ms.end());
  const double median = ms[ms.size() / 2];
  std::printf("%s L=%ld H=%ld heads=%ld ffn=%ld %s batch=%ldx%ld threads=%d: median %.1f ms (min %.1f), %.1f seq/s, %.0f tok/s\n",
              arch.c_str(), layers, hidden, heads, ffn, dtype.c_str(), batch, seq, at::get_num_threads(), median, ms.front(),
              1000.0 * batch / median, 1000.0 * batch * seq / median);
  return 0;
}
