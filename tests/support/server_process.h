// Integration tests' server: the real `spanloop serve` binary on a free loopback port with a
// temporary data directory and a known owner API key.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "http_client.h"
#include "test_support.h"

namespace spanloop::testing {

struct ServerOptions {
  std::vector<std::string> extra_args;     // e.g. {"--demo"} or {"--max-body-mb", "1"}
  std::map<std::string, std::string> env;  // extra SPANLOOP_* variables
  std::string database;                    // postgresql://... (default: SQLite in data dir)
};

class ServerProcess {
 public:
  static constexpr const char* kOwnerApiKey = "owner-test-api-key-0123456789";
  static constexpr const char* kOwnerPassword = "owner-test-password";

  // Starts the server and waits (up to 60 s) until GET /api/v1/status answers 200; a failed
  // start throws std::runtime_error with the server's output.
  explicit ServerProcess(ServerOptions options = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // A client with the owner's API key (or the given key; "" for none).
  HttpClient client(const std::string& api_key = kOwnerApiKey) const;
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::filesystem::path& data_dir() const { return data_dir_.path(); }
  // Everything the server printed (stdout and stderr).
  std::string output() const;

  // Sends a signal and waits for the process to end (SIGKILL: a crash).
  void stop(int signal = 15);
  // Starts again on the same data directory (a new port).
  void restart();

 private:
  void start();

  ServerOptions options_;
  TempDir data_dir_;
  std::filesystem::path log_path_;
  pid_t pid_ = -1;
  int port_ = 0;
  int starts_ = 0;
};

}  // namespace spanloop::testing
