// The network layer's error codes (TLS handshakes, PROXY protocol), wired into std::error_code.
#pragma once

#include <string_view>
#include <system_error>

namespace net {

/// Every way the network layer can refuse a connection or its bytes.
enum class errc {
  not_tls = 1,            ///< the first byte on a TLS port is not a TLS handshake record
  tls_handshake_failed,   ///< Botan refused the handshake (version, cipher, certificate)
  tls_handshake_timeout,  ///< the handshake did not finish before its deadline
  tls_protocol_error,     ///< a bad record or a fatal alert after the handshake
  tls_closed,             ///< write on a TLS channel that is already closed
  proxy_bad_signature,    ///< the bytes are not a PROXY protocol v1 or v2 header
  proxy_malformed,        ///< a PROXY header with a bad field
  proxy_header_too_long,  ///< v1 without CRLF within 107 bytes, or v2 over our size limit
  proxy_unsupported,      ///< a valid v2 header for a transport we do not serve (UDP, UNIX)
  proxy_timeout,          ///< the PROXY header did not arrive before its deadline
};

const std::error_category& error_category() noexcept;

inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

/// The stable snake_case name of an error ("tls_handshake_timeout"), as logs print it.
std::string_view to_string(errc e) noexcept;

}  // namespace net

template <>
struct std::is_error_code_enum<net::errc> : std::true_type {};
