// Token <-> id tables shared by the models (string_view lookups without allocation).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace spanloop::ml::tok {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

class Vocab {
 public:
  // Returns false when the token is already present (the first id wins for lookups).
  bool add(std::string token, std::uint32_t id) {
    if (id >= by_id_.size()) by_id_.resize(id + 1);
    by_id_[id] = token;
    return by_token_.emplace(std::move(token), id).second;
  }
  std::optional<std::uint32_t> find(std::string_view token) const {
    const auto it = by_token_.find(token);
    if (it == by_token_.end()) return std::nullopt;
    return it->second;
  }
  const std::string* token(std::uint32_t id) const {
    return id < by_id_.size() ? &by_id_[id] : nullptr;
  }
  std::size_t size() const { return by_token_.size(); }
  std::uint32_t id_count() const { return static_cast<std::uint32_t>(by_id_.size()); }
  void reserve(std::size_t n) {
    by_token_.reserve(n);
    by_id_.reserve(n);
  }

 private:
  std::unordered_map<std::string, std::uint32_t, StringHash, std::equal_to<>> by_token_;
  std::vector<std::string> by_id_;
};

}  // namespace spanloop::ml::tok
