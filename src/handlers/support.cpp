// Shared handler helpers: time and money formats, failure texts, patron checks.
#include "handlers/support.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

#include "sip2/charset.hpp"

namespace handlers::detail {

sip2::Timestamp stamp(ils::Timestamp t, sip2::ZoneField field, const zone::TimeZone& zone) {
  switch (field) {
    case sip2::ZoneField::utc_z:
      return sip2::Timestamp::from_sys(t, true);
    case sip2::ZoneField::military_letter: {
      const auto offset = zone.offset_at(t);
      if (const auto letter = sip2::zone_letter(offset))
        return sip2::Timestamp::from_sys(t, offset, *letter);
      return sip2::Timestamp::from_sys(t, true);  // no letter names this offset: UTC says it
    }
    case sip2::ZoneField::local_blank:
      break;
  }
  return sip2::Timestamp::from_sys(t, zone.offset_at(t), ' ');
}

sip2::Timestamp stamp(ils::Timestamp t, const Terminal& term, const Services& s) {
  return stamp(t, term.dialect.zone_field, zone_of(term, s));
}

sip2::Timestamp now_stamp(const Terminal& t, const Services& s) {
  return stamp(std::chrono::time_point_cast<std::chrono::seconds>(s.now()), t, s);
}

ils::Timestamp instant(const sip2::Timestamp& t, const Terminal& term, const Services& s) {
  return t.stated_offset() ? t.to_sys() : zone_of(term, s).to_sys(t.local_time());
}

std::string due_text(const std::optional<ils::Timestamp>& due, const sip2::Dialect& d,
                     const zone::TimeZone& zone) {
  if (!due) return {};
  char buf[32];
  switch (d.due_date_format) {
    case sip2::DueDateFormat::iso_date_time: {
      const auto t = stamp(*due, sip2::ZoneField::utc_z, zone);
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", t.year, t.month, t.day,
                    t.hour, t.minute, t.second);
      return buf;
    }
    case sip2::DueDateFormat::iso_local: {
      const auto t = stamp(*due, sip2::ZoneField::local_blank, zone);
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", t.year, t.month, t.day,
                    t.hour, t.minute, t.second);
      return buf;
    }
    case sip2::DueDateFormat::iso_date: {
      const auto t = stamp(*due, sip2::ZoneField::local_blank, zone);
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", t.year, t.month, t.day);
      return buf;
    }
    case sip2::DueDateFormat::sip:
      break;
  }
  return sip2::format_timestamp(stamp(*due, d.zone_field, zone));
}

namespace {

/// A material type as the circulation maps key it (lower case).
std::string material_key(std::string_view material_type) {
  std::string key(material_type);
  for (auto& ch : key)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return key;
}

}  // namespace

sip2::Tristate magnetic_media(const Services& s, std::string_view material_type) {
  const auto it = s.settings.magnetic_media.find(material_key(material_type));
  if (it == s.settings.magnetic_media.end()) return sip2::Tristate::unknown;
  return it->second ? sip2::Tristate::yes : sip2::Tristate::no;
}

std::string media_type(const Services& s, std::string_view material_type) {
  const auto it = s.settings.media_types.find(material_key(material_type));
  return it == s.settings.media_types.end() ? "000" : it->second;
}

std::string money(ils::Cents cents) {
  const char* sign = cents < 0 ? "-" : "";
  const auto v = cents < 0 ? -cents : cents;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", sign, static_cast<long long>(v / 100),
                static_cast<long long>(v % 100));
  return buf;
}

std::string money(ils::Cents cents, int decimals) {
  if (decimals >= 2) return money(cents) + std::string(static_cast<std::size_t>(decimals - 2), '0');
  // Fewer digits: the magnitude rounded half up (2.50 reads "3" with none); no "-0".
  const long long v = cents < 0 ? -cents : cents;
  const long long unit = decimals == 1 ? 10 : 100;
  const long long rounded = (v + unit / 2) / unit;
  const std::string sign = cents < 0 && rounded != 0 ? "-" : "";
  if (decimals == 1)
    return sign + std::to_string(rounded / 10) + "." + std::to_string(rounded % 10);
  return sign + std::to_string(rounded);
}

