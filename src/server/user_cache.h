// A short-lived cache of the user behind a credential (an API key's hash, or a login token's
// user id), so that authentication does not cost a store read on every request.
//
// Correctness: an entry is used only while the store's accounts generation
// (Store::accounts_generation) is the one read *before* the entry's store lookup, so any change
// of a user or API key through this process's store (user deleted, role or password changed,
// key deleted) drops every entry at once. Changes made by another process on the same database
// (the offline `spanloop user` commands, a second server on one PostgreSQL) are not seen by the
// generation; the entry's lifetime (ttl) bounds how long those take to apply.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "store/model.h"

namespace spanloop::server {

class UserCache {
 public:
  using Clock = std::chrono::steady_clock;
  // ttl <= 0 disables the cache.
  explicit UserCache(std::chrono::milliseconds ttl, std::size_t max_entries = 10000)
      : ttl_(ttl), max_entries_(max_entries) {}

  // The cached user for key if it was stored under this generation less than ttl ago.
  std::optional<store::User> find(const std::string& key, std::uint64_t generation,
                                  Clock::time_point now = Clock::now());
  // Stores user under key; generation must have been read before the store lookup that
  // produced user.
  void put(const std::string& key, const store::User& user, std::uint64_t generation,
           Clock::time_point now = Clock::now());
  std::size_t size();

 private:
  struct Entry {
    store::User user;
    std::uint64_t generation;
    Clock::time_point expires;
  };
  std::chrono::milliseconds ttl_;
  std::size_t max_entries_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace spanloop::server
