// Typed values of SIP2 fixed fields and flags, as the SIP2 2.00 specification enumerates them.
#pragma once

#include <bitset>
#include <cstdint>

namespace sip2 {

/// Y / N / U fields (magnetic media, desensitize, resensitize).
enum class Tristate : char { yes = 'Y', no = 'N', unknown = 'U' };

/// Patron status bitmap positions (in 24, 26, 64): a "Y" is a denied privilege or a problem.
enum class PatronFlag : std::uint8_t {
  charge_privileges_denied = 0,
  renewal_privileges_denied,
  recall_privileges_denied,
  hold_privileges_denied,
  card_reported_lost,
  too_many_items_charged,
  too_many_items_overdue,
  too_many_renewals,
  too_many_claims_of_items_returned,
  too_many_items_lost,
  excessive_outstanding_fines,
  excessive_outstanding_fees,
  recall_overdue,
  too_many_items_billed,
};
using PatronStatus = std::bitset<14>;
inline void set(PatronStatus& s, PatronFlag f, bool v = true) {
  s.set(static_cast<std::size_t>(f), v);
}
inline bool has(const PatronStatus& s, PatronFlag f) {
  return s.test(static_cast<std::size_t>(f));
}

/// 63 summary positions: which item list the 64 carries (positions 6-9 are undefined).
enum class SummaryItem : std::uint8_t {
  hold_items = 0,
  overdue_items,
  charged_items,
  fine_items,
  recall_items,
  unavailable_holds,
};
using Summary = std::bitset<10>;

/// BX positions in 98: one Y/N per request/response pair the server supports.
enum class Supported : std::uint8_t {
  patron_status = 0,
  checkout,
  checkin,
  block_patron,
  sc_acs_status,
  resend,
  login,
  patron_information,
  end_patron_session,
  fee_paid,
  item_information,
  item_status_update,
  patron_enable,
  hold,
  renew,
  renew_all,
};
using SupportedMessages = std::bitset<16>;

enum class CirculationStatus : std::uint8_t {
  other = 1,
  on_order,
  available,
  charged,
  charged_not_to_be_recalled,
  in_process,
  recalled,
  waiting_on_hold_shelf,
  waiting_to_be_reshelved,
  in_transit,
  claimed_returned,
  lost,
  missing,
};
enum class SecurityMarker : std::uint8_t { other = 0, none, tattle_tape, whisper_tape };
enum class FeeType : std::uint8_t {
  other = 1,
  administrative,
  damage,
  overdue,
  processing,
  rental,
  replacement,
  computer_access_charge,
  hold_fee,
};
enum class PaymentType : std::uint8_t { cash = 0, visa, credit_card };
enum class HoldMode : char { add = '+', remove = '-', change = '*' };
enum class ScStatusCode : char { ok = '0', out_of_paper = '1', shutting_down = '2' };
/// CV alert type in 10 (an extension, not in SIP2 2.00), two digits on the wire.
enum class AlertType : std::uint8_t {
  unknown = 0,
  hold_for_this_library = 1,
  hold_for_other_branch = 2,
  hold_for_ill = 3,
  send_to_other_branch = 4,
  other = 99,
};

}  // namespace sip2