std::string av_line(const ils::Fee& f, const profiles::Behaviour::Fees& format) {
  using F = profiles::Behaviour::Fees::AvFormat;
  const std::string amount = money(f.remaining, format.amount_decimals);
  const std::string title = f.title.empty() ? std::string() : " " + f.title;
  switch (format.av_format) {
    case F::quoted_type:  // MK: the kiosk's pattern skips the quoted type; titles up to 60
      return f.id + " " + amount + " \"" + f.type + "\"" +
             (f.title.empty() ? std::string()
                              : " " + std::string(sip2::code_point_prefix(f.title, 60)));
    case F::dollar: {  // 3M and Swyer A: id $amount "TYPE" title
      std::string type = f.type;
      std::transform(type.begin(), type.end(), type.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      return f.id + " $" + amount + " \"" + type + "\"" + title;
    }
    case F::labelled:  // Swyer B
      return "Charge-Number: " + f.id + ", Amount-Due: " + amount + ", Fine-Type: " + f.type +
             ", Title: " + f.title;
    case F::plain:
      break;
  }
  return f.id + " " + amount + " " + f.type + title;
}

std::optional<ils::Cents> parse_money(std::string_view text) {
  while (!text.empty() && text.front() == ' ')
    text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ')
    text.remove_suffix(1);
  const auto dot = text.find('.');
  const auto whole = text.substr(0, dot);
  const auto frac = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 9 || frac.size() > 2) return std::nullopt;
  long long w = 0;
  long long f = 0;
  auto [e1, c1] = std::from_chars(whole.data(), whole.data() + whole.size(), w);
  if (c1 != std::errc{} || e1 != whole.data() + whole.size() || w < 0) return std::nullopt;
  if (!frac.empty()) {
    auto [e2, c2] = std::from_chars(frac.data(), frac.data() + frac.size(), f);
    if (c2 != std::errc{} || e2 != frac.data() + frac.size() || f < 0) return std::nullopt;
    if (frac.size() == 1) f *= 10;
  }
  return w * 100 + f;
}

std::string_view failure_result(const ils::Failure& f) {
  const auto e = static_cast<ils::errc>(f.code.value());
  if (e == ils::errc::rejected || e == ils::errc::not_found || e == ils::errc::invalid_identifier ||
      e == ils::errc::not_supported || e == ils::errc::insufficient_time)
    return "refused";
  return "error";
}

namespace {

/// The key when the thing the action is about does not exist.
std::string_view not_found_key(Action action) {
  switch (action) {
    case Action::find_item:
    case Action::checkout:
    case Action::checkin:
    case Action::renew:
    case Action::place_hold:
    case Action::update_item:
      return "item.unknown";
    case Action::cancel_hold:
      return "hold.not_found";
    case Action::pay_fee:
      return "fee.unknown";
    case Action::pay_fees:
      return "fee.none_owed";
    case Action::find_patron:
    case Action::read_account:
    case Action::renew_all:
    case Action::block_patron:
    case Action::enable_patron:
      break;
  }
  return "patron.unknown";
}

/// The key when the library system refuses the action ({reason} carries its words).
std::string_view rejected_key(Action action) {
  switch (action) {
    case Action::find_item:
      return "item.refused";
    case Action::checkout:
      return "checkout.refused";
    case Action::checkin:
      return "checkin.refused";
    case Action::renew:
    case Action::renew_all:
      return "renew.refused";
    case Action::place_hold:
    case Action::cancel_hold:
      return "hold.refused";
    case Action::pay_fee:
    case Action::pay_fees:
      return "fee.refused";
    case Action::block_patron:
      return "block.refused";
    case Action::enable_patron:
      return "enable.refused";
    case Action::update_item:
      return "item_status.refused";
    case Action::find_patron:
    case Action::read_account:
      break;
  }
  return "patron.blocked";
}

}  // namespace

