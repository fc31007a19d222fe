// The AZ checksum over bytes or code points.
#include "sip2/checksum.hpp"

#include <array>
#include <cctype>

#include "sip2/charset.hpp"

namespace sip2 {

std::uint16_t checksum(std::string_view covered, ChecksumBasis basis, Charset charset) {
  std::uint32_t sum = 0;
  if (basis == ChecksumBasis::bytes) {
    for (char c : covered)
      sum += static_cast<unsigned char>(c);
  } else {
    const auto utf8 = to_utf8(covered, charset, false);
    const std::string_view text = *utf8;
    for (std::size_t pos = 0; pos < text.size();)
      sum += next_code_point(text, pos);
  }
  return static_cast<std::uint16_t>((~sum + 1) & 0xFFFF);
}

std::string checksum_hex(std::uint16_t value) {
  static constexpr std::string_view kDigits = "0123456789ABCDEF";
  std::string out(4, '0');
  for (int i = 3; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = kDigits[value & 0xF];
    value = static_cast<std::uint16_t>(value >> 4);
  }
  return out;
}

std::optional<std::uint16_t> parse_checksum_hex(std::string_view hex) noexcept {
  if (hex.size() != 4) return std::nullopt;
  std::uint16_t v = 0;
  for (char c : hex) {
    int d = -1;
    if (c >= '0' && c <= '9') d = c - '0';
    if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
    if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
    if (d < 0) return std::nullopt;
    v = static_cast<std::uint16_t>((v << 4) | d);
  }
  return v;
}

void append_error_detection(std::string& wire, std::optional<int> seq, ChecksumBasis basis,
                            Charset charset, bool lower_hex) {
  if (seq) {
    wire += "AY";
    wire.push_back(static_cast<char>('0' + (*seq % 10 + 10) % 10));
  }
  wire += "AZ";
  std::string hex = checksum_hex(checksum(wire, basis, charset));
  if (lower_hex)
    for (char& c : hex)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  wire += hex;
}

}  // namespace sip2
