// Routing a request to its handler after the policy checks, and the 98 status.
#include "handlers/change.hpp"
#include "handlers/patron_handlers.hpp"
#include "handlers/refusal.hpp"
#include "handlers/support.hpp"

#include <regex>

#include "identity/cache.hpp"

namespace handlers {

namespace {

using detail::policy;

/// Whether the account policy and the backend allow a request kind.
bool allowed(sip2::Command c, const config::Policy& p, const ils::Capabilities& caps) {
  using C = sip2::Command;
  switch (c) {
    case C::checkout_request:
      return p.checkout && caps.checkout;
    case C::checkin_request:
      return p.checkin && caps.checkin;
    case C::renew_request:
      return p.renewal && caps.renew;
    case C::renew_all_request:
      return p.renewal && caps.renew_all;
    case C::fee_paid_request:
      return p.fee_paid && caps.fee_paid;
    case C::hold_request:
      return p.hold && (caps.hold || caps.cancel_hold);
    case C::block_patron_request:
      return p.block_patron && caps.block_patron;
    case C::patron_enable_request:
      return p.enable_patron && caps.enable_patron;
    case C::item_status_update_request:
      return p.item_status_update && caps.item_status_update;
    case C::patron_status_request:
      return caps.patron_status;
    case C::patron_information_request:
      return caps.patron_information;
    case C::item_information_request:
      return caps.item_information;
    default:
      return true;
  }
}

}  // namespace

namespace {

/// The 98's BX position of a request; nullopt for one BX does not name.
std::optional<sip2::Supported> bx_of(sip2::Command c) {
  using C = sip2::Command;
  using S = sip2::Supported;
  switch (c) {
    case C::patron_status_request:
      return S::patron_status;
    case C::checkout_request:
      return S::checkout;
    case C::checkin_request:
      return S::checkin;
    case C::block_patron_request:
      return S::block_patron;
    case C::patron_information_request:
      return S::patron_information;
    case C::fee_paid_request:
      return S::fee_paid;
    case C::item_information_request:
      return S::item_information;
    case C::item_status_update_request:
      return S::item_status_update;
    case C::patron_enable_request:
      return S::patron_enable;
    case C::hold_request:
      return S::hold;
    case C::renew_request:
      return S::renew;
    case C::renew_all_request:
      return S::renew_all;
    default:
      return std::nullopt;
  }
}

/// allowed() for this terminal: its account's policy, the backend, and its profile (fees, and
/// acs_status.supported_messages_bx).
bool allowed_here(sip2::Command c, const Terminal& t, const ils::Capabilities& caps) {
  if (c == sip2::Command::fee_paid_request && !t.behaviour.fees_supported) return false;
  if (const auto& bx = t.behaviour.acs.supported; bx)
    if (const auto at = bx_of(c); at && !bx->test(static_cast<std::size_t>(*at))) return false;
  return allowed(c, policy(t), caps);
}

std::optional<Outcome> answer_as_sent(const sip2::AnyMessage& request, Terminal& t,
                                      const Services& s);
Outcome handle_as_sent(const sip2::AnyMessage& request, Terminal& t, const Services& s,
                       const Request& r);

/// The patron identifier (AA) of a request or response, if it has one.
std::string* identifier_of(sip2::AnyMessage& m) {
  return std::visit(
      [](auto& q) -> std::string* {
        if constexpr (requires { q.patron_identifier.has_value(); })
          return q.patron_identifier ? &*q.patron_identifier : nullptr;
        else if constexpr (requires { q.patron_identifier; })
          return &q.patron_identifier;
        else
          return nullptr;
      },
      m);
}

/// patron.trim_identifiers and identifier_transform applied to `id`.
std::string transformed(const std::string& id, const profiles::Behaviour::Identifier& rules) {
  // Trimmed as the identity cache trims the identifiers it keys by.
  std::string out = rules.trim ? std::string(identity::normalize(id)) : id;
  for (const auto& t : rules.transforms)
    if (t.re) out = std::regex_replace(out, *t.re, t.replace);
  return out;
}

/// Runs `answer` on the request as the profile's identifier rules make it, and gives the
/// response the kiosk's own AA back (a kiosk compares the AA it sent with the one answered).
template <class Answer>
auto with_identifier(const sip2::AnyMessage& request, const Terminal& t, Answer answer)
    -> decltype(answer(request)) {
  const auto& rules = t.behaviour.identifier;
  if (!rules.any()) return answer(request);
  sip2::AnyMessage changed = request;
  std::string* id = identifier_of(changed);
  if (id == nullptr) return answer(request);
  const std::string sent = *id;
  *id = transformed(sent, rules);
  if (*id == sent) return answer(request);
  auto out = answer(changed);
  auto restore = [&](Outcome& o) {
    if (std::string* aa = identifier_of(o.response); aa != nullptr && *aa == *id) *aa = sent;
  };
  if constexpr (std::is_same_v<decltype(out), Outcome>)
    restore(out);
  else if (out)
    restore(*out);
  return out;
}

/// patron.password.send_cq_only_when_ad_present: an answer to a request without AD carries no
/// CQ (whatever the password policy decided).
void cq_as_profiled(const sip2::AnyMessage& request, Outcome& out, const Terminal& t) {
  if (!t.behaviour.cq_only_with_ad) return;
  const bool had_ad = std::visit(
      [](const auto& q) {
        if constexpr (requires { q.patron_password; })
          return q.patron_password.has_value();
        else
          return true;
      },
      request);
  if (had_ad) return;
  std::visit(
      [](auto& a) {
        if constexpr (requires { a.valid_patron_password; }) a.valid_patron_password.reset();
      },
      out.response);
}

}  // namespace

sip2::AnyMessage as_read(const sip2::AnyMessage& request, const Terminal& t) {
  sip2::AnyMessage out = request;
  if (std::string* id = identifier_of(out)) *id = transformed(*id, t.behaviour.identifier);
  return out;
}

std::optional<Outcome> answer_locally(const sip2::AnyMessage& request, Terminal& t,
                                      const Services& s) {
  auto out = with_identifier(request, t,
                             [&](const sip2::AnyMessage& m) { return answer_as_sent(m, t, s); });
  if (out) cq_as_profiled(request, *out, t);
  return out;
}

Outcome handle(const sip2::AnyMessage& request, Terminal& t, const Services& s, const Request& r) {
  auto out = with_identifier(request, t,
                             [&](const sip2::AnyMessage& m) { return handle_as_sent(m, t, s, r); });
  cq_as_profiled(request, out, t);
  return out;
}

namespace {

std::optional<Outcome> answer_as_sent(const sip2::AnyMessage& request, Terminal& t,
                                      const Services& s) {
  const auto* q = std::get_if<sip2::PatronStatusRequest>(&request);
  if (q == nullptr || s.identity == nullptr) return std::nullopt;
  if (!allowed_here(sip2::Command::patron_status_request, t, s.backend.capabilities()))
    return std::nullopt;
  return detail::patron_status_locally(*q, t, s);
}

Outcome handle_as_sent(const sip2::AnyMessage& request, Terminal& t, const Services& s,
                       const Request& r) {
  const auto cmd = sip2::command_of(request);
  if (!allowed_here(cmd, t, s.backend.capabilities()))
    return {refusal(request, s.catalogue.text("unsupported"), t, s), "refused", "not allowed"};
  return std::visit(
      [&](const auto& q) -> Outcome {
        using T = std::decay_t<decltype(q)>;
        if constexpr (std::is_same_v<T, sip2::PatronStatusRequest>)
          return detail::patron_status(q, t, s, r);
        else if constexpr (std::is_same_v<T, sip2::PatronInformationRequest>)
          return detail::patron_information(q, t, s, r);
        else if constexpr (std::is_same_v<T, sip2::EndPatronSessionRequest>)
          return detail::end_session(q, t, s, r);
        else if constexpr (std::is_same_v<T, sip2::BlockPatronRequest>)
          return detail::block_patron(q, t, s, r);
        else if constexpr (std::is_same_v<T, sip2::PatronEnableRequest>)
          return detail::patron_enable(q, t, s, r);
        else if constexpr (std::is_same_v<T, sip2::CheckoutRequest>)
          return detail::checkout(q, t, s, r);
        else if constexpr (std::is_same_v<T, sip2::CheckinRequest>)
          return detail::checkin(q, t, s, r);
        else if constexpr (std::is_same_v<T, sip2::RenewRequest>)
          return detail::renew(q, t, s, r);
        else if constexpr (std::is_same_v<T, sip2::RenewAllRequest>)
          return detail::renew_all(q, t, s, r);
        else if constexpr (std::is_same_v<T, sip2::ItemInformationRequest>)
          return detail::item_information(q, t, s, r);
        else if constexpr (std::is_same_v<T, sip2::ItemStatusUpdateRequest>)
          return detail::item_status_update(q, t, s, r);
        else if constexpr (std::is_same_v<T, sip2::HoldRequest>)
          return detail::hold(q, t, s, r);
        else if constexpr (std::is_same_v<T, sip2::FeePaidRequest>)
          return detail::fee_paid(q, t, s, r);
        else
          return {refusal(request, s.catalogue.text("unsupported"), t, s), "refused",
                  "not a request"};
      },
      request);
}

}  // namespace

sip2::AcsStatusResponse acs_status(const Terminal& t, const Services& s, bool online) {
  using S = sip2::Supported;
  const auto p = policy(t);
  const auto caps = s.backend.capabilities();
  sip2::AcsStatusResponse a;
  // Store-and-forward (offline mode, or auto with the circuit breaker open) is reported as
  // off-line, with a screen message saying what still works.
  const bool forwarding = detail::offline_now(t, s);
  // acs_status.online_status false: this kiosk is always told the ACS is off-line.
  a.online_status = online && !forwarding && t.behaviour.acs.online;
  if (online && forwarding) a.screen_message.push_back(s.catalogue.text("status.offline"));
  // The fixed flags agree with BX (a profile's supported_messages_bx narrows both).
  a.checkin_ok = allowed_here(sip2::Command::checkin_request, t, caps);
  a.checkout_ok = allowed_here(sip2::Command::checkout_request, t, caps);
  a.acs_renewal_policy = allowed_here(sip2::Command::renew_request, t, caps);
  a.status_update_ok = allowed_here(sip2::Command::item_status_update_request, t, caps);
  a.offline_ok = p.offline_ok;
  a.timeout_period = p.timeout_period;
  a.retries_allowed = p.retries_allowed;
  a.date_time_sync = detail::now_stamp(t, s);
  a.institution_id = t.account ? t.account->institution : t.behaviour.session.pre_login_institution;
  if (t.account && !t.behaviour.acs.institution_id.empty())
    a.institution_id = t.behaviour.acs.institution_id;
  a.library_name =
      t.behaviour.acs.library_name.empty() ? s.library_name : t.behaviour.acs.library_name;
  using LS = profiles::Behaviour::Acs::LocationSource;
  switch (t.behaviour.acs.location_source) {
    case LS::cp:
      if (!t.location.empty())
        a.terminal_location = t.location;
      else if (!t.behaviour.session.location_fallback.empty())
        a.terminal_location = t.behaviour.session.location_fallback;
      break;
    case LS::config:
      if (t.account && !t.account->location.empty()) a.terminal_location = t.account->location;
      break;
    case LS::none:
      break;
  }
  auto set = [&](S f, bool on) { a.supported_messages.set(static_cast<std::size_t>(f), on); };
  using C = sip2::Command;
  set(S::patron_status, allowed_here(C::patron_status_request, t, caps));
  set(S::checkout, allowed_here(C::checkout_request, t, caps));
  set(S::checkin, allowed_here(C::checkin_request, t, caps));
  set(S::block_patron, allowed_here(C::block_patron_request, t, caps));
  set(S::sc_acs_status, true);
  set(S::resend, true);
  set(S::login, true);
  set(S::patron_information, allowed_here(C::patron_information_request, t, caps));
  set(S::end_patron_session, true);
  set(S::fee_paid, allowed_here(C::fee_paid_request, t, caps));
  set(S::item_information, allowed_here(C::item_information_request, t, caps));
  set(S::item_status_update, allowed_here(C::item_status_update_request, t, caps));
  set(S::patron_enable, allowed_here(C::patron_enable_request, t, caps));
  set(S::hold, allowed_here(C::hold_request, t, caps));
  set(S::renew, allowed_here(C::renew_request, t, caps));
  set(S::renew_all, allowed_here(C::renew_all_request, t, caps));
  return a;
}

}  // namespace handlers
