// Tests for the sans-I/O PROXY protocol parser: v1 and v2, split at every byte, garbage.
#define BOOST_TEST_MODULE proxy_protocol
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "net/proxy_protocol.hpp"

namespace {

using net::errc;
using net::ProxyParse;
using Status = ProxyParse::Status;

std::error_code code(errc e) {
  return make_error_code(e);
}

ProxyParse parse(const std::string& bytes) {
  return net::parse_proxy_header(std::span<const char>(bytes.data(), bytes.size()));
}

std::error_code error_of(const std::string& bytes) {
  const auto result = parse(bytes);
  BOOST_TEST(static_cast<int>(result.status) == static_cast<int>(Status::error));
  return result.error;
}

asio::ip::tcp::endpoint endpoint(const char* address, unsigned short port) {
  return {asio::ip::make_address(address), port};
}

const std::string kSignature("\r\n\r\n\0\r\nQUIT\n", 12);

std::string be16(std::size_t value) {
  return {static_cast<char>(value >> 8), static_cast<char>(value & 0xff)};
}

/// A v2 header: signature, version/command byte, family byte, length, body.
std::string v2(std::uint8_t version_command, std::uint8_t family, const std::string& body) {
  return kSignature + static_cast<char>(version_command) + static_cast<char>(family) +
         be16(body.size()) + body;
}

std::string v4_body(const std::string& tlvs = {}) {
  // 192.0.2.1:51234 -> 198.51.100.7:6001
  return std::string("\xc0\x00\x02\x01\xc6\x33\x64\x07", 8) + be16(51234) + be16(6001) + tlvs;
}

std::string v6_body() {
  std::string body(32, '\0');
  body[0] = '\x20', body[1] = '\x01', body[2] = '\x0d', body[3] = '\xb8', body[15] = '\x01';
  body[16] = '\x20', body[17] = '\x01', body[18] = '\x0d', body[19] = '\xb8', body[31] = '\x02';
  return body + be16(51234) + be16(6001);
}

std::string tlv(std::uint8_t type, const std::string& value) {
  return static_cast<char>(type) + be16(value.size()) + value;
}

const std::string kV1Tcp4 = "PROXY TCP4 192.0.2.1 198.51.100.7 51234 6001\r\n";
const std::string kV1Tcp6 = "PROXY TCP6 2001:db8::1 2001:db8::2 51234 6001\r\n";
const std::string kV1Longest =  // the spec's 107-byte worst case
    "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
    "65535 65535\r\n";

/// Every valid header in these tests.
std::vector<std::string> valid_headers() {
  return {kV1Tcp4,
          kV1Tcp6,
          "PROXY UNKNOWN\r\n",
          kV1Longest,
          v2(0x21, 0x11, v4_body()),
          v2(0x21, 0x21, v6_body()),
          v2(0x21, 0x11, v4_body(tlv(0x01, "sip2") + tlv(0x04, "") + tlv(0xe0, "vendor"))),
          v2(0x20, 0x00, ""),
          v2(0x20, 0x11, v4_body()),
          v2(0x21, 0x00, std::string(7, 'x'))};
}

}  // namespace

BOOST_AUTO_TEST_CASE(reads_v1_tcp4_source_and_destination) {
  const auto result = parse(kV1Tcp4 + "9900302.00\r");
  BOOST_TEST(static_cast<int>(result.status) == static_cast<int>(Status::header));
  BOOST_TEST((result.header.source == endpoint("192.0.2.1", 51234)));
  BOOST_TEST((result.header.destination == endpoint("198.51.100.7", 6001)));
  BOOST_TEST(result.header.size == kV1Tcp4.size());
}

BOOST_AUTO_TEST_CASE(reads_v1_tcp6) {
  const auto result = parse(kV1Tcp6);
  BOOST_TEST(static_cast<int>(result.status) == static_cast<int>(Status::header));
  BOOST_TEST((result.header.source == endpoint("2001:db8::1", 51234)));
  BOOST_TEST((result.header.destination == endpoint("2001:db8::2", 6001)));
}

BOOST_AUTO_TEST_CASE(v1_unknown_keeps_the_socket_peer) {
  for (const std::string& header : {std::string("PROXY UNKNOWN\r\n"), kV1Longest}) {
    const auto result = parse(header);
    BOOST_TEST(static_cast<int>(result.status) == static_cast<int>(Status::header));
    BOOST_TEST(!result.header.source.has_value());
    BOOST_TEST(result.header.size == header.size());
  }
  BOOST_TEST(kV1Longest.size() == net::kMaxProxyV1Length);
}

BOOST_AUTO_TEST_CASE(rejects_v1_line_longer_than_107_bytes) {
  std::string longer = kV1Longest;
  longer.insert(14, "f");
  BOOST_TEST(error_of(longer) == code(errc::proxy_header_too_long));
  BOOST_TEST(error_of("PROXY UNKNOWN " + std::string(200, 'a')) ==
             code(errc::proxy_header_too_long));
}

