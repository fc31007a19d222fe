// Helpers shared by the handlers: dates, money, screen messages for failures, patron checks.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "handlers/context.hpp"

namespace handlers::detail {

/// `t` as a SIP date: the wall clock of `zone`, the zone field as `field` asks.
[[nodiscard]] sip2::Timestamp stamp(ils::Timestamp t, sip2::ZoneField field,
                                    const zone::TimeZone& zone);
/// The zone of this terminal's local dates: its profile's dates.timezone, else the site's.
[[nodiscard]] inline const zone::TimeZone& zone_of(const Terminal& t, const Services& s) {
  return t.time_zone ? *t.time_zone : s.settings.time_zone;
}
/// `t` as a SIP date for this terminal: in its zone, in the terminal's dialect.
[[nodiscard]] sip2::Timestamp stamp(ils::Timestamp t, const Terminal& term, const Services& s);
/// The SIP transaction date of "now" for this terminal.
[[nodiscard]] sip2::Timestamp now_stamp(const Terminal& t, const Services& s);
/// The instant of a kiosk's SIP date: by its zone letter, or local time of its zone (zone_of).
[[nodiscard]] ils::Timestamp instant(const sip2::Timestamp& t, const Terminal& term,
                                     const Services& s);

/// A response to a patron's request: dated now, with the request's institution and patron.
template <class Response, class Request>
[[nodiscard]] Response patron_answer(const Request& q, const Terminal& t, const Services& s) {
  Response a;
  a.transaction_date = now_stamp(t, s);
  a.institution_id = q.institution_id;
  a.patron_identifier = q.patron_identifier;
  return a;
}
/// A due date (AH) in the dialect's format; SIP dates and plain dates are the site zone's.
[[nodiscard]] std::string due_text(const std::optional<ils::Timestamp>& due, const sip2::Dialect& d,
                                   const zone::TimeZone& zone);
/// SIP magnetic media of a material type by the site's map; 'U' for a type it does not list.
[[nodiscard]] sip2::Tristate magnetic_media(const Services& s, std::string_view material_type);
/// The SIP media type (CK) of a material type (circulation.media_types), "000" when not listed.
[[nodiscard]] std::string media_type(const Services& s, std::string_view material_type);
/// "12.50" from cents; parse back, refusing anything but digits with up to two decimals.
[[nodiscard]] std::string money(ils::Cents cents);
/// The currency a terminal's answers name (BH): its profile's fees.currency, else the config's.
[[nodiscard]] inline const std::string& currency_of(const Terminal& t, const Services& s) {
  return t.behaviour.fees.currency.empty() ? s.currency : t.behaviour.fees.currency;
}
/// An amount with `decimals` digits after the point (0 to 4); with fewer than two, the
/// magnitude rounded half up (a kiosk that pays what it shows should be given two).
[[nodiscard]] std::string money(ils::Cents cents, int decimals);
/// A 64's AV line for a fee, as the profile's fees.av_format and fees.amount_decimals say;
/// it starts with the fee id, which kiosks send back in a 37's CG.
[[nodiscard]] std::string av_line(const ils::Fee& f, const profiles::Behaviour::Fees& format);
[[nodiscard]] std::optional<ils::Cents> parse_money(std::string_view text);

/// What a library-system call was for: each failure reason has its own message per action.
enum class Action {
  find_patron,
  read_account,
  find_item,
  checkout,
  checkin,
  renew,
  renew_all,
  place_hold,
  cancel_hold,
  pay_fee,   ///< one fee named by the kiosk
  pay_fees,  ///< whatever the patron owes
  block_patron,
  enable_patron,
  update_item,
};

/// The catalogue key for a failure of `action`: distinct for every ils::errc.
[[nodiscard]] std::string_view failure_key(Action action, ils::errc e);
/// The screen message for a failed library-system call ({reason} is the library's own words).
[[nodiscard]] std::string failure_text(const Services& s, Action action, const ils::Failure& f);
/// "error" for transport-level failures, "refused" for the library system's refusals.
[[nodiscard]] std::string_view failure_result(const ils::Failure& f);

/// The refusal of a change not started because too little time was left (the kiosk may retry).
template <class R>
[[nodiscard]] Outcome no_time_for_change(R& a, const Services& s) {
  a.screen_message.push_back(s.catalogue.text("backend.try_again"));
  return {a, "refused", "change not started: too little time left"};
}

/// A patron identified (and optionally authenticated) for a request.
struct PatronCheck {
  std::optional<ils::Patron> patron;
  /// The identity cache's record of the patron: the status bitmap and counts come from it.
  std::optional<identity::Record> record;
  identity::Key key;  ///< the record's key in the identity cache; empty without one
  bool valid_patron = false;
  std::optional<bool> valid_password;   ///< nullopt when no AD was sent
  std::optional<ils::Failure> failure;  ///< the library system could not answer
  std::string screen;                   ///< why the patron may not proceed; empty when fine
};

/// Looks the patron up and checks AD when given (or required by the account policy).
[[nodiscard]] PatronCheck check_patron(const Terminal& t, const Services& s, const Request& r,
                                       std::string_view identifier,
                                       const std::optional<std::string>& password);

/// Applies what a request just did for the patron (a payment, a loan) to the identity cache's
/// record, so that an answer from the cache does not offer it again; nothing without a record.
void spent(const Services& s, const PatronCheck& c, ils::Cents paid, int loans);

/// The same from an identity-cache validation (either path).
[[nodiscard]] PatronCheck patron_check_of(const identity::Validation& v, const Terminal& t,
                                          const Services& s,
                                          const std::optional<std::string>& password);

/// What to do about a request's AD, by the terminal's profile (empty or absent AD) and policy.
enum class PinRule {
  check,     ///< verify it (a PIN was sent, or an empty one the profile says to verify)
  none,      ///< no check, CQ not reported
  valid,     ///< an empty AD the profile takes as right
  invalid,   ///< an empty or absent AD the profile takes as wrong
  required,  ///< none sent, and the terminal's policy requires one
};
[[nodiscard]] PinRule pin_rule(const Terminal& t, const std::optional<std::string>& password);

/// The cache query of a terminal's request.
[[nodiscard]] identity::Query identity_query(const Terminal& t, std::string_view identifier,
                                             const std::optional<std::string>& password);

/// True when a password was sent and is wrong, and the terminal's dialect does not ask for the
/// patron's details anyway: the answer then carries only what the spec requires.
[[nodiscard]] bool withhold_details(const PatronCheck& c,
                                    const std::optional<std::string>& password, const Terminal& t);

/// True when the patron may proceed to circulation: valid, password ok when sent or required.
[[nodiscard]] bool may_proceed(const PatronCheck& c);

/// The 14-position status bitmap from an account (and a patron's own state).
[[nodiscard]] sip2::PatronStatus status_bits(const ils::Patron* p, const ils::PatronAccount* a);

/// The policy of the terminal's account (defaults when not logged in).
/// What the terminal may do: its account's policy, narrowed by its profile's acs_status flags
/// (a profile can only take a capability away) and with the profile's 98 timing values.
[[nodiscard]] config::Policy policy(const Terminal& t);

}  // namespace handlers::detail
