// Load generator for the records API of a running server (loopback): bulk upsert of claim
// records in 500-record batches, the annotators' pending-queue page, full-text search and
// concurrent submits. Prints one line per phase (throughput and latency percentiles).
//
//   server_load --url http://127.0.0.1:6900 --api-key KEY --records 100000 --annotators 50
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "store/claim_text.h"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  int port = 6900;
  std::string api_key;
  long records = 100000;
  int batch = 500;
  int upload_threads = 2;
  int annotators = 50;
  int submits_per_annotator = 40;
  int queue_pages = 200;
  int searches = 200;
  std::string dataset_name = "bench";
  long server_pid = 0;  // --server-pid: also report the server's CPU time per operation
  int pause_s = 0;      // --pause: seconds to wait after the import (background indexing done)
};

// The server process's user + system CPU time (Linux /proc), in ms; 0 without --server-pid.
long g_server_pid = 0;
double server_cpu_ms() {
  if (g_server_pid <= 0) return 0;
  std::ifstream in("/proc/" + std::to_string(g_server_pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string f;
  double ticks = 0;
  for (int i = 3; fields >> f && i <= 15; ++i)  // fields 14 and 15: utime, stime
    if (i == 14 || i == 15) ticks += std::stod(f);
  return ticks * 1000.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
}
double g_phase_cpu_start = 0;
void phase_begin() {
  g_phase_cpu_start = server_cpu_ms();
}

void die(const std::string& message) {
  std::fprintf(stderr, "server_load: %s\n", message.c_str());
  std::exit(1);
}

class Client {
 public:
  Client(const Options& o, std::string auth_header, std::string auth_value)
      : http_(o.host, o.port), header_(std::move(auth_header)), value_(std::move(auth_value)) {
    http_.set_keep_alive(true);
    // As Python's requests/urllib3 do: without it each small request body waits for the
    // server's delayed ACK (~40 ms) on a keep-alive connection.
    http_.set_tcp_nodelay(true);
    http_.set_read_timeout(300, 0);
    http_.set_write_timeout(300, 0);
  }
  // Returns the status; body in `out`.
  int call(const std::string& method, const std::string& path, const std::string& body,
           std::string& out, const char* content_type = "application/json") {
    httplib::Headers h{{header_, value_}};
    // This httplib's Result has no default constructor, so pick the call first.
    auto r = method == "GET"    ? http_.Get(path.c_str(), h)
             : method == "POST" ? http_.Post(path.c_str(), h, body, content_type)
             : method == "PUT"  ? http_.Put(path.c_str(), h, body, content_type)
                                : http_.Delete(path.c_str(), h);
    if (!r) return -1;
    out = r->body;
    return r->status;
  }
  json must(const std::string& method, const std::string& path, const json& body = nullptr) {
    std::string out;
    const int status = call(method, path, body.is_null() ? "" : body.dump(), out);
    if (status < 200 || status >= 300)
      die(method + " " + path + " -> " + std::to_string(status) + " " + out);
    return out.empty() ? json() : json::parse(out);
  }

 private:
  httplib::Client http_;
  std::string header_, value_;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

void report(const char* phase, const std::vector<double>& ms, double seconds, long ops,
            long errors) {
  std::printf("%-28s ops %7ld  errors %ld  %9.1f ops/s  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms",
              phase, ops, errors, static_cast<double>(ops) / seconds, percentile(ms, 0.5),
              percentile(ms, 0.99), percentile(ms, 1.0));
  if (g_server_pid > 0 && ops > 0)
    std::printf("  server CPU %.3f ms/op", (server_cpu_ms() - g_phase_cpu_start) / ops);
  std::printf("\n");
  std::fflush(stdout);
}

// Distinct generated claims (about 90 words each), JSON-escaped; the vocabulary has no quote or
// backslash, but non-ASCII words pass through as UTF-8.
constexpr std::size_t kClaimPool = 20000;
std::vector<std::string> claim_pool(std::size_t n) {
  spanloop::bench::ClaimText text(1000);
  std::vector<std::string> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string claim = text.claim(90);
    out.push_back(json(claim).dump());
    out.back() = out.back().substr(1, out.back().size() - 2);  // drop the quotes
  }
  return out;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--url") {
      const auto colon = v.rfind(':');
      o.host = v.substr(v.find("//") + 2, colon - v.find("//") - 2);
      o.port = std::stoi(v.substr(colon + 1));
    } else if (k == "--api-key")
      o.api_key = v;
    else if (k == "--records")
      o.records = std::stol(v);
    else if (k == "--batch")
      o.batch = std::stoi(v);
    else if (k == "--upload-threads")
      o.upload_threads = std::stoi(v);
    else if (k == "--annotators")
      o.annotators = std::stoi(v);
    else if (k == "--submits")
      o.submits_per_annotator = std::stoi(v);
    else if (k == "--queue-pages")
      o.queue_pages = std::stoi(v);
    else if (k == "--searches")
      o.searches = std::stoi(v);
    else if (k == "--dataset")
      o.dataset_name = v;
    else if (k == "--server-pid")
      o.server_pid = std::stol(v);
    else if (k == "--pause")
      o.pause_s = std::stoi(v);
    else
      die("unknown option " + k);
  }
  if (o.api_key.empty()) die("--api-key is required");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  g_server_pid = o.server_pid;
  Client admin(o, "X-Argilla-Api-Key", o.api_key);

  // ---- dataset: text field + span question (the SDK's create sequence) ----
  const json ws = admin.must("POST", "/api/v1/workspaces", {{"name", o.dataset_name + "-ws"}});
  const json ds = admin.must("POST", "/api/v1/datasets",
                             {{"name", o.dataset_name}, {"workspace_id", ws["id"]}});
  const std::string dataset_id = ds["id"];
  admin.must("POST", "/api/v1/datasets/" + dataset_id + "/fields",
             {{"name", "text"}, {"title", "Claim"}, {"settings", {{"type", "text"}}}});
  json options = json::array();
  for (const char* l : {"Component", "Material", "Value"})
    options.push_back({{"value", l}, {"text", l}});
  const json question = admin.must(
      "POST", "/api/v1/datasets/" + dataset_id + "/questions",
      {{"name", "ner"},
       {"title", "Entities"},
       {"required", true},
       {"settings",
        {{"type", "span"}, {"field", "text"}, {"options", options}, {"allow_overlapping", true}}}});
  admin.must("PUT", "/api/v1/datasets/" + dataset_id + "/publish");

  // ---- bulk upsert ----
  // Request bodies are assembled from a pool of claims generated before the clock starts: the
  // load generator shares the server's cores, and building every body with a JSON library cost
  // about a third of them.
  const std::vector<std::string> claims = claim_pool(kClaimPool);
  const std::string record_tail =
      "\"},\"suggestions\":[{\"question_id\":" + question["id"].dump() +
      ",\"value\":[{\"label\":\"Component\",\"start\":2,\"end\":8}],\"score\":[0.9],"
      "\"agent\":\"bench\"}]}";
  {
    std::atomic<long> next{0}, errors{0};
    std::vector<double> ms;
    std::mutex mu;
    const auto start = Clock::now();
    phase_begin();
    std::vector<std::thread> threads;
    for (int t = 0; t < o.upload_threads; ++t) {
      threads.emplace_back([&] {
        Client c(o, "X-Argilla-Api-Key", o.api_key);
        std::string body;
        while (true) {
          const long first = next.fetch_add(o.batch);
          if (first >= o.records) break;
          body = "{\"items\":[";
          for (long i = first; i < std::min(first + o.batch, o.records); ++i) {
            if (i > first) body += ',';
            body += "{\"external_id\":\"claim-" + std::to_string(i) + "\",\"fields\":{\"text\":\"";
            body += claims[static_cast<std::size_t>(i) % claims.size()];
            body += record_tail;
          }
          body += "]}";
          std::string out;
          const auto t0 = Clock::now();
          const int status =
              c.call("PUT", "/api/v1/datasets/" + dataset_id + "/records/bulk", body, out);
          const double took = ms_since(t0);
          if (status != 200) {
            ++errors;
            std::fprintf(stderr, "bulk: %d %s\n", status, out.substr(0, 300).c_str());
          }
          std::lock_guard lock(mu);
          ms.push_back(took);
        }
      });
    }
    for (auto& th : threads) th.join();
    const double s = ms_since(start) / 1000;
    std::printf(
        "bulk upsert: %ld records in %.1f s = %.0f records/s (batches of %d, %d connections)\n",
        o.records, s, static_cast<double>(o.records) / s, o.batch, o.upload_threads);
    report("bulk upsert (per batch)", ms, s, static_cast<long>(ms.size()), errors);
  }

  if (o.pause_s > 0) std::this_thread::sleep_for(std::chrono::seconds(o.pause_s));

  // ---- annotators: users, membership, login tokens ----
  std::vector<std::string> tokens;
  for (int i = 0; i < o.annotators; ++i) {
    const std::string name = o.dataset_name + "-ann" + std::to_string(i);
    const json user = admin.must("POST", "/api/v1/users",
                                 {{"username", name},
                                  {"first_name", name},
                                  {"role", "annotator"},
                                  {"password", "bench-password-1"}});
    admin.must("POST", "/api/v1/workspaces/" + std::string(ws["id"]) + "/users",
               {{"user_id", user["id"]}});
    httplib::Client http(o.host, o.port);
    http.set_tcp_nodelay(true);
    auto r = http.Post("/api/v1/token", "username=" + name + "&password=bench-password-1",
                       "application/x-www-form-urlencoded");
    if (!r || r->status / 100 != 2) die("login failed for " + name);
    tokens.push_back(json::parse(r->body)["access_token"]);
  }

  const std::string queue_path = "/api/v1/me/datasets/" + dataset_id +
                                 "/records/search?include=responses&include=suggestions&limit=50";
  const json queue_body = {{"filters",
                            {{"and",
                              {{{"type", "terms"},
                                {"scope", {{"entity", "response"}, {"property", "status"}}},
                                {"values", {"pending"}}},
                               {{"type", "terms"},
                                {"scope", {{"entity", "record"}, {"property", "status"}}},
                                {"values", {"pending"}}}}}}}};

  // ---- pending-queue page ----
  {
    std::vector<double> ms;
    long errors = 0;
    const auto start = Clock::now();
    phase_begin();
    for (int i = 0; i < o.queue_pages; ++i) {
      Client c(o, "Authorization", "Bearer " + tokens[static_cast<std::size_t>(i) % tokens.size()]);
      std::string out;
      const auto t0 = Clock::now();
      if (c.call("POST", queue_path, queue_body.dump(), out) != 200) ++errors;
      ms.push_back(ms_since(t0));
    }
    report("queue page (50 + total)", ms, ms_since(start) / 1000, o.queue_pages, errors);
  }

  // ---- full-text search ----
  // The store benchmark's 63-query mix (bench/store BM_FullTextSearch), so the API and the store
  // are measured on the same queries; then harder kinds outside the target mix, reported apart.
  {
    spanloop::bench::ClaimText words(1);
    std::vector<std::string> mix;
    for (std::size_t i = 0; i < 20; ++i) {
      mix.push_back(words.word(200 + i * 37));                             // rare term
      mix.push_back(words.word(30 + i) + " " + words.word(300 + i * 11));  // common AND rare
      mix.push_back(words.word(20 + i) + " " + words.word(40 + i));        // two fairly common
    }
    mix.push_back("\"semiconductor wafer\"");
    mix.push_back("semicond*");
    mix.push_back("κ-value µm");
    std::vector<std::string> common_phrases, wide_prefixes;
    for (std::size_t i = 0; i < 10; ++i)  // phrases of two of the 12 most frequent words
      common_phrases.push_back("\"" + words.word(i) + " " + words.word(i + 1) + "\"");
    wide_prefixes.push_back("term*");   // every one of the 20,000 "termN" words: all records
    wide_prefixes.push_back("term1*");  // 1,111 words
    auto run = [&](const char* phase, const std::vector<std::string>& queries, int n) {
      std::vector<double> ms;
      long errors = 0;
      const auto start = Clock::now();
      phase_begin();
      for (int i = 0; i < n; ++i) {
        const std::string& q = queries[static_cast<std::size_t>(i) % queries.size()];
        std::string out;
        const auto t0 = Clock::now();
        if (admin.call("POST", "/api/v1/datasets/" + dataset_id + "/records/search?limit=50",
                       json{{"query", {{"text", {{"q", q}}}}}}.dump(), out) != 200) {
          ++errors;
          std::fprintf(stderr, "search %s: %s\n", q.c_str(), out.substr(0, 200).c_str());
        }
        ms.push_back(ms_since(t0));
      }
      report(phase, ms, ms_since(start) / 1000, n, errors);
    };
    run("full-text search (50 + total)", mix, o.searches);
    run("  common-word phrases", common_phrases, 20);
    run("  vocabulary-wide prefixes", wide_prefixes, 4);
  }

  // ---- concurrent submits: each annotator takes a queue page and submits spans ----
  {
    std::vector<double> ms;
    std::mutex mu;
    std::atomic<long> errors{0}, done{0};
    std::vector<std::vector<std::string>> queues(tokens.size());
    for (std::size_t a = 0; a < tokens.size(); ++a) {
      Client c(o, "Authorization", "Bearer " + tokens[a]);
      for (int page = 0; static_cast<int>(queues[a].size()) < o.submits_per_annotator; ++page) {
        std::string out;
        c.call("POST", queue_path + "&offset=" + std::to_string(page * 50), queue_body.dump(), out);
        const json j = json::parse(out);
        if (j["items"].empty()) break;
        for (const auto& item : j["items"]) queues[a].push_back(item["record"]["id"]);
      }
    }
    const auto start = Clock::now();
    phase_begin();
    std::vector<std::thread> threads;
    for (std::size_t a = 0; a < tokens.size(); ++a) {
      threads.emplace_back([&, a] {
        Client c(o, "Authorization", "Bearer " + tokens[a]);
        std::vector<double> mine;
        for (int i = 0; i < o.submits_per_annotator && i < static_cast<int>(queues[a].size());
             ++i) {
          const json body = {
              {"status", "submitted"},
              {"values",
               {{"ner", {{"value", {{{"label", "Component"}, {"start", 2}, {"end", 8}}}}}}}}};
          std::string out;
          const auto t0 = Clock::now();
          const int status = c.call(
              "POST", "/api/v1/records/" + queues[a][static_cast<std::size_t>(i)] + "/responses",
              body.dump(), out);
          mine.push_back(ms_since(t0));
          if (status != 201) {
            ++errors;
            if (errors < 5)
              std::fprintf(stderr, "submit: %d %s\n", status, out.substr(0, 200).c_str());
          }
          ++done;
        }
        std::lock_guard lock(mu);
        ms.insert(ms.end(), mine.begin(), mine.end());
      });
    }
    for (auto& t : threads) t.join();
    report("submits (50 annotators)", ms, ms_since(start) / 1000, done, errors);
  }

  const json progress = admin.must("GET", "/api/v1/datasets/" + dataset_id + "/progress");
  std::printf("progress: total %ld, completed %ld\n", progress["total"].get<long>(),
              progress["completed"].get<long>());
  return 0;
}
