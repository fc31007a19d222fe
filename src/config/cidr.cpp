// CIDR parsing and matching over 128-bit (IPv4-mapped) addresses.
#include "config/cidr.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace config {

namespace {

/// The 16-byte form of an address; IPv4 becomes ::ffff:a.b.c.d. Second: true for IPv4.
std::optional<std::pair<std::array<std::uint8_t, 16>, bool>> to_bytes(std::string_view text) {
  const std::string s(text);
  std::array<std::uint8_t, 16> out{};
  in_addr v4{};
  if (::inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out[10] = 0xFF;
    out[11] = 0xFF;
    std::memcpy(out.data() + 12, &v4, 4);
    return std::pair{out, true};
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return std::pair{out, false};
  }
  return std::nullopt;
}

}  // namespace

std::optional<Cidr> Cidr::parse(std::string_view text) {
  const auto slash = text.find('/');
  auto addr = to_bytes(text.substr(0, slash));
  if (!addr) return std::nullopt;
  const int max = addr->second ? 32 : 128;
  int prefix = max;
  if (slash != std::string_view::npos) {
    const auto p = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
    if (ec != std::errc{} || end != p.data() + p.size() || prefix < 0 || prefix > max)
      return std::nullopt;
  }
  Cidr c;
  c.bytes_ = addr->first;
  c.prefix_ = addr->second ? prefix + 96 : prefix;
  c.text_ = std::string(text);
  return c;
}

bool Cidr::contains(std::string_view address) const {
  auto a = to_bytes(address);
  if (!a) return false;
  for (int bit = 0; bit < prefix_; ++bit) {
    const int byte = bit / 8;
    const auto mask = static_cast<std::uint8_t>(0x80 >> (bit % 8));
    if ((a->first[byte] & mask) != (bytes_[byte] & mask)) return false;
  }
  return true;
}

}  // namespace config
