// A map of bounded size that forgets its least recently used entry when full.
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

namespace server {

/// String-keyed, single-threaded. Lookups through get() count as use.
template <class V>
class LruMap {
 public:
  explicit LruMap(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  /// The entry for `key`, made (default-constructed) when missing; evicts the oldest if full.
  V& get(const std::string& key) {
    if (auto it = index_.find(key); it != index_.end()) {
      order_.splice(order_.begin(), order_, it->second);
      return it->second->second;
    }
    if (index_.size() >= capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
    order_.emplace_front(key, V{});
    index_.emplace(key, order_.begin());
    return order_.front().second;
  }
  /// The entry for `key` without making or touching it, or nullptr.
  [[nodiscard]] const V* find(const std::string& key) const {
    const auto it = index_.find(key);
    return it == index_.end() ? nullptr : &it->second->second;
  }
  void erase(const std::string& key) {
    if (auto it = index_.find(key); it != index_.end()) {
      order_.erase(it->second);
      index_.erase(it);
    }
  }
  [[nodiscard]] std::size_t size() const { return index_.size(); }
  void set_capacity(std::size_t capacity) {
    capacity_ = capacity == 0 ? 1 : capacity;
    while (index_.size() > capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
  }

 private:
  using Order = std::list<std::pair<std::string, V>>;
  std::size_t capacity_;
  Order order_;
  std::unordered_map<std::string, typename Order::iterator> index_;
};

}  // namespace server
