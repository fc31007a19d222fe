// The requests one connection sends, encoded once; framing adds AY/AZ and CR per send.
#pragma once

#include <array>
#include <string>

#include "bench_options.hpp"
#include "workload.hpp"

namespace bench {

/// Request bodies (no trailer, no terminator) for the kinds a connection uses. Connection `i`
/// uses patron `i mod patrons` and item `i mod items`, so connections do not share an item
/// while there are enough items.
class RequestSet {
 public:
  RequestSet() = default;
  /// Encodes the login (when configured), a 99, and every kind of the mix.
  [[nodiscard]] static RequestSet build(const BenchOptions& options, std::size_t connection_index);

  [[nodiscard]] const std::string& body(MessageKind kind) const noexcept {
    return bodies_[static_cast<std::size_t>(kind)];
  }

 private:
  std::array<std::string, kKindCount> bodies_;
};

/// Writes `body`, then "AY<seq>AZ<sum>" when `error_detection`, then CR, into `out`.
void frame_request(std::string& out, const std::string& body, bool error_detection, int sequence);

}  // namespace bench
