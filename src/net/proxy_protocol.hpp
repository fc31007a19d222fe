// The HAProxy PROXY protocol (v1 text, v2 binary): a sans-I/O parser and a reader for a socket.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <system_error>
#include <tl/expected.hpp>

#include "net/errc.hpp"

namespace net {

/// v1 headers end with CRLF within this many bytes (the spec's worst case, "TCP6" with ports).
inline constexpr std::size_t kMaxProxyV1Length = 107;
/// v2 headers longer than this (16-byte preamble + addresses + TLVs) are refused.
inline constexpr std::size_t kMaxProxyV2Length = 16 + 1024;

/// What the proxy in front of us says about the connection.
struct ProxyHeader {
  /// The original client. Empty for v2 LOCAL, v1 UNKNOWN and v2 UNSPEC: use the socket's peer.
  std::optional<asio::ip::tcp::endpoint> source;
  /// The address the client connected to on the proxy (empty when source is).
  std::optional<asio::ip::tcp::endpoint> destination;
  /// Bytes the header occupies; application data starts after them.
  std::size_t size = 0;
};

/// The outcome of parsing the start of a connection.
struct ProxyParse {
  enum class Status { header, need_more, error };
  Status status = Status::need_more;
  ProxyHeader header;     ///< valid when status == header
  std::error_code error;  ///< errc::proxy_* when status == error
};

/// Parses a PROXY v1 or v2 header at the start of bytes. need_more while bytes are a valid,
/// unfinished prefix; an error as soon as they cannot become a valid header. Strict: v1 needs
/// single spaces, canonical addresses and ports, CRLF; v2 needs version 2, a known command and
/// address family, and well-formed TLVs (whose contents are skipped).
[[nodiscard]] ProxyParse parse_proxy_header(std::span<const char> bytes);

/// Reads a PROXY header from a freshly accepted socket within `timeout`. Bytes read past the
/// header are stored in `leftover` (hand them to make_tcp_channel or accept_tls). Errors:
/// errc::proxy_*, errc::proxy_timeout, or the socket's own (asio::error::eof).
[[nodiscard]] asio::awaitable<tl::expected<ProxyHeader, std::error_code>> read_proxy_header(
    asio::ip::tcp::socket& socket, std::chrono::milliseconds timeout, std::string& leftover);

}  // namespace net
