// `spanloop serve`: the annotation server (REST API + web UI) on SQLite or PostgreSQL.
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include "cli/command.h"
#include "cli/store_args.h"
#include "server/accounts.h"
#include "server/auth_crypto.h"
#include "server/demo.h"
#include "server/server.h"
#include "store/store.h"
#include "text/error.h"

namespace spanloop::cli {
namespace {

struct ServeArgs {
  StoreArgs store;
  server::ServerConfig config;
  int token_lifetime_s = 86400;
  int auth_cache_ms = 1000;
  std::size_t max_body_mb = 32;
  std::string log_level = "info";
  bool demo = false;
};

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

bool is_loopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1";
}

void print_owner(const server::accounts::OwnerResult& owner) {
  if (!owner.created) return;
  // Printed once, on stdout, never logged: the only copy of generated secrets.
  std::printf("created owner `%s`\n", owner.username.c_str());
  if (owner.generated_password) {
    std::printf("  password: %s\n", owner.generated_password->c_str());
  }
  if (owner.generated_api_key) std::printf("  API key:  %s\n", owner.generated_api_key->c_str());
  std::printf(
      "  (shown only now; set SPANLOOP_OWNER_PASSWORD / SPANLOOP_OWNER_API_KEY to choose)\n");
  std::fflush(stdout);
}

void run_serve(ServeArgs& a) {
  spdlog::set_level(spdlog::level::from_str(a.log_level));
  if (a.demo && !is_loopback(a.config.host)) {
    throw_invalid("--demo creates users with known passwords; it only runs on a loopback host");
  }
  auto store = a.store.open();
  spdlog::info("store: {} (schema version {})", store->engine(), store->schema_version());

  server::accounts::OwnerSetup owner;
  owner.username = env("SPANLOOP_OWNER_USERNAME").value_or("owner");
  owner.password = env("SPANLOOP_OWNER_PASSWORD");
  owner.api_key = env("SPANLOOP_OWNER_API_KEY");
  if (a.demo && !owner.password) owner.password = std::string(server::kDemoOwnerPassword);
  auto owner_result = server::accounts::ensure_owner(*store, owner);
  print_owner(owner_result);
  if (a.demo) {
    auto demo = server::seed_demo(*store);
    std::printf("demo: workspace `%s`, dataset `%s` (%lld records), annotator `%s` / `%s`\n",
                demo.workspace.c_str(), demo.dataset.c_str(), static_cast<long long>(demo.records),
                demo.annotator.c_str(), demo.annotator_password.c_str());
    if (owner_result.created) {
      std::printf("demo: owner `%s` / `%s`\n", owner.username.c_str(), owner.password->c_str());
    }
  }

  a.config.auth_secret = env("SPANLOOP_AUTH_SECRET").value_or("");
  if (a.config.auth_secret.empty()) {
    a.config.auth_secret = server::load_or_create_secret(a.store.data_dir);
  }
  a.config.token_lifetime = std::chrono::seconds(a.token_lifetime_s);
  if (a.auth_cache_ms < 0) throw_invalid("--auth-cache-ms must be >= 0");
  a.config.auth_cache_ttl = std::chrono::milliseconds(a.auth_cache_ms);
  a.config.max_body_bytes = a.max_body_mb << 20;

  // Signals are taken by one thread (sigwait), so stop() never runs inside a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  server::Server http(*store, a.config);
  http.bind();
  std::printf("spanloop serving on http://%s:%d\n", a.config.host.c_str(), http.port());
  std::fflush(stdout);
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("signal {}: stopping", sig);
    http.stop();
  });
  http.run();
  pthread_kill(waiter.native_handle(), SIGTERM);  // wakes the waiter when run() ended by itself
  waiter.join();
}

void setup_serve(CLI::App& root) {
  auto a = std::make_shared<ServeArgs>();
  auto* cmd = root.add_subcommand("serve", "Start the annotation server (REST API and web UI)");
  // A later flag wins (scripts append overrides to a base command line).
  cmd->option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  a->store.add_options(*cmd);
  cmd->add_option("--host", a->config.host, "Address to listen on")
      ->envname("SPANLOOP_HOST")
      ->capture_default_str();
  cmd->add_option("--port", a->config.port, "Port (0: any free port)")
      ->envname("SPANLOOP_PORT")
      ->capture_default_str();
  cmd->add_option("--threads", a->config.threads, "Worker threads (0: automatic)")
      ->envname("SPANLOOP_THREADS");
  cmd->add_option("--web-dir", a->config.web_dir, "Serve the web UI from this folder")
      ->envname("SPANLOOP_WEB_DIR");
  cmd->add_option("--max-body-mb", a->max_body_mb, "Largest request body in MiB")
      ->envname("SPANLOOP_MAX_BODY_MB")
      ->capture_default_str();
  cmd->add_option("--token-lifetime", a->token_lifetime_s, "Login token lifetime in seconds")
      ->envname("SPANLOOP_TOKEN_LIFETIME")
      ->capture_default_str();
  cmd->add_option("--auth-cache-ms", a->auth_cache_ms,
                  "How long the user of an API key or token is reused without a database read; "
                  "changes by other processes (offline `spanloop user`) apply within it (0: off)")
      ->envname("SPANLOOP_AUTH_CACHE_MS")
      ->capture_default_str();
  cmd->add_option("--log-level", a->log_level, "trace, debug, info, warn, error, off")
      ->envname("SPANLOOP_LOG_LEVEL")
      ->capture_default_str();
  cmd->add_flag("--demo", a->demo,
                "Seed a demo workspace, dataset and users with known passwords (loopback only)")
      ->envname("SPANLOOP_DEMO");
  cmd->callback([a] {
    int rc = run_guarded([&] { run_serve(*a); });
    if (rc != 0) throw CLI::RuntimeError(rc);
  });
}

}  // namespace
SPANLOOP_COMMAND(setup_serve);
}  // namespace spanloop::cli
