// Data-parallel communication over torch.distributed's c10d: a process group (Gloo on CPU,
// NCCL when built with CUDA) joined through a TCPStore, the way torchrun-launched jobs do.
#pragma once

#include <torch/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spanloop::ml::train {

// The standard launcher environment (torchrun, SLURM wrappers, Kubernetes operators).
struct DistributedEnv {
  int rank = 0;
  int world_size = 1;
  int local_rank = 0;
  std::string master_addr = "127.0.0.1";
  int master_port = 29500;
};

// RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT when WORLD_SIZE is set; throws
// InvalidArgument naming a variable that does not parse or is out of range.
std::optional<DistributedEnv> distributed_env_from_environment();

class ProcessGroup {
 public:
  // Joins the group (rank 0 hosts the store); blocks until every rank arrived or times out.
  static std::shared_ptr<ProcessGroup> connect(const DistributedEnv& env, bool cuda);
  virtual ~ProcessGroup() = default;

  int rank() const { return rank_; }
  int world_size() const { return world_; }

  // Sums tensors across ranks in place, flattened into buckets of about bucket_bytes so each
  // collective moves large messages; all buckets are in flight at once.
  virtual void allreduce_sum(std::vector<torch::Tensor>& tensors,
                             std::size_t bucket_bytes = 25u << 20) = 0;
  // Copies rank 0's values into every rank's tensors.
  virtual void broadcast_from_root(std::vector<torch::Tensor>& tensors) = 0;
  virtual void barrier() = 0;

 protected:
  int rank_ = 0;
  int world_ = 1;
};

}  // namespace spanloop::ml::train
