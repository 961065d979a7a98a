// Data parallelism: 2 processes (Gloo over loopback) with batch B each end with the same weights
// as 1 process with batch 2B. The test re-runs its own binary as the two workers.
#include "ml/train/distributed.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include "ml/train/trainer.h"
#include "support/test_support.h"
#include "tiny_setup.h"

namespace spanloop::ml::train {
namespace {

namespace fs = std::filesystem;

TrainOptions ddp_options(const fs::path& out, int batch) {
  TrainOptions o;
  o.model = "tiny";
  o.data_path = "synthetic";
  o.project_name = out.string();
  o.lr = 5e-3;
  o.epochs = 1;
  o.max_steps = 4;
  o.batch_size = batch;
  o.weight_decay = 0.01;
  o.early_stopping_patience = 0;
  o.seed = 11;
  return o;
}

std::vector<torch::Tensor> trained_weights(const TrainOptions& o,
                                           std::shared_ptr<ProcessGroup> group) {
  auto model = testing::tiny_model(5);
  Trainer t(o, testing::synthetic_data(48, 4), testing::tiny_tokenizer(), model, group);
  t.train();
  std::vector<torch::Tensor> out;
  for (const auto& p : model.module->parameters()) out.push_back(p.detach().clone());
  return out;
}

// Runs only as a worker launched by the test below.
TEST(DistributedWorker, Run) {
  const char* out = std::getenv("SPANLOOP_DDP_TEST_OUT");
  if (out == nullptr)
    GTEST_SKIP() << "worker of DataParallel.TwoProcessesEqualOneWithTheCombinedBatch";
  at::set_num_threads(1);
  const auto env = distributed_env_from_environment();
  ASSERT_TRUE(env.has_value());
  auto group = ProcessGroup::connect(*env, false);
  auto w = trained_weights(ddp_options(fs::path(out) / "run", 4), group);
  torch::save(w, (fs::path(out) / ("rank" + std::to_string(env->rank) + ".pt")).string());
}

TEST(DataParallel, TwoProcessesEqualOneWithTheCombinedBatch) {
  at::set_num_threads(1);
  spanloop::testing::TempDir tmp;
  const std::string port = std::to_string(29700 + getpid() % 200);
  std::vector<pid_t> pids;
  for (int r = 0; r < 2; ++r) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      std::vector<std::string> env_strings = {"SPANLOOP_DDP_TEST_OUT=" + tmp.path().string(),
                                              "RANK=" + std::to_string(r),
                                              "LOCAL_RANK=" + std::to_string(r),
                                              "WORLD_SIZE=2",
                                              "MASTER_ADDR=127.0.0.1",
                                              "MASTER_PORT=" + port};
      std::vector<char*> envp;
      for (auto& s : env_strings) envp.push_back(s.data());
      envp.push_back(nullptr);
      execle("/proc/self/exe", "ml_train_tests", "--gtest_filter=DistributedWorker.Run",
             static_cast<char*>(nullptr), envp.data());
      _exit(127);
    }
    pids.push_back(pid);
  }
  for (pid_t pid : pids) {
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "worker failed";
  }
  const auto single = trained_weights(ddp_options(tmp.path() / "single", 8), nullptr);
  for (int r = 0; r < 2; ++r) {
    std::vector<torch::Tensor> w;
    torch::load(w, (tmp.path() / ("rank" + std::to_string(r) + ".pt")).string());
    ASSERT_EQ(w.size(), single.size());
    for (std::size_t i = 0; i < w.size(); ++i)
      EXPECT_TRUE(torch::allclose(w[i], single[i], 1e-5, 1e-6))
          << "rank " << r << " parameter " << i << " max diff "
          << (w[i] - single[i]).abs().max().item<double>();
  }
  // The weights moved at all (the comparison is not trivially true).
  const auto untrained = testing::tiny_model(5);
  EXPECT_FALSE(torch::allclose(untrained.module->parameters()[0], single[0]));
}

TEST(DistributedEnv, ReadsAndChecksTheLauncherEnvironment) {
  // Without WORLD_SIZE in this process's environment there is no distributed run.
  if (std::getenv("WORLD_SIZE") == nullptr) {
    EXPECT_FALSE(distributed_env_from_environment());
  }
}

}  // namespace
}  // namespace spanloop::ml::train
