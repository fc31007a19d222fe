// 17 Item Information, 19 Item Status Update, 15 Hold, 37 Fee Paid (19, 15 and 37 are changes
// journalled in the outbox, handlers/change.hpp, when the gateway has one).
#include "handlers/change.hpp"
#include "handlers/patron_handlers.hpp"
#include "handlers/support.hpp"

namespace handlers::detail {

using outbox::Op;

namespace {

sip2::CirculationStatus circulation_status(ils::ItemStatus st) {
  using C = sip2::CirculationStatus;
  switch (st) {
    case ils::ItemStatus::available:
      return C::available;
    case ils::ItemStatus::charged:
      return C::charged;
    case ils::ItemStatus::on_hold_shelf:
      return C::waiting_on_hold_shelf;
    case ils::ItemStatus::in_transit:
      return C::in_transit;
    case ils::ItemStatus::recalled:
      return C::recalled;
    case ils::ItemStatus::on_order:
      return C::on_order;
    case ils::ItemStatus::in_process:
      return C::in_process;
    case ils::ItemStatus::claimed_returned:
      return C::claimed_returned;
    case ils::ItemStatus::lost:
      return C::lost;
    case ils::ItemStatus::missing:
      return C::missing;
    case ils::ItemStatus::other:
      break;
  }
  return C::other;
}

}  // namespace

Outcome item_information(const sip2::ItemInformationRequest& q, Terminal& t, const Services& s,
                         const Request& r) {
  sip2::ItemInformationResponse a;
  a.transaction_date = now_stamp(t, s);
  a.item_identifier = q.item_identifier;
  a.security_marker = sip2::SecurityMarker::other;
  a.fee_type = sip2::FeeType::other;
  auto item = s.backend.item(r.call(), q.item_identifier);
  if (!item) {
    a.circulation_status = sip2::CirculationStatus::other;
    a.screen_message.push_back(failure_text(s, Action::find_item, item.error()));
    return {a, failure_result(item.error()), "item lookup failed"};
  }
  const auto& i = *item;
  a.circulation_status = circulation_status(i.status);
  a.title_identifier = i.title;
  if (i.due_date)
    a.due_date = due_text(i.due_date, t.dialect, zone_of(t, s));
  else if (t.behaviour.empty_due_when_not_on_loan)
    a.due_date = "";  // dates.due_date.when_not_checked_out "empty_field"
  a.hold_queue_length = std::to_string(i.hold_queue_length);
  if (!i.permanent_location.empty()) a.permanent_location = i.permanent_location;
  if (!i.current_location.empty()) a.current_location = i.current_location;
  if (!i.call_number.empty()) a.call_number = i.call_number;
  if (!i.status_name.empty()) a.screen_message.push_back(i.status_name);
  return {a, "ok", {}};
}

Outcome item_status_update(const sip2::ItemStatusUpdateRequest& q, Terminal& t, const Services& s,
                           const Request& r) {
  sip2::ItemStatusUpdateResponse a;
  a.transaction_date = now_stamp(t, s);
  a.item_identifier = q.item_identifier;
  const outbox::ItemStatusArgs args{q.item_identifier, q.item_properties};
  Change change{Op::item_status,
                q.institution_id,
                {},
                q.item_identifier,
                &q.transaction_date,
                args,
                false,
                false};
  auto d = decide<ils::Item>(std::move(change), t, s, r, [&] {
    return s.backend.update_item_status(r.change(s.settings), q.item_identifier, q.item_properties);
  });
  if (!d.value) {
    a.item_properties_ok = '0';
    a.screen_message.push_back(d.failure ? failure_text(s, Action::update_item, *d.failure)
                                         : d.screen);
    return {a, d.failure ? failure_result(*d.failure) : "refused", "item status update failed"};
  }
  a.item_properties_ok = '1';
  a.title_identifier = d.value->title;
  a.item_properties = q.item_properties;
  return {a, "ok", d.detail};
}

Outcome hold(const sip2::HoldRequest& q, Terminal& t, const Services& s, const Request& r) {
  auto a = patron_answer<sip2::HoldResponse>(q, t, s);
  a.item_identifier = q.item_identifier;
  a.title_identifier = q.title_identifier;
  auto c = check_patron(t, s, r, q.patron_identifier, q.patron_password);
  if (!may_proceed(c)) {
    a.screen_message.push_back(c.screen);
    return {a, c.failure ? failure_result(*c.failure) : "refused", "patron may not place holds"};
  }
  if (!q.item_identifier || q.item_identifier->empty() || q.hold_mode == sip2::HoldMode::change) {
    a.screen_message.push_back(s.catalogue.text(
        q.hold_mode == sip2::HoldMode::change ? "hold.mode_unsupported" : "item.unknown"));
    return {a, "refused", "hold needs an item barcode and mode + or -"};
  }
  const bool add = q.hold_mode == sip2::HoldMode::add;
  const ils::HoldRequest place{
      c.patron->ref(), *q.item_identifier, q.pickup_location.value_or(""),
      q.expiration_date ? std::optional(instant(*q.expiration_date, t, s)) : std::nullopt};
  const ils::CancelHoldRequest cancel{c.patron->ref(), *q.item_identifier, {}};
  Change change{add ? Op::hold_place : Op::hold_cancel,
                q.institution_id,
                q.patron_identifier,
                *q.item_identifier,
                &q.transaction_date,
                add ? nlohmann::json(place) : nlohmann::json(cancel),
                false,
                add && s.settings.outbox.offline.holds};
  auto d = decide<ils::Hold>(std::move(change), t, s, r, [&] {
    return add ? s.backend.place_hold(r.change(s.settings), place)
               : s.backend.cancel_hold(r.change(s.settings), cancel);
  });
  if (d.acknowledged) {
    a.ok = true;
    a.screen_message.push_back(s.catalogue.text("offline.hold"));
    return {a, "ok", d.detail};
  }
  if (!d.value) {
    a.screen_message.push_back(
        d.failure ? failure_text(s, add ? Action::place_hold : Action::cancel_hold, *d.failure)
                  : d.screen);
    return {a, d.failure ? failure_result(*d.failure) : "refused", "hold refused"};
  }
  const ils::Hold* h = &*d.value;
  a.ok = true;
  a.available = h->available;
  if (h->position > 0) a.queue_position = std::to_string(h->position);
  if (!h->pickup_location_id.empty()) a.pickup_location = h->pickup_location_id;
  if (h->expires_at) a.expiration_date = stamp(*h->expires_at, t, s);
  if (!h->title.empty()) a.title_identifier = h->title;
  a.screen_message.push_back(
      s.catalogue.text(q.hold_mode == sip2::HoldMode::add ? "hold.placed" : "hold.cancelled"));
  return {a, "ok", d.detail};
}

Outcome fee_paid(const sip2::FeePaidRequest& q, Terminal& t, const Services& s, const Request& r) {
  auto a = patron_answer<sip2::FeePaidResponse>(q, t, s);
  a.transaction_id = q.transaction_id;
  const auto amount = parse_money(q.fee_amount);
  if (!amount || *amount <= 0) {
    a.screen_message.push_back(s.catalogue.text("fee.bad_amount"));
    return {a, "refused", "bad amount"};
  }
  // fees.missing_fee_id "reject": a kiosk must say which fee it pays.
  if (t.behaviour.fees.require_fee_id && q.fee_identifier.value_or("").empty()) {
    a.screen_message.push_back(s.catalogue.text("fee.id_required"));
    return {a, "refused", "no fee id (CG)"};
  }
  auto c = check_patron(t, s, r, q.patron_identifier, q.patron_password);
  if (!c.patron || !c.valid_password.value_or(true) || c.failure) {
    a.screen_message.push_back(c.screen);
    return {a, c.failure ? failure_result(*c.failure) : "refused", "patron not valid"};
  }
  // The payment method is the backend's configured one, unless the profile's
  // fees.payment_type_map names the library system's method for the 37's payment type (SIP's
  // 00 cash, 01 VISA, 02 credit card do not name one).
  const auto& methods = t.behaviour.fees.payment_methods;
  const auto method = methods.find(static_cast<int>(q.payment_type));
  ils::FeePayment pay{c.patron->ref(),
                      q.fee_identifier.value_or(""),
                      *amount,
                      method != methods.end() ? method->second : std::string(),
                      q.transaction_id.value_or(r.id),
                      t.account ? t.account->login : std::string(),
                      {}};
  // fees.accept_extension_fields: the kiosk's register and check number go with the payment.
  for (const auto& code : t.behaviour.fees.payment_extensions)
    for (const auto& f : q.extra)
      if (f.code.view() == code && !f.value.empty())
        pay.comments += (pay.comments.empty() ? "" : "; ") + code + " " + f.value;
  // fees.register_id: the cash register the kiosk's payments are booked to.
  if (const auto& reg = t.behaviour.fees.register_id; !reg.empty())
    pay.comments += (pay.comments.empty() ? "" : "; ") + std::string("register ") + reg;
  // Offline, the kiosk has taken the money: accepted up to what the patron owed when the
  // identity cache last read the account.
  const bool within_balance = c.record && c.record->fee_balance >= *amount;
  // The amount is part of what the payment is: two payments of one fee with different amounts
  // in the same second are two transactions, not a retry.
  const std::string paid_for = q.fee_identifier.value_or("") + " " + money(*amount);
  Change change{Op::fee_paid,
                q.institution_id,
                q.patron_identifier,
                paid_for,
                &q.transaction_date,
                pay,
                false,
                s.settings.outbox.offline.payments && may_proceed(c) && within_balance};
  auto d = decide<ils::PaymentResult>(std::move(change), t, s, r,
                                      [&] { return s.backend.pay_fee(r.change(s.settings), pay); });
  if (d.acknowledged) {
    if (!d.repeated) spent(s, c, *amount, 0);
    a.payment_accepted = true;
    a.screen_message.push_back(s.catalogue.text("offline.fee_paid", {{"amount", money(*amount)}}));
    return {a, "ok", d.detail};
  }
  if (!d.value) {
    a.screen_message.push_back(
        d.failure
            ? failure_text(s, pay.fee_id.empty() ? Action::pay_fees : Action::pay_fee, *d.failure)
            : d.screen);
    return {a, d.failure ? failure_result(*d.failure) : "refused", "payment refused"};
  }
  if (!d.repeated) spent(s, c, d.value->paid, 0);
  a.payment_accepted = true;
  a.screen_message.push_back(s.catalogue.text("fee.paid", {{"amount", money(d.value->paid)}}));
  return {a, "ok", d.detail};
}

}  // namespace handlers::detail