BOOST_AUTO_TEST_CASE(rejects_malformed_v1_lines) {
  const std::vector<std::string> bad = {
      "PROXY TCP4 192.0.2.1 198.51.100.7 51234 6001\n",                // LF without CR
      "PROXY TCP4 192.0.2.1 198.51.100.7 51234 6001\rX",               // CR without LF
      "PROXY TCP4  192.0.2.1 198.51.100.7 51234 6001\r\n",             // two spaces
      "PROXY TCP4 192.0.2.1 198.51.100.7 51234\r\n",                   // missing port
      "PROXY TCP4 192.0.2.1 198.51.100.7 51234 6001 7\r\n",            // extra field
      "PROXY TCP4 192.0.2.1 198.51.100.7 65536 6001\r\n",              // port out of range
      "PROXY TCP4 192.0.2.1 198.51.100.7 051234 6001\r\n",             // leading zero
      "PROXY TCP4 192.0.2.1 198.51.100.7 -1 6001\r\n",                 // sign
      "PROXY TCP4 2001:db8::1 198.51.100.7 51234 6001\r\n",            // IPv6 in TCP4
      "PROXY TCP6 192.0.2.1 2001:db8::2 51234 6001\r\n",               // IPv4 in TCP6
      "PROXY TCP6 fe80::1%eth0 2001:db8::2 51234 6001\r\n",            // scope id
      "PROXY TCP4 192.0.2.256 198.51.100.7 51234 6001\r\n",            // octet out of range
      "PROXY TCP4 192.000.2.1 198.51.100.7 51234 6001\r\n",            // leading zeros
      "PROXY TCP5 192.0.2.1 198.51.100.7 51234 6001\r\n",              // unknown protocol
      "PROXY tcp4 192.0.2.1 198.51.100.7 51234 6001\r\n",              // lower case
      "PROXY \r\n",                                                    // nothing
      "PROXY UNKNOWNX\r\n",                                            // not UNKNOWN
      std::string("PROXY TCP4 192.0.2.1\0 198.51.100.7 1 2\r\n", 40),  // NUL
      "PROXY TCP4 192.0.2.1 198.51.100.7 51234 6001\t\r\n",            // control character
  };
  for (const auto& line : bad) {
    BOOST_TEST_CONTEXT(line) {
      BOOST_TEST(error_of(line) == code(errc::proxy_malformed));
    }
  }
}

BOOST_AUTO_TEST_CASE(reads_v2_proxy_over_ipv4_and_ipv6) {
  const auto four = parse(v2(0x21, 0x11, v4_body()) + "9900302.00\r");
  BOOST_TEST(static_cast<int>(four.status) == static_cast<int>(Status::header));
  BOOST_TEST((four.header.source == endpoint("192.0.2.1", 51234)));
  BOOST_TEST((four.header.destination == endpoint("198.51.100.7", 6001)));
  BOOST_TEST(four.header.size == 28u);
  const auto six = parse(v2(0x21, 0x21, v6_body()));
  BOOST_TEST(static_cast<int>(six.status) == static_cast<int>(Status::header));
  BOOST_TEST((six.header.source == endpoint("2001:db8::1", 51234)));
  BOOST_TEST((six.header.destination == endpoint("2001:db8::2", 6001)));
  BOOST_TEST(six.header.size == 52u);
}

BOOST_AUTO_TEST_CASE(skips_v2_tlvs) {
  const auto header = v2(0x21, 0x11, v4_body(tlv(0x01, "sip2") + tlv(0x04, "") + tlv(0x05, "id")));
  const auto result = parse(header + "99");
  BOOST_TEST(static_cast<int>(result.status) == static_cast<int>(Status::header));
  BOOST_TEST((result.header.source == endpoint("192.0.2.1", 51234)));
  BOOST_TEST(result.header.size == header.size());
}

BOOST_AUTO_TEST_CASE(v2_local_and_unspec_keep_the_socket_peer) {
  for (const auto& header : {v2(0x20, 0x00, ""), v2(0x20, 0x11, v4_body()), v2(0x21, 0x00, "")}) {
    const auto result = parse(header);
    BOOST_TEST(static_cast<int>(result.status) == static_cast<int>(Status::header));
    BOOST_TEST(!result.header.source.has_value());
    BOOST_TEST(result.header.size == header.size());
  }
}

