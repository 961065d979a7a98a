// Predictor: tokenize into windows (thread pool), score all windows through the dynamic batcher,
// post-process each text (thread pool).
#include "ml/infer/predictor.h"

#include <algorithm>

#include "ml/infer/aggregation.h"
#include "ml/infer/thread_pool.h"
#include "text/error.h"

namespace spanloop::ml {

struct Predictor::Impl {
  Impl(Tokenizer tok, std::vector<std::string> labels, std::shared_ptr<TokenScorer> scorer,
       PredictorOptions opts, std::size_t window)
      : tokenizer(std::move(tok)),
        options(std::move(opts)),
        aggregator(tokenizer, std::move(labels), {options.aggregation, options.ignore_labels}),
        max_length(options.max_length ? options.max_length : window),
        pool(options.threads),
        batcher(std::move(scorer), {options.batch_size, options.max_batch_tokens},
                tokenizer.pad_token_id().value_or(0)) {
    const std::size_t specials = tokenizer.num_special_tokens_to_add();
    if (batcher.num_labels() != aggregator.labels().size()) {
      throw Error(ErrorKind::kInvalidArgument,
                  "the model scores " + std::to_string(batcher.num_labels()) +
                      " labels but its config names " + std::to_string(aggregator.labels().size()) +
                      " (id2label)");
    }
    if (max_length <= specials + options.stride) {
      throw Error(ErrorKind::kInvalidArgument,
                  "stride " + std::to_string(options.stride) + " leaves no room in windows of " +
                      std::to_string(max_length) + " tokens (" + std::to_string(specials) +
                      " special tokens): use a stride below " +
                      std::to_string(max_length > specials ? max_length - specials : 0));
    }
    step = max_length - specials - options.stride;
  }

  Tokenizer tokenizer;
  PredictorOptions options;
  EntityAggregator aggregator;
  std::size_t max_length;
  std::size_t step = 0;  // content tokens between the starts of consecutive windows
  mutable ThreadPool pool;
  mutable DynamicBatcher batcher;
};

Predictor::Predictor(Tokenizer tokenizer, std::vector<std::string> labels,
                     std::shared_ptr<TokenScorer> scorer, PredictorOptions options,
                     std::size_t max_length)
    : impl_(std::make_unique<Impl>(std::move(tokenizer), std::move(labels), std::move(scorer),
                                   std::move(options), max_length)) {}
Predictor::Predictor(Predictor&&) noexcept = default;
Predictor& Predictor::operator=(Predictor&&) noexcept = default;
Predictor::~Predictor() = default;

std::vector<Entities> Predictor::predict(const std::vector<std::string>& texts) const {
  const Impl& m = *impl_;
  std::vector<std::vector<Encoding>> windows(texts.size());
  m.pool.parallel_for(texts.size(), [&](std::size_t i) {
    try {
      windows[i] = m.tokenizer.encode_windows(texts[i], m.max_length, m.options.stride);
    } catch (const Error& e) {
      throw Error(e.kind(), "text " + std::to_string(i + 1) + ": " + e.what());
    }
  });
  std::vector<const Encoding*> flat;
  for (const auto& w : windows)
    for (const auto& e : w) flat.push_back(&e);
  const auto logits = m.batcher.score(flat);

  std::vector<std::size_t> first(texts.size() + 1, 0);  // index into flat per text
  for (std::size_t i = 0; i < texts.size(); ++i) first[i + 1] = first[i] + windows[i].size();
  std::vector<Entities> out(texts.size());
  m.pool.parallel_for(texts.size(), [&](std::size_t i) {
    std::vector<WindowLogits> views;
    for (std::size_t w = 0; w < windows[i].size(); ++w)
      views.push_back({&windows[i][w], logits[first[i] + w].data(), w * m.step});
    out[i] = m.aggregator.aggregate(texts[i], views);
  });
  return out;
}

Entities Predictor::predict(std::string_view text) const {
  return std::move(predict(std::vector<std::string>{std::string(text)}).front());
}

const std::vector<std::string>& Predictor::labels() const {
  return impl_->aggregator.labels();
}
const PredictorOptions& Predictor::options() const {
  return impl_->options;
}
const Tokenizer& Predictor::tokenizer() const {
  return impl_->tokenizer;
}
std::size_t Predictor::max_length() const {
  return impl_->max_length;
}
BatchStats Predictor::stats() const {
  return impl_->batcher.stats();
}

}  // namespace spanloop::ml
