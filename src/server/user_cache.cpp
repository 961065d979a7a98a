// UserCache: lookups valid for one accounts generation and a bounded time.
#include "server/user_cache.h"

namespace spanloop::server {

std::optional<store::User> UserCache::find(const std::string& key, std::uint64_t generation,
                                           Clock::time_point now) {
  if (ttl_.count() <= 0) return std::nullopt;
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.generation != generation || now >= it->second.expires) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.user;
}

void UserCache::put(const std::string& key, const store::User& user, std::uint64_t generation,
                    Clock::time_point now) {
  if (ttl_.count() <= 0) return;
  std::lock_guard lock(mu_);
  // Many distinct credentials (or a flood of them): start over rather than grow without bound.
  if (entries_.size() >= max_entries_ && !entries_.count(key)) entries_.clear();
  entries_.insert_or_assign(key, Entry{user, generation, now + ttl_});
}

std::size_t UserCache::size() {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace spanloop::server
