// SIP2 2.00 commands and the layout of each: fixed fields and tagged fields.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "sip2/field_code.hpp"

namespace sip2 {

/// Every SIP2 2.00 message, both directions.
enum class Command : std::uint8_t {
  patron_status_request,
  patron_status_response,
  checkout_request,
  checkout_response,
  checkin_request,
  checkin_response,
  block_patron_request,
  sc_status_request,
  acs_status_response,
  request_acs_resend,
  request_sc_resend,
  login_request,
  login_response,
  patron_information_request,
  patron_information_response,
  end_patron_session_request,
  end_patron_session_response,
  fee_paid_request,
  fee_paid_response,
  item_information_request,
  item_information_response,
  item_status_update_request,
  item_status_update_response,
  patron_enable_request,
  patron_enable_response,
  hold_request,
  hold_response,
  renew_request,
  renew_response,
  renew_all_request,
  renew_all_response,
};
inline constexpr std::size_t kCommandCount = 31;

enum class Direction : std::uint8_t { request, response };

/// How a fixed field's characters are checked in strict mode.
enum class FixedKind : std::uint8_t {
  yes_no,           ///< Y or N
  one_zero,         ///< 1 or 0
  yes_no_unknown,   ///< Y, N or U
  date,             ///< YYYYMMDDZZZZHHMMSS
  date_or_blank,    ///< a date or 18 blanks (nb due date, return date)
  date_or_zeros,    ///< a date or 18 zeros (98 date/time sync)
  digits,           ///< decimal digits
  digits_or_blank,  ///< decimal digits or all blanks (64 counts)
  patron_status,    ///< 14 × (Y or blank)
  summary,          ///< 10 × (Y or blank)
  version,          ///< d.dd
  currency,         ///< three letters or blanks
  hold_mode,        ///< + - *
  status_code,      ///< 0 1 2
  any,              ///< any printable characters
};

struct FixedSpec {
  std::string_view name;  ///< snake_case of the spec's name, e.g. "sc_renewal_policy"
  std::uint8_t width;
  FixedKind kind;
};

struct TagSpec {
  FieldCode code;
  bool required;  ///< enforced in strict mode for requests (AC/AD never are: PHP issue #2)
};

struct CommandSpec {
  Command command;
  std::string_view code;  ///< "23"
  std::string_view name;  ///< "patron_status_request"
  Direction direction;
  std::span<const FixedSpec> fixed;
  std::span<const TagSpec> tags;
  bool takes_sequence;  ///< false for 96 and 97: their trailer is AZ only

  std::size_t fixed_length() const noexcept;
};

/// The spec of a wire command code, or nullptr for an unknown command.
const CommandSpec* find_command(std::string_view code) noexcept;
const CommandSpec& spec(Command command) noexcept;
/// All commands in enum order.
std::span<const CommandSpec> all_commands() noexcept;

}  // namespace sip2
