// ServerProcess: fork/exec the spanloop binary, read its port from its output, poll /status.
#include "server_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace spanloop::testing {

ServerProcess::ServerProcess(ServerOptions options) : options_(std::move(options)) {
  start();
}

ServerProcess::~ServerProcess() {
  stop(SIGTERM);
}

HttpClient ServerProcess::client(const std::string& api_key) const {
  HttpClient c("127.0.0.1", port_);
  if (!api_key.empty()) c.with_api_key(api_key);
  return c;
}

std::string ServerProcess::output() const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void ServerProcess::start() {
  log_path_ = data_dir_.path() / ("server-" + std::to_string(++starts_) + ".log");
  std::vector<std::string> args = {SPANLOOP_EXECUTABLE,
                                   "serve",
                                   "--host",
                                   "127.0.0.1",
                                   "--port",
                                   "0",
                                   "--data-dir",
                                   (data_dir_.path() / "data").string(),
                                   "--threads",
                                   "8"};
  if (!options_.database.empty()) {
    args.push_back("--database");
    args.push_back(options_.database);
  }
  for (const auto& a : options_.extra_args) args.push_back(a);
  std::map<std::string, std::string> env = {{"SPANLOOP_OWNER_API_KEY", kOwnerApiKey},
                                            {"SPANLOOP_OWNER_PASSWORD", kOwnerPassword}};
  for (const auto& [k, v] : options_.env) env[k] = v;

  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error("fork failed");
  if (pid_ == 0) {
    int fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  // The server prints "spanloop serving on http://127.0.0.1:PORT" once it listens.
  static const std::regex kServing(R"(serving on http://[^:]+:(\d+))");
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("spanloop serve exited at start:\n" + output());
    }
    std::smatch m;
    std::string out = output();  // each start writes a new log file
    if (std::regex_search(out, m, kServing)) {
      port_ = std::stoi(m[1].str());
      if (HttpClient("127.0.0.1", port_).get("/api/v1/status").status == 200) return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stop(SIGKILL);
  throw std::runtime_error("spanloop serve did not become ready within 60 s:\n" + output());
}

void ServerProcess::stop(int sig) {
  if (pid_ <= 0) return;
  ::kill(pid_, sig);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  pid_ = -1;
}

void ServerProcess::restart() {
  stop(SIGTERM);
  port_ = 0;
  start();
}

}  // namespace spanloop::testing
