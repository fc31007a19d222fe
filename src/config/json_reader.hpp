// Reads one JSON object of the config with path-aware errors and unknown-key detection.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace config {

/// Every problem found, as "json.path: reason".
using Errors = std::vector<std::string>;

/// A view of one JSON object. Each getter leaves `out` at its default when the key is absent
/// (or reports it when required) and records a typed error when the value is wrong. `finish()`
/// (also run by the destructor) reports keys nobody asked for.
class ObjectReader {
 public:
  /// `value` may be null (an absent object): every getter then keeps its default.
  ObjectReader(const nlohmann::json* value, std::string path, Errors& errors);
  ~ObjectReader();
  ObjectReader(const ObjectReader&) = delete;
  ObjectReader& operator=(const ObjectReader&) = delete;

  [[nodiscard]] bool has(std::string_view key) const;
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] Errors& errors() const { return errors_; }
  [[nodiscard]] std::string path_of(std::string_view key) const;
  void error(std::string_view key, std::string_view reason);

  void string(std::string_view key, std::string& out, bool required = false);
  void boolean(std::string_view key, bool& out);
  template <class Int>
  void integer(std::string_view key, Int& out, long long min = std::numeric_limits<Int>::min(),
               long long max = static_cast<long long>(std::numeric_limits<Int>::max()),
               bool required = false) {
    long long v = static_cast<long long>(out);
    if (read_integer(key, v, min, max, required)) out = static_cast<Int>(v);
  }
  /// A duration given in the unit of `out` (seconds or milliseconds, named by the key).
  template <class Rep, class Period>
  void duration(std::string_view key, std::chrono::duration<Rep, Period>& out, long long min = 0,
                long long max = 365LL * 24 * 3600 * 1000) {
    long long v = out.count();
    if (read_integer(key, v, min, max, false)) out = std::chrono::duration<Rep, Period>(v);
  }
  /// One of a fixed set of strings.
  template <class E>
  void choice(std::string_view key, E& out,
              std::initializer_list<std::pair<std::string_view, E>> options) {
    std::string s;
    if (!read_string(key, s, false)) return;
    for (const auto& [name, value] : options)
      if (name == s) {
        out = value;
        return;
      }
    std::string all;
    for (const auto& o : options)
      all += (all.empty() ? "" : ", ") + std::string(o.first);
    error(key, "must be one of " + all);
  }
  /// A nested object (absent: an empty reader).
  [[nodiscard]] ObjectReader object(std::string_view key);
  /// Calls `each` for every element of an array with its path "a.b[3]".
  void array(std::string_view key,
             const std::function<void(const nlohmann::json&, const std::string&)>& each);
  void strings(std::string_view key, std::vector<std::string>& out);
  /// A JSON object of name → true/false; replaces `out` when the key is present.
  void flags(std::string_view key, std::map<std::string, bool, std::less<>>& out);
  /// Accepts `key` with any value, unread (a section a later version acts on).
  void ignore(std::string_view key) { (void)find(key); }
  /// The value at `key` as it is (marked read), or nullptr when absent.
  [[nodiscard]] const nlohmann::json* raw(std::string_view key) { return find(key); }

  void finish();

 private:
  const nlohmann::json* find(std::string_view key);
  bool read_string(std::string_view key, std::string& out, bool required);
  bool read_integer(std::string_view key, long long& out, long long min, long long max,
                    bool required);

  const nlohmann::json* value_;
  std::string path_;
  Errors& errors_;
  std::set<std::string, std::less<>> seen_;
  bool finished_ = false;
};

}  // namespace config
