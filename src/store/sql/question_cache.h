// Each dataset's questions kept between response writes, so a submit does not read them again.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/model.h"

namespace spanloop::store::sql {

// Entries are keyed by the dataset (its seq and id: SQLite may reuse the seq of a deleted
// dataset) and datasets.questions_rev, which every question change bumps in its transaction
// (migration 4). A writer reads the revision with the record it locks, so a change committed by
// this process or another one is seen exactly as a fresh read of the questions would see it.
class QuestionCache {
 public:
  using Questions = std::shared_ptr<const std::vector<Question>>;

  Questions find(std::int64_t dataset_seq, const std::string& dataset_id, std::int64_t rev) const {
    std::lock_guard lock(mu_);
    auto it = by_seq_.find(dataset_seq);
    if (it == by_seq_.end() || it->second.dataset_id != dataset_id || it->second.rev != rev)
      return nullptr;
    return it->second.questions;
  }

  void put(std::int64_t dataset_seq, const std::string& dataset_id, std::int64_t rev,
           Questions questions) {
    std::lock_guard lock(mu_);
    by_seq_[dataset_seq] = Entry{dataset_id, rev, std::move(questions)};
  }

 private:
  struct Entry {
    std::string dataset_id;
    std::int64_t rev = 0;
    Questions questions;
  };
  mutable std::mutex mu_;
  std::unordered_map<std::int64_t, Entry> by_seq_;
};

}  // namespace spanloop::store::sql