std::string_view failure_key(Action action, ils::errc e) {
  switch (e) {
    case ils::errc::not_found:
      return not_found_key(action);
    case ils::errc::rejected:
      return rejected_key(action);
    case ils::errc::invalid_identifier:
      return "identifier.invalid";
    case ils::errc::unavailable:
      return "backend.unavailable";
    case ils::errc::timeout:
      return "backend.timeout";
    case ils::errc::unauthorized:
      return "backend.unauthorized";
    case ils::errc::bad_response:
      return "backend.bad_response";
    case ils::errc::not_supported:
      return action == Action::update_item ? "item_status.unsupported" : "unsupported";
    case ils::errc::insufficient_time:
      return "backend.try_again";
  }
  return "backend.error";
}

std::string failure_text(const Services& s, Action action, const ils::Failure& f) {
  const auto e = f.code.category() == ils::category() ? static_cast<ils::errc>(f.code.value())
                                                      : ils::errc::bad_response;
  return s.catalogue.text(failure_key(action, e), {{"reason", f.message}});
}

config::Policy policy(const Terminal& t) {
  config::Policy p = t.account ? t.account->policy : config::Policy{};
  const auto& acs = t.behaviour.acs;
  p.checkin = p.checkin && acs.checkin_ok;
  p.checkout = p.checkout && acs.checkout_ok;
  p.renewal = p.renewal && acs.renewal_ok;
  p.item_status_update = p.item_status_update && acs.status_update_ok;
  p.offline_ok = p.offline_ok && acs.offline_ok;
  if (acs.timeout_period) p.timeout_period = *acs.timeout_period;
  if (acs.retries_allowed) p.retries_allowed = *acs.retries_allowed;
  return p;
}

namespace {

/// Inactive or expired: why the patron may not proceed (when nothing else was found).
void check_standing(PatronCheck& c, const Services& s) {
  const auto& p = *c.patron;
  if (c.screen.empty() && !p.active) c.screen = s.catalogue.text("patron.inactive");
  if (c.screen.empty() && p.expires_at &&
      *p.expires_at < std::chrono::time_point_cast<std::chrono::seconds>(s.now()))
    c.screen = s.catalogue.text("patron.expired");
}

}  // namespace

PinRule pin_rule(const Terminal& t, const std::optional<std::string>& password) {
  using EP = sip2::Dialect::EmptyPin;
  if (password && !password->empty()) return PinRule::check;
  if (password) {  // AD sent, empty
    switch (t.dialect.empty_pin) {
      case EP::verify:
        return PinRule::check;
      case EP::treat_valid:
        return PinRule::valid;
      case EP::treat_invalid:
        return PinRule::invalid;
      case EP::as_absent:
        break;
    }
  }
  if (t.dialect.absent_pin == sip2::Dialect::AbsentPin::treat_invalid) return PinRule::invalid;
  return policy(t).require_patron_password ? PinRule::required : PinRule::none;
}

identity::Query identity_query(const Terminal& t, std::string_view identifier,
                               const std::optional<std::string>& password) {
  identity::Query q;
  q.institution = t.account ? std::string_view(t.account->institution) : std::string_view();
  q.identifier = identifier;
  // A view of the request's own AD (an empty one when the profile verifies an empty AD).
  if (pin_rule(t, password) == PinRule::check)
    q.pin = password ? std::string_view(*password) : std::string_view();
  return q;
}

namespace {

/// CQ and the screen message when the profile or policy decides without a check.
void apply_pin_rule(PatronCheck& c, PinRule rule, const Services& s) {
  if (rule == PinRule::valid) c.valid_password = true;
  if (rule == PinRule::invalid) {
    c.valid_password = false;
    c.screen = s.catalogue.text("patron.bad_password");
  }
  if (rule == PinRule::required) {
    c.valid_password = false;
    c.screen = s.catalogue.text("patron.password_required");
  }
}

}  // namespace

