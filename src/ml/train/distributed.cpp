// c10d process groups: TCPStore rendezvous, Gloo (CPU) collectives, bucketed gradient sums.
#include "ml/train/distributed.h"

#include <cstdlib>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include "text/error.h"

namespace spanloop::ml::train {
namespace {

int env_int(const char* name, int fallback, int lo, int hi) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  char* end = nullptr;
  const long x = std::strtol(v, &end, 10);
  if (*end != '\0' || x < lo || x > hi)
    throw_invalid(std::string("environment variable ") + name + "='" + v +
                  "' must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                  "]");
  return static_cast<int>(x);
}

class GlooGroup : public ProcessGroup {
 public:
  explicit GlooGroup(const DistributedEnv& env) {
    rank_ = env.rank;
    world_ = env.world_size;
    ::c10d::TCPStoreOptions so;
    so.port = static_cast<std::uint16_t>(env.master_port);
    so.isServer = env.rank == 0;
    so.numWorkers = static_cast<std::size_t>(env.world_size);
    so.waitWorkers = true;
    so.timeout = std::chrono::minutes(5);
    store_ = c10::make_intrusive<::c10d::TCPStore>(env.master_addr, so);
    auto opts = ::c10d::ProcessGroupGloo::Options::create(std::chrono::minutes(10));
    const char* iface = std::getenv("GLOO_SOCKET_IFNAME");
    if (iface != nullptr && *iface != '\0') {
      opts->devices.push_back(::c10d::ProcessGroupGloo::createDeviceForInterface(iface));
    } else if (env.master_addr == "127.0.0.1" || env.master_addr == "localhost") {
      opts->devices.push_back(::c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1"));
    } else {
      opts->devices.push_back(::c10d::ProcessGroupGloo::createDefaultDevice());
    }
    opts->threads = 2;
    pg_ = c10::make_intrusive<::c10d::ProcessGroupGloo>(store_, env.rank, env.world_size, opts);
  }

  void allreduce_sum(std::vector<torch::Tensor>& tensors, std::size_t bucket_bytes) override {
    // Buckets of consecutive tensors of one dtype, flattened into one contiguous buffer each.
    struct Bucket {
      std::vector<std::size_t> members;
      torch::Tensor flat;
    };
    std::vector<Bucket> buckets;
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
      const auto& t = tensors[i];
      const std::size_t b = static_cast<std::size_t>(t.numel()) * t.element_size();
      if (buckets.empty() || bytes + b > bucket_bytes ||
          tensors[buckets.back().members.front()].scalar_type() != t.scalar_type()) {
        buckets.emplace_back();
        bytes = 0;
      }
      buckets.back().members.push_back(i);
      bytes += b;
    }
    std::vector<c10::intrusive_ptr<::c10d::Work>> works;
    for (auto& bucket : buckets) {
      std::vector<torch::Tensor> parts;
      for (auto i : bucket.members) parts.push_back(tensors[i].reshape({-1}));
      bucket.flat = torch::cat(parts);
      std::vector<torch::Tensor> one{bucket.flat};
      works.push_back(pg_->allreduce(one));
    }
    for (std::size_t k = 0; k < buckets.size(); ++k) {
      works[k]->wait();
      std::int64_t offset = 0;
      for (auto i : buckets[k].members) {
        auto& t = tensors[i];
        t.copy_(buckets[k].flat.narrow(0, offset, t.numel()).view_as(t));
        offset += t.numel();
      }
    }
  }

  void broadcast_from_root(std::vector<torch::Tensor>& tensors) override {
    for (auto& t : tensors) {
      std::vector<torch::Tensor> one{t};
      pg_->broadcast(one)->wait();
    }
  }

  void barrier() override { pg_->barrier()->wait(); }

 private:
  c10::intrusive_ptr<::c10d::TCPStore> store_;
  c10::intrusive_ptr<::c10d::ProcessGroupGloo> pg_;
};

}  // namespace

std::optional<DistributedEnv> distributed_env_from_environment() {
  const char* world = std::getenv("WORLD_SIZE");
  if (world == nullptr || *world == '\0') return std::nullopt;
  DistributedEnv e;
  e.world_size = env_int("WORLD_SIZE", 1, 1, 1 << 16);
  e.rank = env_int("RANK", 0, 0, e.world_size - 1);
  e.local_rank = env_int("LOCAL_RANK", e.rank, 0, 1 << 16);
  if (const char* a = std::getenv("MASTER_ADDR"); a != nullptr && *a != '\0') e.master_addr = a;
  e.master_port = env_int("MASTER_PORT", 29500, 1, 65535);
  return e;
}

std::shared_ptr<ProcessGroup> ProcessGroup::connect(const DistributedEnv& env, bool cuda) {
  if (cuda)
    throw Error(ErrorKind::kFailedPrecondition,
                "NCCL process groups need a CUDA build of libtorch; this build has Gloo (CPU)");
  try {
    return std::make_shared<GlooGroup>(env);
  } catch (const c10::Error& e) {
    throw Error(ErrorKind::kUnavailable, "joining the process group at " + env.master_addr + ":" +
                                             std::to_string(env.master_port) + " as rank " +
                                             std::to_string(env.rank) +
                                             " failed: " + e.what_without_backtrace());
  }
}

}  // namespace spanloop::ml::train
