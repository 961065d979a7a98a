// Writes a randomly initialised token-classification model directory for the inference
// benchmarks: make_bench_model OUT TOKENIZER_DIR ARCH LAYERS HIDDEN HEADS FFN VOCAB
// (labels: the fixtures' 11 BIO labels). Example, DistilBERT-base size:
//   make_bench_model /tmp/distilbert-base ../shared/fixtures/distilbert-uncased/model distilbert 6 768 12 3072 30522
#include <cstdio>
#include <string>

#include "ml/io/model_config.h"
#include "ml/model/token_classifier.h"

int main(int argc, char** argv) {
  if (argc != 9) {
    std::fprintf(stderr, "usage: make_bench_model OUT TOKENIZER_DIR ARCH LAYERS HIDDEN HEADS FFN VOCAB\n");
    return 2;
  }
  try {
    using spanloop::ml::ModelConfig;
    ModelConfig c;
    c.model_type = spanloop::ml::parse_model_type(argv[3]);
    c.num_hidden_layers = std::stol(argv[4]);
    c.hidden_size = std::stol(argv[5]);
    c.num_attention_heads = std::stol(argv[6]);
    c.intermediate_size = std::stol(argv[7]);
    c.vocab_size = std::stol(argv[8]);
    if (c.model_type == spanloop::ml::ModelType::kDistilBert) c.type_vocab_size = 0;
    c.labels = {"O", "B-Material", "I-Material", "B-Component", "I-Component", "B-Process",
                "I-Process", "B-Property", "I-Property", "B-Value", "I-Value"};
    c.architectures = {c.token_classification_architecture()};
    const auto model = spanloop::ml::TokenClassifier::random(c);
    model.save(argv[1], std::filesystem::path(argv[2]));
    std::printf("wrote %s\n", argv[1]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "make_bench_model: %s\n", e.what());
    return 1;
  }
  return 0;
}