PatronCheck patron_check_of(const identity::Validation& v, const Terminal& t, const Services& s,
                            const std::optional<std::string>& password) {
  PatronCheck c;
  using Found = identity::Validation::Found;
  if (v.found == Found::no) {
    // As without the cache: an unreadable identifier has its own message.
    c.screen = v.failure ? failure_text(s, Action::find_patron, *v.failure)
                         : s.catalogue.text("patron.unknown");
    return c;
  }
  if (v.found == Found::unknown) {
    // Not in the cache (or too old to use) and the library system cannot be asked: its
    // failure's own message ("not available", "did not answer").
    c.failure = v.failure;
    c.screen = v.failure ? failure_text(s, Action::find_patron, *v.failure)
                         : s.catalogue.text("patron.validation_unavailable");
    return c;
  }
  c.record = v.record;
  c.key = v.key;
  c.patron = identity::patron_of(*v.record);
  c.valid_patron = true;
  if (v.pin_ok) {
    c.valid_password = *v.pin_ok;
    if (v.locked) {
      c.screen = s.catalogue.text("patron.locked");
    } else if (!*v.pin_ok && v.failure) {
      c.failure = v.failure;
      c.screen = s.catalogue.text("patron.validation_unavailable");
    } else if (!*v.pin_ok) {
      c.screen = s.catalogue.text("patron.bad_password");
    }
  } else {
    apply_pin_rule(c, pin_rule(t, password), s);
  }
  check_standing(c, s);
  return c;
}

void spent(const Services& s, const PatronCheck& c, ils::Cents paid, int loans) {
  if (s.identity == nullptr || c.key.empty() || (paid <= 0 && loans == 0)) return;
  s.identity->cache().adjust(c.key, paid, loans);
}

PatronCheck check_patron(const Terminal& t, const Services& s, const Request& r,
                         std::string_view identifier, const std::optional<std::string>& password) {
  if (s.identity != nullptr) {
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(s.now());
    const auto v = s.identity->validate(identity_query(t, identifier, password), s.backend,
                                        r.call(), now, s.crypto, s.background);
    return patron_check_of(v, t, s, password);
  }
  PatronCheck c;
  auto p = s.backend.lookup_patron(r.call(), identifier);
  if (!p) {
    const auto e = static_cast<ils::errc>(p.error().code.value());
    if (e != ils::errc::not_found && e != ils::errc::invalid_identifier) c.failure = p.error();
    c.screen = failure_text(s, Action::find_patron, p.error());
    return c;
  }
  c.patron = *p;
  c.valid_patron = true;
  const auto rule = pin_rule(t, password);
  if (rule == PinRule::check) {
    auto v = s.backend.verify_credential(r.call(), *p, password.value_or(std::string()));
    if (!v) {
      c.failure = v.error();
      c.screen = failure_text(s, Action::find_patron, v.error());
      return c;
    }
    c.valid_password = *v != ils::CredentialCheck::invalid;
    if (!*c.valid_password) c.screen = s.catalogue.text("patron.bad_password");
  } else {
    apply_pin_rule(c, rule, s);
  }
  check_standing(c, s);
  return c;
}

bool withhold_details(const PatronCheck& c, const std::optional<std::string>& password,
                      const Terminal& t) {
  // A PIN sent (even empty) and found wrong; a missing one withholds nothing it did not ask.
  const bool wrong = password.has_value() && c.valid_password == false;
  return wrong && !t.dialect.patron_details_on_bad_password;
}

bool may_proceed(const PatronCheck& c) {
  return c.valid_patron && c.valid_password.value_or(true) && !c.failure && c.screen.empty();
}

sip2::PatronStatus status_bits(const ils::Patron* p, const ils::PatronAccount* a) {
  using F = sip2::PatronFlag;
  sip2::PatronStatus s;
  if (p == nullptr) {
    for (auto f : {F::charge_privileges_denied, F::renewal_privileges_denied,
                   F::recall_privileges_denied, F::hold_privileges_denied})
      sip2::set(s, f);
    return s;
  }
  const bool inactive = !p->active;
  if (inactive)
    sip2::set(s, F::charge_privileges_denied), sip2::set(s, F::renewal_privileges_denied);
  if (a != nullptr) {
    if (a->borrowing_blocked) sip2::set(s, F::charge_privileges_denied);
    if (a->renewals_blocked) sip2::set(s, F::renewal_privileges_denied);
    if (a->requests_blocked)
      sip2::set(s, F::hold_privileges_denied), sip2::set(s, F::recall_privileges_denied);
    if (a->overdue_count > 0 && a->borrowing_blocked) sip2::set(s, F::too_many_items_overdue);
    if (a->fee_total > 0 && a->borrowing_blocked) sip2::set(s, F::excessive_outstanding_fees);
  }
  return s;
}

}  // namespace handlers::detail
