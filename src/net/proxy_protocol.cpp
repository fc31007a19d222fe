// Parses HAProxy PROXY protocol v1 and v2 headers (haproxy doc/proxy-protocol.txt), sans I/O.
#include "net/proxy_protocol.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

namespace net {
namespace {

using Status = ProxyParse::Status;

constexpr std::string_view kV1Prefix = "PROXY ";
constexpr std::string_view kV2Signature{"\r\n\r\n\0\r\nQUIT\n", 12};
constexpr std::size_t kV2Preamble = 16;

ProxyParse need_more() {
  return {Status::need_more, {}, {}};
}
ProxyParse fail(errc e) {
  return {Status::error, {}, make_error_code(e)};
}
ProxyParse done(ProxyHeader header) {
  return {Status::header, std::move(header), {}};
}

/// True when the first min(size, sig.size()) bytes match sig.
bool prefix_matches(std::string_view bytes, std::string_view sig) {
  const auto n = std::min(bytes.size(), sig.size());
  return bytes.substr(0, n) == sig.substr(0, n);
}

std::uint8_t byte_at(std::string_view bytes, std::size_t i) {
  return static_cast<std::uint8_t>(bytes[i]);
}

std::uint16_t be16(std::string_view bytes, std::size_t i) {
  return static_cast<std::uint16_t>(byte_at(bytes, i) << 8 | byte_at(bytes, i + 1));
}

// ---- v1: "PROXY TCP4 192.0.2.1 198.51.100.7 51234 6001\r\n" ----

std::vector<std::string_view> split_spaces(std::string_view line) {
  std::vector<std::string_view> fields;
  for (std::size_t at = 0;;) {
    const auto space = line.find(' ', at);
    fields.push_back(line.substr(at, space - at));
    if (space == std::string_view::npos) return fields;
    at = space + 1;
  }
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

std::optional<asio::ip::address> parse_address(std::string_view text, bool v6) {
  const std::string_view allowed = v6 ? "0123456789abcdefABCDEF:." : "0123456789.";
  if (text.empty() || text.find_first_not_of(allowed) != std::string_view::npos) {
    return std::nullopt;
  }
  std::error_code ec;
  const std::string s(text);
  asio::ip::address address;
  if (v6) {
    address = asio::ip::make_address_v6(s, ec);
  } else {
    address = asio::ip::make_address_v4(s, ec);
  }
  if (ec) return std::nullopt;
  return address;
}

/// The line between "PROXY " and CRLF, already checked to hold only printable ASCII.
ProxyParse parse_v1_line(std::string_view line, std::size_t size) {
  const auto fields = split_spaces(line);
  if (fields[0] == "UNKNOWN") return done({std::nullopt, std::nullopt, size});
  if ((fields[0] != "TCP4" && fields[0] != "TCP6") || fields.size() != 5) {
    return fail(errc::proxy_malformed);
  }
  const bool v6 = fields[0] == "TCP6";
  const auto source = parse_address(fields[1], v6);
  const auto destination = parse_address(fields[2], v6);
  const auto source_port = parse_port(fields[3]);
  const auto destination_port = parse_port(fields[4]);
  if (!source || !destination || !source_port || !destination_port) {
    return fail(errc::proxy_malformed);
  }
  return done({asio::ip::tcp::endpoint(*source, *source_port),
               asio::ip::tcp::endpoint(*destination, *destination_port), size});
}

ProxyParse parse_v1(std::string_view bytes) {
  const auto limit = std::min(bytes.size(), kMaxProxyV1Length);
  for (std::size_t i = kV1Prefix.size(); i < limit; ++i) {
    const char c = bytes[i];
    if (c == '\r') {
      if (i + 2 > kMaxProxyV1Length) return fail(errc::proxy_header_too_long);
      if (i + 1 == bytes.size()) return need_more();
      if (bytes[i + 1] != '\n') return fail(errc::proxy_malformed);
      return parse_v1_line(bytes.substr(kV1Prefix.size(), i - kV1Prefix.size()), i + 2);
    }
    if (c < 0x20 || c > 0x7e) return fail(errc::proxy_malformed);
  }
  return bytes.size() >= kMaxProxyV1Length ? fail(errc::proxy_header_too_long) : need_more();
}

// ---- v2: 12-byte signature, version/command, family/transport, length, addresses, TLVs ----

asio::ip::address_v4 v4_at(std::string_view bytes, std::size_t i) {
  asio::ip::address_v4::bytes_type raw;
  std::copy_n(reinterpret_cast<const unsigned char*>(bytes.data() + i), raw.size(), raw.begin());
  return asio::ip::address_v4(raw);
}

asio::ip::address_v6 v6_at(std::string_view bytes, std::size_t i) {
  asio::ip::address_v6::bytes_type raw;
  std::copy_n(reinterpret_cast<const unsigned char*>(bytes.data() + i), raw.size(), raw.begin());
  return asio::ip::address_v6(raw);
}

/// Each TLV is type (1), length (2), value; they must tile the rest of the header exactly.
bool tlvs_well_formed(std::string_view tlvs) {
  while (!tlvs.empty()) {
    if (tlvs.size() < 3) return false;
    const std::size_t length = be16(tlvs, 1);
    if (tlvs.size() - 3 < length) return false;
    tlvs.remove_prefix(3 + length);
  }
  return true;
}

ProxyParse parse_v2(std::string_view bytes) {
  if (bytes.size() < kV2Preamble) return need_more();
  const std::uint8_t version_command = byte_at(bytes, 12);
  const std::uint8_t family = byte_at(bytes, 13);
  const std::size_t size = kV2Preamble + be16(bytes, 14);
  if ((version_command >> 4) != 2) return fail(errc::proxy_malformed);
  const std::uint8_t command = version_command & 0x0f;
  if (command > 1) return fail(errc::proxy_malformed);
  if (size > kMaxProxyV2Length) return fail(errc::proxy_header_too_long);
  // LOCAL (health checks) and UNSPEC: use the real endpoints and discard the address block.
  const bool unknown = command == 0 || family == 0x00;
  std::size_t address_length = 0;
  if (!unknown) {
    switch (family) {
      case 0x11:  // TCP over IPv4: two addresses, two ports
        address_length = 12;
        break;
      case 0x21:  // TCP over IPv6
        address_length = 36;
        break;
      case 0x12:  // UDP over IPv4
      case 0x22:  // UDP over IPv6
      case 0x31:  // UNIX stream
      case 0x32:  // UNIX datagram
        return fail(errc::proxy_unsupported);
      default:
        return fail(errc::proxy_malformed);
    }
    if (size - kV2Preamble < address_length) return fail(errc::proxy_malformed);
  }
  if (bytes.size() < size) return need_more();
  if (unknown) return done({std::nullopt, std::nullopt, size});
  if (!tlvs_well_formed(
          bytes.substr(kV2Preamble + address_length, size - kV2Preamble - address_length))) {
    return fail(errc::proxy_malformed);
  }
  const std::size_t a = kV2Preamble;
  const bool v4 = family == 0x11;
  const std::size_t ports = a + (v4 ? 8 : 32);
  const asio::ip::address source =
      v4 ? asio::ip::address(v4_at(bytes, a)) : asio::ip::address(v6_at(bytes, a));
  const asio::ip::address destination =
      v4 ? asio::ip::address(v4_at(bytes, a + 4)) : asio::ip::address(v6_at(bytes, a + 16));
  return done({asio::ip::tcp::endpoint(source, be16(bytes, ports)),
               asio::ip::tcp::endpoint(destination, be16(bytes, ports + 2)), size});
}

}  // namespace

ProxyParse parse_proxy_header(std::span<const char> input) {
  const std::string_view bytes(input.data(), input.size());
  if (bytes.empty()) return need_more();
  if (bytes[0] == 'P') {
    if (!prefix_matches(bytes, kV1Prefix)) return fail(errc::proxy_bad_signature);
    return parse_v1(bytes);
  }
  if (!prefix_matches(bytes, kV2Signature)) return fail(errc::proxy_bad_signature);
  return parse_v2(bytes);
}

}  // namespace net
