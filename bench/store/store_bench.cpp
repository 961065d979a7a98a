// Store benchmarks (Google Benchmark). The queue and full-text benchmarks run on one dataset of
// SPANLOOP_BENCH_RECORDS records (default 100000) that is built once and reused across runs;
// SPANLOOP_BENCH_URL picks the database (default: SQLite under ./store-bench-data).
//   store_bench --benchmark_filter=Queue   (results: docs/BENCHMARKS.md)
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "claim_text.h"
#include "store/store.h"

namespace spanloop::bench {
namespace {

using namespace spanloop::store;
using Clock = std::chrono::steady_clock;

constexpr int kAnnotators = 50;
constexpr int kAnsweredPerAnnotator = 200;

std::int64_t records_wanted() {
  const char* v = std::getenv("SPANLOOP_BENCH_RECORDS");
  return v ? std::atoll(v) : 100000;
}

std::string bench_url() {
  const char* v = std::getenv("SPANLOOP_BENCH_URL");
  return v ? v : sqlite_url_for_data_dir("store-bench-data");
}

Store& store() {
  static std::unique_ptr<Store> s = [] {
    StoreOptions o;
    o.pool_size = 16;
    // SPANLOOP_BENCH_INDEXER=0: no background full-text indexing (searches index on demand).
    if (const char* v = std::getenv("SPANLOOP_BENCH_INDEXER"); v && std::string(v) == "0")
      o.background_indexing = false;
    return open_store(bench_url(), o);
  }();
  return *s;
}

std::vector<RecordInput> claim_batch(ClaimText& gen, int n, const std::string& ner_id,
                                     const std::string& prefix, std::int64_t first,
                                     bool with_suggestions = true) {
  std::vector<RecordInput> items;
  items.reserve(n);
  for (int i = 0; i < n; ++i) {
    RecordInput r;
    r.external_id = prefix + std::to_string(first + i);
    r.fields["text"] = gen.claim(90);
    r.metadata = Metadata{{"office", std::string((first + i) % 3 ? "uspto" : "epo")},
                          {"year", std::int64_t{1990 + (first + i) % 35}}};
    // A model's span predictions with per-span scores, as pushed back by the loop.
    if (with_suggestions)
      r.suggestions.push_back(SuggestionInput{
          ner_id, "", std::vector<SpanValue>{{"MATERIAL", 2, 10}, {"DEVICE", 12, 20}},
          std::vector<double>{0.91, 0.42}, "bert-ner-v1", SuggestionType::kModel});
    items.push_back(std::move(r));
  }
  return items;
}

struct Fixture {
  Dataset dataset;
  Question ner;
  std::vector<User> annotators;
};

Dataset make_dataset(Store& s, const std::string& name, Question* ner_out) {
  auto ws = s.get_workspace_by_name("bench");
  const Workspace w = ws ? *ws : s.create_workspace("bench");
  Dataset d =
      s.create_dataset(DatasetCreate{w.id, name, "Label materials and devices.", true, {}, {}});
  s.create_field(d.id, FieldCreate{"text", "Claim", true, false});
  SpanQuestionSettings span;
  span.field = "text";
  span.options = {{"MATERIAL", "Material", std::nullopt, std::nullopt},
                  {"DEVICE", "Device", std::nullopt, std::nullopt},
                  {"VALUE", "Value", std::nullopt, std::nullopt}};
  *ner_out = s.create_question(d.id, QuestionCreate{"ner", "Entities", std::nullopt, true, span});
  s.create_metadata_property(
      d.id, MetadataPropertyCreate{"office", "Office", TermsMetadataSettings{}, true});
  s.create_metadata_property(
      d.id, MetadataPropertyCreate{"year", "Year", IntegerMetadataSettings{}, true});
  return s.publish_dataset(d.id);
}

// The shared dataset: built on first use (minutes for 1M records), then found by name.
const Fixture& fixture() {
  static Fixture f = [] {
    Store& s = store();
    Fixture out;
    const std::string name = "claims-" + std::to_string(records_wanted());
    auto ws = s.get_workspace_by_name("bench");
    std::vector<Dataset> found;
    if (ws) {
      DatasetFilter filter;
      filter.workspace_id = ws->id;
      filter.name = name;
      found = s.list_datasets(filter);
    }
    if (!found.empty()) {
      out.dataset = found[0];
      out.ner = s.list_questions(out.dataset.id)[0];
    } else {
      out.dataset = make_dataset(s, name, &out.ner);
    }
    for (int u = 0; u < kAnnotators; ++u) {
      const std::string username = "annotator" + std::to_string(u);
      auto user = s.get_user_by_username(username);
      out.annotators.push_back(user ? *user
                                    : s.create_user(UserCreate{username, username, std::nullopt,
                                                               Role::kAnnotator, "x"}));
    }
    const std::int64_t have = s.dataset_progress(out.dataset.id).total;
    ClaimText gen(static_cast<std::uint64_t>(have) + 1);
    const auto start = Clock::now();
    for (std::int64_t i = have; i < records_wanted(); i += 500) {
      const int n = static_cast<int>(std::min<std::int64_t>(500, records_wanted() - i));
      s.bulk_upsert_records(out.dataset.id, claim_batch(gen, n, out.ner.id, "c", i));
    }
    if (have < records_wanted()) {
      const double secs = std::chrono::duration<double>(Clock::now() - start).count();
      std::fprintf(stderr, "built %lld records in %.1f s\n",
                   static_cast<long long>(records_wanted() - have), secs);
      // Each annotator has already answered some of their queue.
      for (int u = 0; u < kAnnotators; ++u) {
        SearchQuery q;
        q.dataset_id = out.dataset.id;
        q.user_id = out.annotators[u].id;
        q.shuffle = true;
        q.limit = kAnsweredPerAnnotator;
        q.with_total = false;
        for (const auto& hit : s.search(q).items)
          s.upsert_response(
              hit.record.id, out.annotators[u].id,
              ResponseInput{u % 4 ? ResponseStatus::kSubmitted : ResponseStatus::kDraft,
                            {{"ner", std::vector<SpanValue>{{"DEVICE", 2, 10}}}}});
      }
    }
    return out;
  }();
  return f;
}

void report_latency(benchmark::State& state, std::vector<double>& ms) {
  if (ms.empty()) return;
  std::sort(ms.begin(), ms.end());
  state.counters["p50_ms"] = ms[ms.size() / 2];
  state.counters["p99_ms"] = ms[std::min(ms.size() - 1, ms.size() * 99 / 100)];
  state.counters["max_ms"] = ms.back();
}

// Bulk upsert of new claim records (with one span suggestion each) in 500-record batches.
void BM_BulkUpsert(benchmark::State& state) {
  Store& s = store();
  Question ner;
  const Dataset d =
      make_dataset(s, "upsert-" + std::to_string(Clock::now().time_since_epoch().count()), &ner);
  ClaimText gen(7);
  std::int64_t next = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto batch = claim_batch(gen, 500, ner.id, "u", next, state.range(0) != 0);
    next += 500;
    state.ResumeTiming();
    s.bulk_upsert_records(d.id, batch);
  }
  state.SetItemsProcessed(state.iterations() * 500);
  state.counters["records_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * 500), benchmark::Counter::kIsRate);
  // Upserting the same batch again updates instead of inserting (timed separately).
  auto again = claim_batch(gen, 500, ner.id, "u", 0, state.range(0) != 0);
  const auto t0 = Clock::now();
  s.bulk_upsert_records(d.id, again);
  state.counters["update_batch_ms"] =
      std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  s.delete_dataset(d.id);
}
// Arg: 0 = records only (text + metadata), 1 = each with a span suggestion.
BENCHMARK(BM_BulkUpsert)
    ->Arg(0)
    ->Arg(1)
    ->Iterations(60)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The UI's Pending tab: 50 records with the annotator's responses and the suggestions, plus the
// total, in the annotator's shuffled order.
void BM_QueuePage(benchmark::State& state) {
  const Fixture& f = fixture();
  std::vector<double> ms;
  std::size_t i = 0;
  for (auto _ : state) {
    const User& u = f.annotators[i++ % f.annotators.size()];
    SearchQuery q;
    q.dataset_id = f.dataset.id;
    q.user_id = u.id;
    q.shuffle = true;
    q.filters = {TermsFilter{FilterScope{ScopeEntity::kResponse, "status", "", ""}, {"pending"}},
                 TermsFilter{FilterScope{ScopeEntity::kRecord, "status", "", ""}, {"pending"}}};
    q.include.responses = true;
    q.include.responses_user_id = u.id;
    q.include.suggestions = true;
    q.limit = 50;
    const auto t0 = Clock::now();
    auto r = store().search(q);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    benchmark::DoNotOptimize(r);
  }
  report_latency(state, ms);
}
BENCHMARK(BM_QueuePage)->Iterations(400)->Unit(benchmark::kMillisecond)->UseRealTime();

// Other tabs of the queue: the annotator's submitted records.
void BM_SubmittedTab(benchmark::State& state) {
  const Fixture& f = fixture();
  std::vector<double> ms;
  std::size_t i = 1;
  for (auto _ : state) {
    const User& u = f.annotators[i++ % f.annotators.size()];
    SearchQuery q;
    q.dataset_id = f.dataset.id;
    q.user_id = u.id;
    q.shuffle = true;
    q.filters = {TermsFilter{FilterScope{ScopeEntity::kResponse, "status", "", ""}, {"submitted"}}};
    q.include.responses = true;
    q.include.responses_user_id = u.id;
    q.include.suggestions = true;
    const auto t0 = Clock::now();
    auto r = store().search(q);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    benchmark::DoNotOptimize(r);
  }
  report_latency(state, ms);
}
BENCHMARK(BM_SubmittedTab)->Iterations(200)->Unit(benchmark::kMillisecond)->UseRealTime();

// Full-text search, first page of 50 with the total: a mix of frequent words, rare terms,
// two-word ANDs, a phrase and a prefix.
void BM_FullTextSearch(benchmark::State& state) {
  const Fixture& f = fixture();
  ClaimText gen(1);
  std::vector<std::string> queries;
  for (int i = 0; i < 20; ++i) {
    queries.push_back(gen.word(200 + i * 37));                           // rare term
    queries.push_back(gen.word(30 + i) + " " + gen.word(300 + i * 11));  // common AND rare
    queries.push_back(gen.word(20 + i) + " " + gen.word(40 + i));        // two fairly common words
  }
  queries.push_back("\"semiconductor wafer\"");
  queries.push_back("semicond*");  // a prefix of one word (a prefix of thousands is slower)
  queries.push_back("κ-value µm");
  std::vector<double> ms;
  std::size_t i = 0;
  std::int64_t matched = 0;
  for (auto _ : state) {
    SearchQuery q;
    q.dataset_id = f.dataset.id;
    q.text = TextQuery{queries[i++ % queries.size()], std::nullopt};
    q.include.suggestions = true;
    q.limit = 50;
    const auto t0 = Clock::now();
    auto r = store().search(q);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    matched += r.total;
  }
  report_latency(state, ms);
  state.counters["mean_total"] =
      static_cast<double>(matched) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_FullTextSearch)->Iterations(189)->Unit(benchmark::kMillisecond)->UseRealTime();

// A page deep in the dataset through a keyset cursor (no offset cap): the cursor is taken once
// at 90% depth with an offset query, then each iteration reads the 50 records after it.
void BM_DeepCursorPage(benchmark::State& state) {
  const Fixture& f = fixture();
  SearchQuery q;
  q.dataset_id = f.dataset.id;
  q.limit = 1;
  q.offset = records_wanted() * 9 / 10;
  q.with_total = false;
  q.cursor = store().search(q).next_cursor;
  q.offset = 0;
  q.limit = 50;
  q.include.suggestions = true;
  std::vector<double> ms;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    auto r = store().search(q);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    benchmark::DoNotOptimize(r);
  }
  report_latency(state, ms);
}
BENCHMARK(BM_DeepCursorPage)->Iterations(100)->Unit(benchmark::kMillisecond)->UseRealTime();

// Annotators submitting responses concurrently (one user per thread), each on its own queue.
void BM_Submit(benchmark::State& state) {
  const Fixture& f = fixture();
  const User& u =
      f.annotators[static_cast<std::size_t>(state.thread_index()) % f.annotators.size()];
  SearchQuery q;
  q.dataset_id = f.dataset.id;
  q.user_id = u.id;
  q.shuffle = true;
  q.filters = {TermsFilter{FilterScope{ScopeEntity::kResponse, "status", "", ""}, {"pending"}}};
  q.limit = 1000;
  q.offset = 200;  // away from the records the setup answered
  q.with_total = false;
  std::vector<std::string> queue;
  for (const auto& h : store().search(q).items) queue.push_back(h.record.id);
  std::vector<double> ms;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    store().upsert_response(queue[i++ % queue.size()], u.id,
                            ResponseInput{ResponseStatus::kSubmitted,
                                          {{"ner", std::vector<SpanValue>{{"MATERIAL", 2, 10}}}}});
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  state.SetItemsProcessed(state.iterations());
  report_latency(state, ms);
}
BENCHMARK(BM_Submit)
    ->Iterations(300)
    ->Threads(1)
    ->Threads(8)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace spanloop::bench

BENCHMARK_MAIN();
