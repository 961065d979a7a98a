// `spanloop train` end to end: local worker launch, process group, threads, signals, data, model,
// trainer, outputs.
#include "ml/train/train_command.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "ml/tokenizer/tokenizer.h"
#include "ml/train/distributed.h"
#include "ml/train/hub_push.h"
#include "ml/train/model_loader.h"
#include "ml/train/progress.h"
#include "ml/train/train_data.h"
#include "ml/train/trainer.h"
#include "text/error.h"

namespace spanloop::ml::train {
namespace fs = std::filesystem;
namespace {

void on_signal(int) {
  Trainer::stop_flag().store(1);
}

// SIGINT/SIGTERM set the trainer's stop flag while training runs; restored afterwards.
class SignalScope {
 public:
  SignalScope() {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~SignalScope() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  SignalScope(const SignalScope&) = delete;
  SignalScope& operator=(const SignalScope&) = delete;

 private:
  struct sigaction old_int_ {
  }, old_term_{};
};

// Intra-op threads: libtorch's OpenMP pool and OpenBLAS's own pthread pool (fp32 GEMMs) are
// both sized to the cores this process may use, so the two pools do not oversubscribe.
int configure_threads(const TrainOptions& o) {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int n = o.threads > 0 ? o.threads : std::max(1, cores / std::max(1, o.nproc_per_node));
  at::set_num_threads(n);
  using SetThreads = void (*)(int);
  if (auto fn = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
    fn(n);
  return n;
}

int free_port() {
  const int s = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  int port = 29500;
  if (bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  close(s);
  return port;
}

// --nproc-per-node N: re-runs this executable N times as ranks 0..N-1 with the effective options
// in a private config file and the torchrun environment; waits for all, stops the rest when one
// fails.
int launch_local_workers(const TrainOptions& o) {
  fs::create_directories(o.project_name);
  const fs::path config = fs::path(o.project_name) / ".launch_config.json";
  {
    auto j = nlohmann::json::parse(options_to_json(o));
    j["token"] = o.token;
    j["api_key"] = o.api_key;
    j.erase("config");
    const int fd = ::open(config.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) throw Error(ErrorKind::kUnavailable, "cannot write " + config.string());
    const std::string text = j.dump(2);
    const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    ::close(fd);
    if (!ok) throw Error(ErrorKind::kUnavailable, "cannot write " + config.string());
  }
  const std::string port = std::to_string(free_port());
  std::vector<pid_t> pids;
  for (int r = 0; r < o.nproc_per_node; ++r) {
    const pid_t pid = fork();
    if (pid < 0) throw Error(ErrorKind::kUnavailable, "fork failed");
    if (pid == 0) {
      setenv("RANK", std::to_string(r).c_str(), 1);
      setenv("LOCAL_RANK", std::to_string(r).c_str(), 1);
      setenv("WORLD_SIZE", std::to_string(o.nproc_per_node).c_str(), 1);
      setenv("MASTER_ADDR", "127.0.0.1", 1);
      setenv("MASTER_PORT", port.c_str(), 1);
      execl("/proc/self/exe", "spanloop", "train", "--config", config.c_str(),
            static_cast<char*>(nullptr));
      _exit(127);
    }
    pids.push_back(pid);
  }
  int result = 0;
  for (std::size_t done = 0; done < pids.size(); ++done) {
    int status = 0;
    const pid_t pid = wait(&status);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (code != 0 && result == 0) {
      result = code;
      for (pid_t other : pids)
        if (other != pid) kill(other, SIGTERM);
    }
  }
  fs::remove(config);
  return result;
}

}  // namespace

int run_train_command(const TrainOptions& input) {
  TrainOptions o = input;
  validate(o);
  if (o.push_to_hub && !hub_push_available())
    throw Error(ErrorKind::kFailedPrecondition, "--push-to-hub: this build has no Hub client");
  const auto env = distributed_env_from_environment();
  if (o.nproc_per_node > 1 && !env) return launch_local_workers(o);
  Trainer::stop_flag().store(0);
  SignalScope signals;
  configure_threads(o);
  std::shared_ptr<ProcessGroup> group;
  if (env && env->world_size > 1) group = ProcessGroup::connect(*env, o.device == "cuda");
  const bool writer = !group || group->rank() == 0;
  ConsoleProgress console(stderr, isatty(fileno(stderr)) != 0, 1);

  torch::manual_seed(static_cast<std::uint64_t>(o.seed));
  TrainData data = load_train_data(o);
  if (writer)
    for (const auto& n : data.notes) console.line(n);
  const torch::Device device =
      o.device == "cuda" ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
  std::vector<std::string> notes;
  TrainableModel model =
      load_trainable_model(o.model, data.labels, device, static_cast<std::uint64_t>(o.seed), notes);
  Tokenizer tokenizer = Tokenizer::from_directory(o.model);
  if (writer)
    for (const auto& n : notes) console.line(n);
  Trainer trainer(o, std::move(data), std::move(tokenizer), std::move(model), group);
  if (writer) trainer.set_console(&console);
  const TrainSummary s = trainer.train();
  if (s.interrupted) return 130;
  if (writer) {
    char buf[256];
    std::snprintf(
        buf, sizeof buf,
        "done: %lld steps in %s, %.2f samples/s, %.0f tokens/s, best f1 %.4f; model in %s",
        static_cast<long long>(s.steps), format_duration(s.wall_seconds).c_str(),
        s.samples_per_second, s.tokens_per_second, s.best_f1, o.project_name.c_str());
    console.line(buf);
    if (o.push_to_hub) console.line("pushed to the Hub: " + push_outputs_to_hub(o));
  }
  return 0;
}

}  // namespace spanloop::ml::train
