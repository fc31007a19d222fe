// A Prometheus metric family whose label sets are found without allocating on the hot path.
#pragma once

#include <prometheus/labels.h>

#include <array>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace obs {

/// Label sets per family before new ones are folded into "other" (kiosk input can reach labels).
inline constexpr std::size_t max_label_sets = 1000;
inline constexpr std::size_t max_label_value_size = 64;

/// Hashes std::string and std::string_view alike, for lookups without a temporary string.
struct TransparentStringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const noexcept {
    return std::hash<std::string_view>{}(text);
  }
};

/// Printable ASCII only, at most max_label_value_size characters; "_" replaces the rest.
inline void append_label_value(std::string& out, std::string_view value) {
  if (value.size() > max_label_value_size) value = value.substr(0, max_label_value_size);
  for (const char c : value)
    out += (c >= 0x20 && c < 0x7f) ? c : '_';
}

/// Caches label values → metric; the metrics themselves are owned by the prometheus::Family.
template <typename Metric, std::size_t N>
class LabelledFamily {
 public:
  using Adder = std::function<Metric&(const prometheus::Labels&)>;

  LabelledFamily(std::array<std::string, N> names, Adder add)
      : names_(std::move(names)), add_(std::move(add)) {}

  Metric& get(const std::array<std::string_view, N>& values) {
    thread_local std::string key;
    key.clear();
    for (std::size_t i = 0; i < N; ++i) {
      if (i > 0) key += separator;
      append_label_value(key, values[i]);
    }
    const std::lock_guard lock(mutex_);
    if (const auto found = cache_.find(std::string_view(key)); found != cache_.end()) {
      return *found->second;
    }
    if (cache_.size() < max_label_sets) return insert(values);
    if (overflow_ == nullptr) overflow_ = &insert(overflow_values());
    return *overflow_;
  }

 private:
  // Control characters never survive append_label_value, so this cannot occur inside a value.
  static constexpr char separator = '\x1f';

  static std::array<std::string_view, N> overflow_values() {
    std::array<std::string_view, N> values;
    values.fill("other");
    return values;
  }

  Metric& insert(const std::array<std::string_view, N>& values) {
    std::string key;
    prometheus::Labels labels;
    for (std::size_t i = 0; i < N; ++i) {
      if (i > 0) key += separator;
      std::string value;
      append_label_value(value, values[i]);
      key += value;
      labels.emplace(names_[i], std::move(value));
    }
    Metric& metric = add_(labels);
    cache_.emplace(std::move(key), &metric);
    return metric;
  }

  const std::array<std::string, N> names_;
  const Adder add_;
  std::mutex mutex_;
  std::unordered_map<std::string, Metric*, TransparentStringHash, std::equal_to<>> cache_;
  Metric* overflow_ = nullptr;
};

}  // namespace obs