BOOST_AUTO_TEST_CASE(rejects_bad_v2_headers) {
  BOOST_TEST(error_of(v2(0x11, 0x11, v4_body())) == code(errc::proxy_malformed));  // version 1
  BOOST_TEST(error_of(v2(0x22, 0x11, v4_body())) == code(errc::proxy_malformed));  // command 2
  BOOST_TEST(error_of(v2(0x21, 0x41, v4_body())) == code(errc::proxy_malformed));  // family 4
  BOOST_TEST(error_of(v2(0x21, 0x10, v4_body())) == code(errc::proxy_malformed));  // no transport
  BOOST_TEST(error_of(v2(0x21, 0x11, v4_body().substr(0, 8))) == code(errc::proxy_malformed));
  BOOST_TEST(error_of(v2(0x21, 0x21, v4_body())) == code(errc::proxy_malformed));  // too short
  BOOST_TEST(error_of(v2(0x21, 0x11, v4_body(std::string("\x01\x00", 2)))) ==
             code(errc::proxy_malformed));
  BOOST_TEST(error_of(v2(0x21, 0x11, v4_body(std::string("\x01\x00\x05", 3) + "abc"))) ==
             net::errc::proxy_malformed);  // TLV longer than the header
}

BOOST_AUTO_TEST_CASE(refuses_v2_udp_and_unix_sockets) {
  for (std::uint8_t family : {0x12, 0x22, 0x31, 0x32}) {
    BOOST_TEST(error_of(v2(0x21, family, std::string(216, '\0'))) == code(errc::proxy_unsupported));
  }
}

BOOST_AUTO_TEST_CASE(rejects_oversize_v2_header_from_its_preamble) {
  const auto header = v2(0x21, 0x11, std::string(net::kMaxProxyV2Length, '\0'));
  BOOST_TEST(error_of(header.substr(0, 16)) == code(errc::proxy_header_too_long));
}

BOOST_AUTO_TEST_CASE(rejects_bytes_that_are_not_a_proxy_header) {
  for (const std::string& bytes :
       {std::string("9300CNkiosk|COpw|CPlib|\r"), std::string("\x16\x03\x01\x02\x00", 5),
        std::string("GET / HTTP/1.1\r\n"), std::string("PROXX TCP4"), std::string("proxy "),
        std::string("\r\n\r\n\0\r\nQUIT\r", 12), std::string("P\0", 2)}) {
    BOOST_TEST(error_of(bytes) == code(errc::proxy_bad_signature));
  }
}

BOOST_AUTO_TEST_CASE(needs_more_at_every_split_of_a_valid_header) {
  for (const auto& header : valid_headers()) {
    for (std::size_t n = 0; n < header.size(); ++n) {
      BOOST_TEST_CONTEXT("header size " << header.size() << ", first " << n << " bytes") {
        BOOST_TEST(static_cast<int>(parse(header.substr(0, n)).status) ==
                   static_cast<int>(Status::need_more));
      }
    }
    const auto result = parse(header);
    BOOST_TEST(static_cast<int>(result.status) == static_cast<int>(Status::header));
    BOOST_TEST(result.header.size == header.size());
  }
}

BOOST_AUTO_TEST_CASE(bytes_after_the_header_do_not_change_it) {
  for (const auto& header : valid_headers()) {
    const auto alone = parse(header);
    const auto followed = parse(header + "\x16\x03\x01garbage\r\n\r\n\0");
    BOOST_TEST(static_cast<int>(followed.status) == static_cast<int>(Status::header));
    BOOST_TEST(followed.header.size == alone.header.size);
    BOOST_TEST((followed.header.source == alone.header.source));
  }
}

BOOST_AUTO_TEST_CASE(survives_mutated_and_random_input) {
  std::mt19937 random(20240611);
  std::size_t headers = 0;
  const auto check = [&](const std::string& bytes) {
    const auto result = parse(bytes);
    if (result.status == Status::header) {
      ++headers;
      BOOST_REQUIRE(result.header.size <= bytes.size());
      BOOST_REQUIRE(result.header.size <= net::kMaxProxyV2Length);
    } else if (result.status == Status::error) {
      BOOST_REQUIRE(result.error.category() == net::error_category());
    }
  };
  for (const auto& header : valid_headers()) {
    for (std::size_t i = 0; i < header.size(); ++i) {
      for (int value : {0x00, 0x0a, 0x0d, 0x20, 0x3a, 0x7f, 0xff}) {
        std::string mutated = header;
        mutated[i] = static_cast<char>(value);
        check(mutated);
        check(mutated.substr(0, i + 1));
      }
    }
  }
  for (int round = 0; round < 20000; ++round) {
    std::string bytes = round % 3 == 0 ? kSignature : round % 3 == 1 ? "PROXY " : "";
    const auto length = std::uniform_int_distribution<std::size_t>(0, 300)(random);
    for (std::size_t i = 0; i < length; ++i) {
      bytes += static_cast<char>(std::uniform_int_distribution<int>(0, 255)(random));
    }
    check(bytes);
  }
  BOOST_TEST(headers > 0u);  // some mutations stay valid (a changed address digit)
}
