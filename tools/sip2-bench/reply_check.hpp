// Judging one reply: an error, a refusal (a valid answer that says no), or a plain success.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "workload.hpp"

namespace bench {

/// Hard errors; the transport ones (connect_*, closed_by_server, response_timeout) end the
/// connection, the others are counted and the connection carries on.
enum class ErrorKind : std::uint8_t {
  connect_failed,
  connect_timeout,
  login_refused,
  closed_by_server,
  response_timeout,
  undecodable_response,
  bad_checksum,
  wrong_response_type,
  sequence_mismatch,
  resend_requested,  ///< the server answered 96: it could not read our request
};
inline constexpr std::size_t kErrorKindCount = 10;
std::string_view error_name(ErrorKind e) noexcept;

/// Valid replies that refuse, by kind.
enum class Refusal : std::uint8_t {
  none,
  patron_invalid,    ///< 24/64 BL N, or 12/30 BL N
  pin_invalid,       ///< 24/64 CQ N after a PIN was sent
  item_unknown,      ///< 18 without a title
  checkout_refused,  ///< 12 ok 0
  checkin_refused,   ///< 10 ok 0
  renew_refused,     ///< 30 ok 0
  offline,           ///< 98 online status N
};
inline constexpr std::size_t kRefusalCount = 8;
std::string_view refusal_name(Refusal r) noexcept;

struct Verdict {
  std::optional<ErrorKind> error;
  Refusal refusal = Refusal::none;
};

/// Checks `frame` (terminator removed) as the answer to a `sent` request that carried AY
/// `sequence` when `error_detection`: decodes it strictly, checks its command, AZ and AY, and
/// reads the refusal flags. A 94 with ok 0 is the error login_refused.
[[nodiscard]] Verdict check_reply(std::string_view frame, MessageKind sent, bool error_detection,
                                  int sequence);

}  // namespace bench
