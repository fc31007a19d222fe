// An IPv4 or IPv6 network in CIDR notation, and whether an address lies in it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace config {

class Cidr {
 public:
  /// "10.0.0.0/8", "2001:db8::/32", or a bare address (a /32 or /128).
  [[nodiscard]] static std::optional<Cidr> parse(std::string_view text);
  /// `address` in text form; IPv4-mapped IPv6 addresses match IPv4 networks.
  [[nodiscard]] bool contains(std::string_view address) const;
  [[nodiscard]] const std::string& text() const { return text_; }
  bool operator==(const Cidr&) const = default;

 private:
  std::array<std::uint8_t, 16> bytes_{};  ///< IPv4 stored as IPv4-mapped IPv6
  int prefix_ = 0;                        ///< over the 128-bit form
  std::string text_;
};

}  // namespace config
