// Benchmarks of the text hot paths on the CoNLL-2003 train split (14,041 sentences, 203,621
// tokens) from ../shared/data; each reports tokens per second. Results: docs/BENCHMARKS.md.
//   build/release/bench/text/text_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <optional>

#include "support/test_support.h"
#include "text/alignment.h"
#include "text/conlleval.h"
#include "text/decode.h"
#include "text/encode.h"
#include "text/entity_metrics.h"
#include "text/jsonl_spans.h"
#include "text/span_tagger.h"

namespace spanloop::text {
namespace {

struct Corpus {
  std::vector<SpanRecord> records;
  std::vector<std::vector<Token>> tokens;
  std::optional<LabelMap> map;
  std::vector<std::vector<int>> tags;  // IOB2 ids, one sequence per sentence
  std::size_t token_count = 0;
};

// Loaded once; empty when ../shared is absent.
const Corpus& corpus() {
  static const Corpus c = [] {
    Corpus c;
    const auto shared = testing::shared_dir();
    if (!shared) return c;
    JsonlSpansReader reader(*shared / "data" / "conll2003" / "train.jsonl");
    SpanRecord r;
    std::vector<std::string> labels;
    auto ws = make_pretokenizer("whitespace");
    while (reader.next(r)) {
      for (const auto& s : r.spans) {
        if (std::find(labels.begin(), labels.end(), s.label) == labels.end())
          labels.push_back(s.label);
      }
      c.tokens.push_back(ws->split(r.text));
      c.token_count += c.tokens.back().size();
      c.records.push_back(std::move(r));
    }
    c.map.emplace(labels, Scheme::kIOB2);
    SpanTagger tagger(*c.map, {});
    for (std::size_t i = 0; i < c.records.size(); ++i) {
      c.tags.push_back(
          tagger.tag(c.records[i].id, c.records[i].text, c.tokens[i], c.records[i].spans)
              .layers[0]);
    }
    return c;
  }();
  return c;
}

bool ready(benchmark::State& state) {
  if (!corpus().records.empty()) return true;
  state.SkipWithError("../shared/data/conll2003 not present");
  return false;
}

// The tagging kernel: align every span to its tokens, resolve overlaps, write the tag ids.
void BM_SpansToTags(benchmark::State& state) {
  if (!ready(state)) return;
  const Corpus& c = corpus();
  const auto scheme = static_cast<Scheme>(state.range(0));
  const LabelMap map(c.map->labels(), scheme);
  std::vector<int> out;
  std::vector<TokenSpan> aligned;
  for (auto _ : state) {
    for (std::size_t i = 0; i < c.records.size(); ++i) {
      aligned.clear();
      for (const Span& s : c.records[i].spans) {
        TokenSpan ts;
        if (align_span(c.tokens[i], s, AlignmentPolicy::kExpand, ts) == AlignmentOutcome::kExact) {
          ts.label = *map.find_label(s.label);
          aligned.push_back(ts);
        }
      }
      const OverlapResolution r = resolve_overlaps(std::move(aligned), OverlapPolicy::kError);
      out.resize(c.tokens[i].size());
      encode_layer(r.layers[0], map, out);
      benchmark::DoNotOptimize(out.data());
      aligned = std::move(const_cast<OverlapResolution&>(r).layers[0]);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.token_count));
  state.SetLabel(std::string(scheme_name(scheme)));
}
BENCHMARK(BM_SpansToTags)
    ->Arg(static_cast<int>(Scheme::kIOB2))
    ->Arg(static_cast<int>(Scheme::kIOBES));

// The whole SpanTagger per record (UTF-8 validation, span checks, report).
void BM_SpanTagger(benchmark::State& state) {
  if (!ready(state)) return;
  const Corpus& c = corpus();
  for (auto _ : state) {
    SpanTagger tagger(*c.map, {});
    for (std::size_t i = 0; i < c.records.size(); ++i) {
      benchmark::DoNotOptimize(
          tagger.tag(c.records[i].id, c.records[i].text, c.tokens[i], c.records[i].spans));
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.token_count));
}
BENCHMARK(BM_SpanTagger);

// Tags -> entities in each decoding mode.
void BM_TagsToSpans(benchmark::State& state) {
  if (!ready(state)) return;
  const Corpus& c = corpus();
  const auto mode = static_cast<DecodeMode>(state.range(0));
  const TagSet set = TagSet::from_label_map(*c.map);
  std::vector<std::vector<TagId>> ids;
  for (const auto& t : c.tags) ids.emplace_back(t.begin(), t.end());
  std::size_t entities = 0;
  for (auto _ : state) {
    for (const auto& sentence : ids)
      entities += decode_chunks(sentence, set, mode, Scheme::kIOB2).size();
  }
  benchmark::DoNotOptimize(entities);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.token_count));
  state.SetLabel(std::string(decode_mode_name(mode)));
}
BENCHMARK(BM_TagsToSpans)
    ->Arg(static_cast<int>(DecodeMode::kDefault))
    ->Arg(static_cast<int>(DecodeMode::kStrict))
    ->Arg(static_cast<int>(DecodeMode::kConlleval));

// seqeval-style entity scores of the corpus against itself with every 7th tag changed.
void BM_EntityMetrics(benchmark::State& state) {
  if (!ready(state)) return;
  const Corpus& c = corpus();
  const auto mode = static_cast<DecodeMode>(state.range(0));
  std::vector<std::vector<TagId>> gold, pred;
  std::size_t k = 0;
  for (const auto& t : c.tags) {
    gold.emplace_back(t.begin(), t.end());
    pred.emplace_back(t.begin(), t.end());
    for (auto& id : pred.back()) {
      if (++k % 7 == 0) id = static_cast<TagId>((id + 1) % c.map->size());
    }
  }
  for (auto _ : state) {
    EntityEvaluator eval({mode, Scheme::kIOB2, ZeroDivision::kZero},
                         TagSet::from_label_map(*c.map));
    for (std::size_t i = 0; i < gold.size(); ++i) eval.add(gold[i], pred[i]);
    benchmark::DoNotOptimize(eval.report());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.token_count));
  state.SetLabel(std::string(decode_mode_name(mode)));
}
BENCHMARK(BM_EntityMetrics)
    ->Arg(static_cast<int>(DecodeMode::kDefault))
    ->Arg(static_cast<int>(DecodeMode::kStrict));

void BM_Conlleval(benchmark::State& state) {
  if (!ready(state)) return;
  const Corpus& c = corpus();
  std::vector<std::vector<TagId>> gold;
  for (const auto& t : c.tags) gold.emplace_back(t.begin(), t.end());
  for (auto _ : state) {
    ConllevalCounter counter(TagSet::from_label_map(*c.map));
    for (const auto& g : gold) counter.add(g, g);
    benchmark::DoNotOptimize(counter.report());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * c.token_count));
}
BENCHMARK(BM_Conlleval);

}  // namespace
}  // namespace spanloop::text

BENCHMARK_MAIN();
