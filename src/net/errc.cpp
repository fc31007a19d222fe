// The network layer's error category and error names.
#include "net/errc.hpp"

#include <string>

namespace net {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "net"; }
  std::string message(int value) const override {
    return std::string(to_string(static_cast<errc>(value)));
  }
};

}  // namespace

const std::error_category& error_category() noexcept {
  static const Category category;
  return category;
}

std::string_view to_string(errc e) noexcept {
  switch (e) {
    case errc::not_tls:
      return "not_tls";
    case errc::tls_handshake_failed:
      return "tls_handshake_failed";
    case errc::tls_handshake_timeout:
      return "tls_handshake_timeout";
    case errc::tls_protocol_error:
      return "tls_protocol_error";
    case errc::tls_closed:
      return "tls_closed";
    case errc::proxy_bad_signature:
      return "proxy_bad_signature";
    case errc::proxy_malformed:
      return "proxy_malformed";
    case errc::proxy_header_too_long:
      return "proxy_header_too_long";
    case errc::proxy_unsupported:
      return "proxy_unsupported";
    case errc::proxy_timeout:
      return "proxy_timeout";
  }
  return "unknown_error";
}

}  // namespace net
