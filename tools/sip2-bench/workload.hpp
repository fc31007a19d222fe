// The message mix: which requests a connection sends, in which deterministic order.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace bench {

/// Every request the benchmark sends; `login` only while connecting.
enum class MessageKind : std::uint8_t {
  login,
  sc_status,
  patron_status_pin,
  patron_status_wrong_pin,  ///< a 23 with a PIN that is not the patron's
  patron_status,
  patron_information,
  item_information,
  checkout,
  checkin,
  renew,
};
inline constexpr std::size_t kKindCount = 10;

/// Report name: "login", "status", "patron-pin", "patron-wrong-pin", "patron", "info", ...
std::string_view kind_name(MessageKind kind) noexcept;
/// Wire command of the request ("99") and of the reply it expects ("98").
std::string_view request_code(MessageKind kind) noexcept;
std::string_view reply_code(MessageKind kind) noexcept;
/// Whether a request of this kind names a patron (AA) or an item (AB).
bool needs_patron(MessageKind kind) noexcept;
bool needs_item(MessageKind kind) noexcept;

/// One mix entry: a name and the requests it sends in a row ("checkout-checkin" sends two).
struct MixEntry {
  std::string name;
  std::vector<MessageKind> steps;
  unsigned weight = 1;
};

/// A weighted mix, parsed from "status=2,patron=1" (a missing "=W" means 1).
class Mix {
 public:
  [[nodiscard]] static tl::expected<Mix, std::string> parse(std::string_view text);

  [[nodiscard]] const std::vector<MixEntry>& entries() const noexcept { return entries_; }
  /// Entry indexes in sending order: smooth weighted round robin over one full cycle.
  [[nodiscard]] const std::vector<std::size_t>& cycle() const noexcept { return cycle_; }
  /// The kinds any entry sends.
  [[nodiscard]] std::vector<MessageKind> kinds() const;
  [[nodiscard]] bool uses_patrons() const;
  [[nodiscard]] bool uses_items() const;

 private:
  std::vector<MixEntry> entries_;
  std::vector<std::size_t> cycle_;
};

/// Where one connection is in the mix: walks the cycle from its own starting point.
class MixCursor {
 public:
  MixCursor(const Mix& mix, std::size_t start) : mix_(&mix), entry_(start % mix.cycle().size()) {}
  /// The next request to send; advances.
  MessageKind next() noexcept;

 private:
  const Mix* mix_;
  std::size_t entry_;
  std::size_t step_ = 0;
};

}  // namespace bench
