// One SIP2 round trip over a Connection: encode for the wire, send, wait, time and decode.
#include "exchanger.hpp"

#include "sip2/charset.hpp"
#include "sip2/checksum.hpp"
#include "sip2/command.hpp"

namespace sip2_client {

std::string Exchanger::to_wire(std::string_view body, std::optional<int>& sequence) {
  const auto& d = options_.dialect;
  std::string wire = sip2::from_utf8(body, d.charset, d.unmappable, d.replacement);
  sequence.reset();
  if (options_.error_detection) {
    // 96 and 97 carry AZ only (SPEC "Request SC/ACS Resend").
    const auto* spec = sip2::find_command(body.substr(0, 2));
    if (spec == nullptr || spec->takes_sequence) {
      sequence = next_sequence_;
      next_sequence_ = sip2::next_sequence(next_sequence_);
    }
    sip2::append_error_detection(wire, sequence, d.checksum_basis, d.charset);
  }
  return wire + d.terminator;
}

Exchange Exchanger::exchange(std::string_view body) {
  Exchange x;
  x.sent = to_wire(body, x.sequence);
  const auto start = Clock::now();
  if (const auto ec = connection_.send_frame(x.sent)) {
    x.error = ec;
    return x;
  }
  auto frame = connection_.read_frame(start + options_.timeout);
  x.rtt = Clock::now() - start;
  if (frame) {
    x.response = sip2::decode(*frame, options_.dialect, options_.mode);
    x.frame = std::move(*frame);
  } else if (frame.error().category() == sip2::error_category()) {
    x.response = tl::unexpected(sip2::DecodeError{frame.error(), 0});
  } else {
    x.error = frame.error();
  }
  return x;
}

}  // namespace sip2_client
