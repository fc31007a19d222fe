// Judging one reply: an error, a refusal (a valid answer that says no), or a plain success.
#include "reply_check.hpp"

#include <array>

#include "sip2/codec.hpp"

namespace bench {

namespace {

constexpr std::array<std::string_view, kErrorKindCount> kErrorNames = {
    "connect_failed",    "connect_timeout",      "login_refused", "closed_by_server",
    "response_timeout",  "undecodable_response", "bad_checksum",  "wrong_response_type",
    "sequence_mismatch", "resend_requested"};

constexpr std::array<std::string_view, kRefusalCount> kRefusalNames = {
    "none",          "patron_invalid",   "pin_invalid",
    "item_unknown",  "checkout_refused", "checkin_refused",
    "renew_refused", "offline"};

bool is(const std::string* value, std::string_view expected) {
  return value != nullptr && *value == expected;
}

Refusal refusal_of(const sip2::Message& m, MessageKind sent) {
  using sip2::field::valid_patron;
  const std::string_view cmd = m.command;
  if (cmd == "98")
    return is(m.fixed_value("online_status"), "N") ? Refusal::offline : Refusal::none;
  if (cmd == "24" || cmd == "64") {
    if (is(m.find(valid_patron), "N")) return Refusal::patron_invalid;
    if (sent == MessageKind::patron_status_pin &&
        is(m.find(sip2::field::valid_patron_password), "N"))
      return Refusal::pin_invalid;
    return Refusal::none;
  }
  if (cmd == "18") {
    const std::string* title = m.find(sip2::field::title_identifier);
    return title == nullptr || title->empty() ? Refusal::item_unknown : Refusal::none;
  }
  if (cmd == "12" || cmd == "10" || cmd == "30") {
    if (!is(m.fixed_value("ok"), "0")) return Refusal::none;
    if (is(m.find(valid_patron), "N")) return Refusal::patron_invalid;
    return cmd == "12"   ? Refusal::checkout_refused
           : cmd == "10" ? Refusal::checkin_refused
                         : Refusal::renew_refused;
  }
  return Refusal::none;
}

}  // namespace

std::string_view error_name(ErrorKind e) noexcept {
  return kErrorNames[static_cast<std::size_t>(e)];
}

std::string_view refusal_name(Refusal r) noexcept {
  return kRefusalNames[static_cast<std::size_t>(r)];
}

Verdict check_reply(std::string_view frame, MessageKind sent, bool error_detection, int sequence) {
  sip2::Dialect dialect;
  dialect.error_detection = error_detection ? sip2::ErrorDetection::on : sip2::ErrorDetection::off;
  auto decoded = sip2::decode(frame, dialect, sip2::Mode::strict);
  if (!decoded) {
    const auto code = decoded.error().code;
    if (code == sip2::errc::checksum_mismatch || code == sip2::errc::missing_checksum)
      return {ErrorKind::bad_checksum};
    // A 96 is short and may carry no trailer; report it as what it is.
    if (frame.substr(0, 2) == "96") return {ErrorKind::resend_requested};
    return {ErrorKind::undecodable_response};
  }
  const sip2::Message& m = *decoded;
  if (m.command == "96") return {ErrorKind::resend_requested};
  if (m.command != reply_code(sent)) return {ErrorKind::wrong_response_type};
  if (error_detection && m.sequence != sequence) return {ErrorKind::sequence_mismatch};
  if (sent == MessageKind::login && !is(m.fixed_value("ok"), "1"))
    return {ErrorKind::login_refused};
  return {std::nullopt, refusal_of(m, sent)};
}

}  // namespace bench
