// A test kiosk: raw SIP2 bytes out over sip2-client's Connection, decoded sip2::Message back.
#include "sip_client.hpp"

#include <algorithm>

namespace integration {

tl::expected<SipClient, std::string> SipClient::connect(std::uint16_t port,
                                                        sip2_client::ConnectOptions options) {
  options.host = "127.0.0.1";
  options.port = port;
  options.connect_timeout = std::min<std::chrono::milliseconds>(options.connect_timeout, 5s);
  auto c = sip2_client::Connection::open(options);
  if (!c) return tl::unexpected(c.error());
  return SipClient(std::move(*c));
}

std::error_code SipClient::send_raw(std::string_view bytes) {
  return connection_.send_frame(bytes);
}

tl::expected<std::string, std::error_code> SipClient::read_frame(
    std::chrono::milliseconds timeout) {
  return connection_.read_frame(sip2_client::Clock::now() + timeout);
}

tl::expected<sip2::Message, std::string> SipClient::read_message(
    std::chrono::milliseconds timeout) {
  auto frame = read_frame(timeout);
  if (!frame) return tl::unexpected("no answer: " + frame.error().message());
  auto m = sip2::decode(*frame, sip2::Dialect{}, sip2::Mode::strict);
  if (!m)
    return tl::unexpected("answer '" + *frame + "' does not decode: " + m.error().code.message() +
                          " at " + std::to_string(m.error().offset));
  return *m;
}

tl::expected<sip2::Message, std::string> SipClient::exchange(std::string_view body,
                                                             std::chrono::milliseconds timeout) {
  if (auto ec = send_raw(std::string(body) + "\r"))
    return tl::unexpected("send failed: " + ec.message());
  return read_message(timeout);
}

bool SipClient::closed_within(std::chrono::milliseconds timeout, std::vector<std::string>* frames) {
  const auto deadline = sip2_client::Clock::now() + timeout;
  for (;;) {
    auto f = connection_.read_frame(deadline);
    if (f) {
      if (frames != nullptr) frames->push_back(*f);
      continue;
    }
    if (f.error() == std::errc::timed_out) return false;
    // Framing errors (binary junk from a TLS alert, say) leave the stream readable.
    if (f.error() == std::errc::connection_reset || f.error() == std::errc::protocol_error)
      return true;
    if (sip2_client::Clock::now() >= deadline) return false;
  }
}

std::string field(const sip2::Message& m, std::string_view code) {
  const auto* v = m.find(sip2::FieldCode(code));
  return v != nullptr ? *v : std::string();
}

bool has_field(const sip2::Message& m, std::string_view code) {
  return m.find(sip2::FieldCode(code)) != nullptr;
}

std::string fixed(const sip2::Message& m, std::string_view name) {
  const auto* v = m.fixed_value(name);
  return v != nullptr ? *v : std::string();
}

std::string screen(const sip2::Message& m) {
  std::string out;
  for (auto v : m.find_all(sip2::field::screen_message))
    out += (out.empty() ? "" : " / ") + std::string(v);
  return out;
}

}  // namespace integration
