// 11 Checkout, 09 Checkin, 29 Renew, 65 Renew All.
#include "handlers/patron_handlers.hpp"
#include "handlers/support.hpp"

namespace handlers::detail {

namespace {

template <class Response>
void fill_loan(Response& a, const ils::Loan& l, const Terminal& t, const Services& s,
               std::string_view key) {
  a.ok = true;
  a.title_identifier = l.title;
  a.magnetic_media = magnetic_media(s, l.material_type);
  a.due_date = due_text(l.due_date, t.dialect, s.settings.time_zone);
  sip2::Dialect readable;
  readable.due_date_format = sip2::DueDateFormat::iso_date;
  a.screen_message.push_back(s.catalogue.text(
      key, {{"title", l.title}, {"due", due_text(l.due_date, readable, s.settings.time_zone)}}));
}

/// When the item came back: the kiosk's return date (or transaction date) when it lies inside the
/// configured window, else the gateway's clock; `note` says why a kiosk date was not used.
ils::Timestamp return_date(const sip2::CheckinRequest& q, const Services& s, std::string& note) {
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(s.now());
  std::optional<ils::Timestamp> kiosk;
  if (q.return_date && !q.return_date->is_zero())
    kiosk = instant(*q.return_date, s);
  else if (!q.transaction_date.is_zero())
    kiosk = instant(q.transaction_date, s);
  if (!kiosk) return now;
  const auto& set = s.settings;
  if (*kiosk < now - set.return_date_max_age) {
    note = "kiosk return date " +
           std::to_string(std::chrono::duration_cast<std::chrono::hours>(now - *kiosk).count()) +
           " h old, outside the window: gateway clock used";
    return now;
  }
  if (*kiosk > now + set.return_date_max_future) {
    note = "kiosk return date " + std::to_string((*kiosk - now).count()) +
           " s in the future, outside the window: gateway clock used";
    return now;
  }
  return *kiosk;
}

}  // namespace

Outcome checkout(const sip2::CheckoutRequest& q, Terminal& t, const Services& s, const Request& r) {
  auto a = patron_answer<sip2::CheckoutResponse>(q, t, s);
  a.item_identifier = q.item_identifier;
  a.magnetic_media = sip2::Tristate::unknown;
  a.desensitize = sip2::Tristate::no;
  auto c = check_patron(t, s, r, q.patron_identifier, q.patron_password);
  a.valid_patron = c.valid_patron;
  a.valid_patron_password = c.valid_password;
  if (!may_proceed(c)) {
    a.screen_message.push_back(c.screen);
    return {a, c.failure ? failure_result(*c.failure) : "refused", "patron may not borrow"};
  }
  if (!r.time_for_change(s.settings)) return no_time_for_change(a, s);
  auto loan = s.backend.checkout(r.change(s.settings), {c.patron->ref(), q.item_identifier, {}});
  if (loan) {
    fill_loan(a, *loan, t, s, "checkout.ok");
    a.desensitize = sip2::Tristate::yes;
    return {a, "ok", {}};
  }
  if (loan.error().code != ils::errc::rejected) {
    a.screen_message.push_back(failure_text(s, Action::checkout, loan.error()));
    return {a, failure_result(loan.error()), "checkout refused"};
  }
  // A refused item exists: the kiosk shows its title (AJ) and magnetic media with the refusal.
  auto item = s.backend.item(r.call(), q.item_identifier);
  if (item) {
    a.title_identifier = item->title;
    a.magnetic_media = magnetic_media(s, item->material_type);
  }
  // The kiosk re-scans an item the patron already has: renew it when the kiosk allows (spec
  // "SC renewal policy"), as the ILS peers do.
  if (q.sc_renewal_policy) {
    if (item && item->borrower_id == c.patron->id) {
      if (!r.time_for_change(s.settings)) return no_time_for_change(a, s);
      auto renewed =
          s.backend.renew(r.change(s.settings), {c.patron->ref(), q.item_identifier, {}});
      if (renewed) {
        fill_loan(a, *renewed, t, s, "renew.ok");
        a.renewal_ok = true;
        a.desensitize = sip2::Tristate::yes;
        return {a, "ok", "renewed on re-checkout"};
      }
      a.screen_message.push_back(failure_text(s, Action::renew, renewed.error()));
      return {a, failure_result(renewed.error()), "renewal refused"};
    }
  }
  a.screen_message.push_back(failure_text(s, Action::checkout, loan.error()));
  return {a, failure_result(loan.error()), "checkout refused"};
}

Outcome checkin(const sip2::CheckinRequest& q, Terminal& t, const Services& s, const Request& r) {
  sip2::CheckinResponse a;
  a.transaction_date = now_stamp(t, s);
  a.institution_id = q.institution_id;
  a.item_identifier = q.item_identifier;
  a.resensitize = sip2::Tristate::no;
  a.magnetic_media = sip2::Tristate::unknown;
  std::string note;
  const auto returned = return_date(q, s, note);
  if (!r.time_for_change(s.settings)) return no_time_for_change(a, s);
  auto res = s.backend.checkin(r.change(s.settings), {q.item_identifier, returned, {}, {}});
  if (!res) {
    a.screen_message.push_back(failure_text(s, Action::checkin, res.error()));
    return {a, failure_result(res.error()), "checkin refused"};
  }
  const auto& item = res->item;
  a.ok = true;
  a.resensitize = res->hold_trapped ? sip2::Tristate::no : sip2::Tristate::yes;
  a.permanent_location = item.permanent_location;
  a.title_identifier = item.title;
  a.magnetic_media = magnetic_media(s, item.material_type);
  if (!item.call_number.empty()) a.call_number = item.call_number;
  if (!res->borrower_barcode.empty()) a.patron_identifier = res->borrower_barcode;
  switch (res->alert) {
    case ils::CheckinAlert::hold:
      a.alert = true;
      a.alert_type = sip2::AlertType::hold_for_this_library;
      a.screen_message.push_back(s.catalogue.text("checkin.hold"));
      break;
    case ils::CheckinAlert::hold_in_transit:
      a.alert = true;
      a.alert_type = sip2::AlertType::hold_for_other_branch;
      a.screen_message.push_back(s.catalogue.text("checkin.hold"));
      break;
    case ils::CheckinAlert::in_transit:
      a.alert = true;
      a.alert_type = sip2::AlertType::send_to_other_branch;
      a.screen_message.push_back(
          s.catalogue.text("checkin.transit", {{"destination", res->in_transit_destination}}));
      break;
    case ils::CheckinAlert::other:
      a.alert = true;
      a.alert_type = sip2::AlertType::other;
      break;
    case ils::CheckinAlert::none:
      a.screen_message.push_back(s.catalogue.text("checkin.ok", {{"title", item.title}}));
      break;
  }
  if (!res->in_transit_destination.empty()) a.destination_location = res->in_transit_destination;
  if (res->hold_trapped && !res->hold_patron_barcode.empty())
    a.hold_patron_id = res->hold_patron_barcode;
  // The item is back; that its holds could not be read afterwards is for staff, not the kiosk.
  if (res->hold_check_failure) {
    if (!note.empty()) note += "; ";
    note += "checked in; open requests not read: " + res->hold_check_failure->code.message();
  }
  return {a, "ok", note};
}

Outcome renew(const sip2::RenewRequest& q, Terminal& t, const Services& s, const Request& r) {
  auto a = patron_answer<sip2::RenewResponse>(q, t, s);
  a.item_identifier = q.item_identifier.value_or("");
  a.desensitize = sip2::Tristate::no;  // a refused renewal must not desensitize
  auto c = check_patron(t, s, r, q.patron_identifier, q.patron_password);
  a.valid_patron = c.valid_patron;
  a.valid_patron_password = c.valid_password;
  if (!may_proceed(c)) {
    a.screen_message.push_back(c.screen);
    return {a, c.failure ? failure_result(*c.failure) : "refused", "patron may not renew"};
  }
  if (!q.item_identifier || q.item_identifier->empty()) {
    a.screen_message.push_back(s.catalogue.text("item.unknown"));
    return {a, "refused", "renewal by title is not supported"};
  }
  if (!r.time_for_change(s.settings)) return no_time_for_change(a, s);
  auto loan = s.backend.renew(r.change(s.settings), {c.patron->ref(), *q.item_identifier, {}});
  if (!loan) {
    a.screen_message.push_back(failure_text(s, Action::renew, loan.error()));
    return {a, failure_result(loan.error()), "renewal refused"};
  }
  fill_loan(a, *loan, t, s, "renew.ok");
  a.renewal_ok = true;
  a.desensitize = sip2::Tristate::yes;
  return {a, "ok", {}};
}

Outcome renew_all(const sip2::RenewAllRequest& q, Terminal& t, const Services& s,
                  const Request& r) {
  sip2::RenewAllResponse a;
  a.transaction_date = now_stamp(t, s);
  a.institution_id = q.institution_id;
  auto c = check_patron(t, s, r, q.patron_identifier, q.patron_password);
  if (!may_proceed(c)) {
    a.screen_message.push_back(c.screen);
    return {a, c.failure ? failure_result(*c.failure) : "refused", "patron may not renew"};
  }
  if (!r.time_for_change(s.settings)) return no_time_for_change(a, s);
  auto res = s.backend.renew_all(r.change(s.settings), c.patron->ref());
  if (!res) {
    a.screen_message.push_back(failure_text(s, Action::renew_all, res.error()));
    return {a, failure_result(res.error()), "renew all failed"};
  }
  a.ok = true;
  for (const auto& l : res->renewed)
    a.renewed_items.push_back(l.item_barcode);
  for (const auto& u : res->unrenewed)
    a.unrenewed_items.push_back(u.item_barcode);
  a.renewed_count = static_cast<std::uint16_t>(std::min<std::size_t>(res->renewed.size(), 9999));
  a.unrenewed_count =
      static_cast<std::uint16_t>(std::min<std::size_t>(res->unrenewed.size(), 9999));
  a.screen_message.push_back(
      s.catalogue.text("renew_all.done", {{"renewed", std::to_string(res->renewed.size())},
                                          {"unrenewed", std::to_string(res->unrenewed.size())}}));
  return {a, "ok", {}};
}

}  // namespace handlers::detail
