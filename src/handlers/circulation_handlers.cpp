// 11 Checkout, 09 Checkin, 29 Renew, 65 Renew All; each a change journalled in the outbox
// (handlers/change.hpp) when the gateway has one.
#include "handlers/change.hpp"
#include "handlers/patron_handlers.hpp"
#include "handlers/support.hpp"

namespace handlers::detail {

using outbox::Op;

namespace {

/// The magnetic-media flag as the profile reports it: from the material type, or always U.
sip2::Tristate magnetic_flag(const Terminal& t, const Services& s, std::string_view material) {
  return t.behaviour.checkout.magnetic_from_ils ? magnetic_media(s, material)
                                                : sip2::Tristate::unknown;
}

/// The desensitize flag for a loan made, as the profile's checkout.desensitize and
/// checkout.no_desensitize_patron_categories say (`group`: the patron's group, may be empty).
sip2::Tristate desensitize_for(const Terminal& t, const Services& s, std::string_view material,
                               std::string_view group) {
  using D = profiles::Behaviour::Checkout::Desensitize;
  const auto& profile = t.behaviour.checkout;
  if (profile.desensitize == D::never) return sip2::Tristate::no;
  const auto& groups = profile.no_desensitize_groups;
  if (!group.empty() && std::find(groups.begin(), groups.end(), group) != groups.end())
    return sip2::Tristate::no;
  // ils_decides: a desensitizer can damage magnetic media (the 3M guide's warning), so an item
  // whose material type is magnetic (circulation.magnetic_media) stays sensitized.
  if (profile.desensitize == D::by_material && magnetic_media(s, material) == sip2::Tristate::yes)
    return sip2::Tristate::no;
  return sip2::Tristate::yes;
}

/// The patron's group as the gateway knows it (the library system's record, or the cache's).
std::string_view group_of(const PatronCheck& c) {
  if (c.patron) return c.patron->patron_group;
  if (c.record) return c.record->patron_group;
  return {};
}

template <class Response>
void fill_loan(Response& a, const ils::Loan& l, const Terminal& t, const Services& s,
               std::string_view key) {
  a.ok = true;
  a.title_identifier = l.title;
  a.magnetic_media = magnetic_flag(t, s, l.material_type);
  if constexpr (requires { a.media_type; })
    if (t.behaviour.checkout.media_type_ck) a.media_type = media_type(s, l.material_type);
  a.due_date = due_text(l.due_date, t.dialect, zone_of(t, s));
  sip2::Dialect readable;
  readable.due_date_format = sip2::DueDateFormat::iso_date;
  a.screen_message.push_back(s.catalogue.text(
      key, {{"title", l.title}, {"due", due_text(l.due_date, readable, zone_of(t, s))}}));
}

/// When something happened at the kiosk: its date when it lies inside the configured window;
/// nullopt when it sent none or one outside the window (`note` then says why it was not used).
std::optional<ils::Timestamp> kiosk_time(const std::optional<sip2::Timestamp>& date,
                                         const Terminal& t, const Services& s,
                                         std::string_view what, std::string& note) {
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(s.now());
  if (!date || date->is_zero()) return std::nullopt;
  const auto kiosk = instant(*date, t, s);
  const auto& set = s.settings;
  if (kiosk < now - set.return_date_max_age) {
    note = "kiosk " + std::string(what) + " " +
           std::to_string(std::chrono::duration_cast<std::chrono::hours>(now - kiosk).count()) +
           " h old, outside the window: gateway clock used";
    return std::nullopt;
  }
  if (kiosk > now + set.return_date_max_future) {
    note = "kiosk " + std::string(what) + " " + std::to_string((kiosk - now).count()) +
           " s in the future, outside the window: gateway clock used";
    return std::nullopt;
  }
  return kiosk;
}

/// When the item came back: the kiosk's return date, else its transaction date, else now.
ils::Timestamp return_date(const sip2::CheckinRequest& q, const Terminal& t, const Services& s,
                           std::string& note) {
  const auto& date = q.return_date && !q.return_date->is_zero()
                         ? q.return_date
                         : std::optional<sip2::Timestamp>(q.transaction_date);
  return kiosk_time(date, t, s, "return date", note)
      .value_or(std::chrono::time_point_cast<std::chrono::seconds>(s.now()));
}

/// A replay is a kiosk's offline transaction: accepted as such only from a terminal whose
/// account allows offline operation (98 "offline ok"), and for check-outs and check-ins only
/// when its profile says the device stores them (offline.device_store_and_forward). A check-in's
/// no-block flag makes it a replay unless the profile says offline.checkin_no_block "normal".
bool replay_of(Op op, bool no_block, const sip2::Timestamp& date, const Terminal& t,
               const Services& s) {
  const auto& profile = t.behaviour.offline;
  if (op == Op::checkout && !profile.checkout_replays) return false;
  if (op == Op::checkin && !profile.checkin_replays) return false;
  if (op == Op::checkin && !profile.checkin_force) no_block = false;
  return s.outbox != nullptr && policy(t).offline_ok && is_replay(no_block, date, t, s);
}

/// The answer to a loan made or renewed without the library system: the kiosk's own due date
/// (a replay's no-block due date), the site's text, or today + the item rule's loan days.
template <class Response>
void fill_offline_loan(Response& a, const Terminal& t, const Services& s, std::string_view item,
                       const std::optional<sip2::Timestamp>& kiosk_due, std::string_view key,
                       std::string_view group) {
  a.ok = true;
  const auto rule = offline_item(s, item);
  a.desensitize = desensitize_for(t, s, rule.material_type, group);
  a.magnetic_media = magnetic_flag(t, s, rule.material_type);
  if constexpr (requires { a.media_type; })
    if (t.behaviour.checkout.media_type_ck) a.media_type = media_type(s, rule.material_type);
  const auto& text = s.settings.outbox.offline.due_date_text;
  std::optional<ils::Timestamp> due;
  if (kiosk_due && !kiosk_due->is_zero())
    due = instant(*kiosk_due, t, s);
  else if (text.empty())
    due = std::chrono::time_point_cast<std::chrono::seconds>(s.now()) +
          std::chrono::days(rule.loan_days);
  if (!due) {
    a.screen_message.push_back(s.catalogue.text("offline.checkout_due_text"));
    a.screen_message.push_back(text);
    return;
  }
  a.due_date = due_text(due, t.dialect, zone_of(t, s));
  sip2::Dialect readable;
  readable.due_date_format = sip2::DueDateFormat::iso_date;
  a.screen_message.push_back(
      s.catalogue.text(key, {{"due", due_text(due, readable, zone_of(t, s))}}));
}

/// Whether a material type is one of a profile's list (an unknown type is in none).
bool listed(const std::vector<std::string>& types, const std::string& material) {
  return !material.empty() && std::find(types.begin(), types.end(), material) != types.end();
}

/// checkin.sort_bin_cl: the CL of a return, from the first rule whose condition holds on the
/// item and the answer (its CV, its destination), else the default bin; none when both are
/// empty. lt and gt compare text (two-digit CVs and call numbers alike).
void sort_bin(sip2::CheckinResponse& a, const profiles::Behaviour::Checkin& p,
              const ils::Item& item, const std::string& destination) {
  using R = profiles::Behaviour::Checkin::SortRule;
  std::string cv;
  if (a.alert_type) {
    const auto n = static_cast<unsigned>(*a.alert_type);
    cv = {static_cast<char>('0' + n / 10 % 10), static_cast<char>('0' + n % 10)};
  }
  auto value_of = [&](R::Attribute at) -> const std::string& {
    switch (at) {
      case R::Attribute::location:
        return item.current_location;
      case R::Attribute::permanent_location:
        return item.permanent_location;
      case R::Attribute::material_type:
        return item.material_type;
      case R::Attribute::call_number:
        return item.call_number;
      case R::Attribute::cv:
        return cv;
      case R::Attribute::destination:
        return destination;
    }
    return cv;
  };
  auto holds = [&](const R& rule) {
    const std::string& v = value_of(rule.attribute);
    // An attribute the gateway does not know (empty: no CV, no destination, or an offline
    // return that knows only the item rule's material type) matches no rule.
    if (v.empty()) return false;
    switch (rule.op) {
      case R::Op::eq:
        return v == rule.value;
      case R::Op::ne:
        return v != rule.value;
      case R::Op::lt:
        return v < rule.value;
      case R::Op::gt:
        return v > rule.value;
      case R::Op::prefix:
        return v.starts_with(rule.value);
      case R::Op::regex:
        return rule.re != nullptr && std::regex_search(v, *rule.re);
    }
    return false;
  };
  const auto match = std::find_if(p.sort_rules.begin(), p.sort_rules.end(), holds);
  const std::string& bin = match != p.sort_rules.end() ? match->bin : p.default_bin;
  if (!bin.empty()) a.extra.push_back({sip2::field::sort_bin, bin});
}

/// checkout.in_house_only_item_types: a loan (or renewal) of such an item is for use in the
/// library: it stays sensitized and the screen says so.
template <class Response>
void in_house_only(Response& a, const Terminal& t, const Services& s, const std::string& material) {
  if (!listed(t.behaviour.checkout.in_house_types, material)) return;
  a.desensitize = sip2::Tristate::no;
  a.screen_message.push_back(s.catalogue.text("checkout.in_house"));
}

/// checkout.show_outstanding_amount: what the patron owes, as a screen line of a loan's answer
/// (from the identity cache's record, else the library system's account; nothing when that
/// cannot be read or nothing is owed).
void show_owed(sip2::CheckoutResponse& a, const Services& s, const Request& r,
               const PatronCheck& c) {
  std::optional<ils::Cents> owed;
  if (c.record) {
    owed = c.record->fee_balance;
  } else if (c.patron) {
    auto account = s.backend.patron_account(
        r.call(), c.patron->ref(),
        {.loans = false, .holds = false, .recalls = false, .fees = true, .blocks = false});
    if (account) owed = account->fee_total;
  }
  // A screen line only: a 12's BV is the fee of this loan, not the patron's balance.
  if (!owed || *owed <= 0) return;
  a.screen_message.push_back(s.catalogue.text("patron.fees_owed", {{"amount", money(*owed)}}));
}

/// The patron a change is made for: as found, or, for
/// a replay whose patron cannot be looked up now, by the identifier the kiosk sent (the library
/// system resolves it on delivery).
ils::PatronRef patron_for(const PatronCheck& c, std::string_view identifier) {
  if (c.patron) return c.patron->ref();
  return {std::string(), std::string(identifier)};
}

}  // namespace

Outcome checkout(const sip2::CheckoutRequest& q, Terminal& t, const Services& s, const Request& r) {
  auto a = patron_answer<sip2::CheckoutResponse>(q, t, s);
  a.item_identifier = q.item_identifier;
  a.magnetic_media = sip2::Tristate::unknown;
  a.desensitize = sip2::Tristate::no;
  const bool replay = replay_of(Op::checkout, q.no_block, q.transaction_date, t, s);
  const auto& offline = t.behaviour.offline;
  auto c = check_patron(t, s, r, q.patron_identifier, q.patron_password);
  a.valid_patron = c.valid_patron;
  a.valid_patron_password = c.valid_password;
  // A replay was lent at the kiosk already: a block of the patron no longer refuses it (it is
  // forced; what the library system refuses becomes an exception for staff).
  // (offline.checkout_no_block "apply_blocks": refused like a live one).
  const bool forced = replay && q.no_block && offline.checkout_force;
  if (!may_proceed(c) && !(forced && c.valid_password.value_or(true))) {
    a.screen_message.push_back(c.screen);
    return {a, c.failure ? failure_result(*c.failure) : "refused", "patron may not borrow"};
  }
  const auto& rules = t.behaviour.checkout;
  // checkout.blocked_item_types: refused before the library system is asked; the type is the
  // library system's, or the offline item rule's when it cannot say. A replay was lent by the
  // kiosk already and is not refused here.
  if (!rules.blocked_types.empty() && !replay) {
    // Store-and-forward (offline mode, or the breaker open): the offline item rule's type, with
    // no library-system call that would only wait for its timeout.
    auto known = offline_now(t, s)
                     ? ils::Result<ils::Item>(tl::unexpected(ils::Failure{
                           ils::make_error_code(ils::errc::unavailable), "store-and-forward"}))
                     : s.backend.item(r.call(), q.item_identifier);
    const std::string material = known ? known->material_type
                                       : (known.error().code == ils::errc::not_found
                                              ? std::string()
                                              : offline_item(s, q.item_identifier).material_type);
    if (listed(rules.blocked_types, material)) {
      if (known && rules.title_in_failure) a.title_identifier = known->title;
      a.screen_message.push_back(s.catalogue.text("checkout.item_type_blocked"));
      return {a, "refused", "item type not lent at this kiosk (profile)"};
    }
  }
  std::string note;
  ils::CheckoutRequest req;
  req.patron = patron_for(c, q.patron_identifier);
  req.item_barcode = q.item_identifier;
  if (offline.kiosk_event_time)
    req.loan_date = kiosk_time(q.transaction_date, t, s, "loan date", note);
  const auto kiosk_due = replay && offline.trust_nb_due ? q.nb_due_date : std::nullopt;
  if (kiosk_due && !kiosk_due->is_zero()) req.due_date = instant(*kiosk_due, t, s);
  req.override_blocks = forced;
  if (req.override_blocks) req.override_comment = "sip2gw: offline transaction of the kiosk";
  // offline.checkout_no_block "force_and_report": a loan lent past what the gateway knows
  // stands in the way (the patron's state, or a borrowing block in the identity cache) is said
  // in the request's log line (its detail; the session logs pseudonyms only).
  const bool cached_block =
      c.record && std::any_of(c.record->blocks.begin(), c.record->blocks.end(),
                              [](const ils::Block& b) { return b.borrowing; });
  if (forced && (!may_proceed(c) || cached_block) && offline.checkout_report)
    note +=
        std::string(note.empty() ? "" : "; ") + "replayed check-out forced past the patron's block";
  Change change{Op::checkout,
                q.institution_id,
                q.patron_identifier,
                q.item_identifier,
                &q.transaction_date,
                req,
                replay,
                may_proceed(c) && offline_item(s, q.item_identifier).loanable};
  auto d = decide<ils::Loan>(std::move(change), t, s, r,
                             [&] { return s.backend.checkout(r.change(s.settings), req); });
  if (!note.empty()) d.detail += (d.detail.empty() ? "" : "; ") + note;
  if ((d.value || d.acknowledged) && !d.repeated) spent(s, c, 0, 1);
  auto in_house = [&](const std::string& material) { in_house_only(a, t, s, material); };
  if (d.value) {
    fill_loan(a, *d.value, t, s, "checkout.ok");
    a.desensitize = desensitize_for(t, s, d.value->material_type, group_of(c));
    in_house(d.value->material_type);
    if (rules.show_outstanding) show_owed(a, s, r, c);
    return {a, "ok", d.detail};
  }
  if (d.acknowledged) {
    fill_offline_loan(a, t, s, q.item_identifier, kiosk_due, "offline.checkout", group_of(c));
    in_house(offline_item(s, q.item_identifier).material_type);
    if (rules.show_outstanding) show_owed(a, s, r, c);
    return {a, "ok", d.detail};
  }
  if (!d.failure) {
    if (d.offline && !offline_item(s, q.item_identifier).loanable && may_proceed(c))
      d.screen = s.catalogue.text("offline.not_loanable");
    a.screen_message.push_back(d.screen);
    return {a, "refused", d.detail};
  }
  const auto& failure = *d.failure;
  if (failure.code != ils::errc::rejected) {
    a.screen_message.push_back(failure_text(s, Action::checkout, failure));
    return {a, failure_result(failure), "checkout refused"};
  }
  // A refused item exists: the kiosk shows its title (AJ) and magnetic media with the refusal.
  auto item = s.backend.item(r.call(), q.item_identifier);
  if (item) {
    if (t.behaviour.checkout.title_in_failure) a.title_identifier = item->title;
    a.magnetic_media = magnetic_flag(t, s, item->material_type);
  }
  // The kiosk re-scans an item the patron already has: renew it when the kiosk allows (spec
  // "SC renewal policy"), as the ILS peers do.
  const bool already_theirs = c.patron && item && item->borrower_id == c.patron->id;
  // checkout.already_on_loan_to_same_patron "reject": never renewed by a re-scan.
  if (already_theirs && !rules.renew_on_rescan) {
    a.screen_message.push_back(s.catalogue.text("checkout.already_yours"));
    return {a, "refused", "already on loan to the patron; not renewed (profile)"};
  }
  if (q.sc_renewal_policy && policy(t).renewal && already_theirs) {
    ils::RenewRequest renew{c.patron->ref(), q.item_identifier, {}};
    Change again{Op::renew,
                 q.institution_id,
                 q.patron_identifier,
                 q.item_identifier,
                 &q.transaction_date,
                 renew,
                 false,
                 false};
    auto renewed = decide<ils::Loan>(std::move(again), t, s, r,
                                     [&] { return s.backend.renew(r.change(s.settings), renew); });
    if (renewed.value) {
      fill_loan(a, *renewed.value, t, s, "renew.ok");
      a.renewal_ok = true;
      a.desensitize = desensitize_for(t, s, renewed.value->material_type, group_of(c));
      in_house(renewed.value->material_type);
      if (rules.show_outstanding) show_owed(a, s, r, c);
      return {a, "ok", "renewed on re-checkout"};
    }
    a.screen_message.push_back(renewed.failure ? failure_text(s, Action::renew, *renewed.failure)
                                               : renewed.screen);
    return {a, renewed.failure ? failure_result(*renewed.failure) : "refused", "renewal refused"};
  }
  a.screen_message.push_back(failure_text(s, Action::checkout, failure));
  return {a, failure_result(failure), "checkout refused"};
}

Outcome checkin(const sip2::CheckinRequest& q, Terminal& t, const Services& s, const Request& r) {
  sip2::CheckinResponse a;
  a.transaction_date = now_stamp(t, s);
  a.institution_id = q.institution_id;
  a.item_identifier = q.item_identifier;
  a.resensitize = sip2::Tristate::no;
  a.magnetic_media = sip2::Tristate::unknown;
  const auto& profile = t.behaviour.checkin;
  std::string note;
  // offline.event_time "receive_time": the gateway's clock, not the kiosk's, dates the return.
  const auto returned = t.behaviour.offline.kiosk_event_time
                            ? return_date(q, t, s, note)
                            : std::chrono::time_point_cast<std::chrono::seconds>(s.now());
  const bool replay = replay_of(Op::checkin, q.no_block, q.transaction_date, t, s);
  // checkin.reject_item_statuses travel with the job: a return delivered later is refused by
  // the same rule.
  ils::CheckinRequest req{q.item_identifier, returned, {}, {}, profile.reject_statuses};
  // The item is back on the shelf whatever the library system says later: a return is always
  // accepted offline.
  Change change{Op::checkin, q.institution_id, {},  q.item_identifier, &q.transaction_date,
                req,         replay,           true};
  auto d = decide<ils::CheckinResult>(std::move(change), t, s, r,
                                      [&] { return s.backend.checkin(r.change(s.settings), req); });
  if (!note.empty()) d.detail += (d.detail.empty() ? "" : "; ") + note;
  if (d.acknowledged) {
    a.ok = true;
    a.resensitize = sip2::Tristate::yes;
    const auto material = offline_item(s, q.item_identifier).material_type;
    a.magnetic_media = magnetic_media(s, material);
    a.screen_message.push_back(s.catalogue.text("offline.checkin"));
    ils::Item known;
    known.material_type = material;
    sort_bin(a, profile, known, {});
    return {a, "ok", d.detail};
  }
  if (!d.value) {
    a.screen_message.push_back(d.failure ? failure_text(s, Action::checkin, *d.failure) : d.screen);
    // checkin.alert.on_failure: a sorter routes a refused return by the alert flag (no CV).
    a.alert = profile.alert_on_failure && !profile.alert_only_with_cv;
    return {a, d.failure ? failure_result(*d.failure) : "refused", "checkin refused"};
  }
  note = d.detail;
  const ils::CheckinResult* res = &*d.value;
  const auto& item = res->item;
  a.ok = true;
  a.resensitize =
      res->hold_trapped && !profile.resensitize_always ? sip2::Tristate::no : sip2::Tristate::yes;
  a.permanent_location = item.permanent_location;
  a.title_identifier = item.title;
  a.magnetic_media = magnetic_media(s, item.material_type);
  if (!item.call_number.empty()) a.call_number = item.call_number;
  if (!res->borrower_barcode.empty() && profile.patron_aa)
    a.patron_identifier = res->borrower_barcode;
  const auto& codes = profile.codes;
  auto raise = [&a](std::uint8_t code) {
    a.alert = true;
    a.alert_type = static_cast<sip2::AlertType>(code);
  };
  switch (res->alert) {
    case ils::CheckinAlert::hold:
      raise(codes.hold_here);
      a.screen_message.push_back(s.catalogue.text("checkin.hold"));
      break;
    case ils::CheckinAlert::hold_in_transit:
      raise(codes.hold_elsewhere);
      a.screen_message.push_back(s.catalogue.text("checkin.hold"));
      break;
    case ils::CheckinAlert::in_transit:
      raise(codes.transit);
      a.screen_message.push_back(
          s.catalogue.text("checkin.transit", {{"destination", res->in_transit_destination}}));
      break;
    case ils::CheckinAlert::other:
      raise(codes.other);
      break;
    case ils::CheckinAlert::none:
      if (profile.message_on_success && (res->had_loan || profile.ok_when_not_on_loan))
        a.screen_message.push_back(s.catalogue.text("checkin.ok", {{"title", item.title}}));
      if (profile.cv_00_on_success) a.alert_type = sip2::AlertType::unknown;  // CV00
      break;
  }
  // checkin.ok_when_not_checked_out false: a return of an item that was not on loan is
  // answered ok=0 (the library system has checked it in all the same), as Koha does.
  if (!res->had_loan && !profile.ok_when_not_on_loan) {
    a.ok = false;
    a.screen_message.push_back(s.catalogue.text("checkin.not_on_loan", {{"title", item.title}}));
    if (!a.alert) a.alert = profile.alert_on_failure && !profile.alert_only_with_cv;
    note += std::string(note.empty() ? "" : "; ") + "not on loan: answered ok=0 (profile)";
  }
  if (!res->in_transit_destination.empty())
    a.destination_location = res->in_transit_destination;
  else if (profile.ct_always)
    a.destination_location = "";
  sort_bin(a, profile, item, res->in_transit_destination);
  if (res->hold_trapped && !res->hold_patron_barcode.empty()) {
    if (t.behaviour.hold_patron_cy) a.hold_patron_id = res->hold_patron_barcode;
    // checkin.holds.send_hold_patron_phone_bf: the hold's patron's phone in BF, for return
    // units that print a hold slip (Bibliotheca; SIPServer's phone_ext_to_msg10).
    if (t.behaviour.hold_patron_phone) {
      auto holder = s.backend.lookup_patron(r.call(), res->hold_patron_barcode);
      if (holder && !holder->phone.empty())
        a.extra.push_back({sip2::field::home_phone_number, holder->phone});
      else if (!holder)
        note += std::string(note.empty() ? "" : "; ") +
                "hold patron's phone not read: " + holder.error().code.message();
    }
  }
  // The item is back; that its holds could not be read afterwards is for staff, not the kiosk.
  if (res->hold_check_failure) {
    if (!note.empty()) note += "; ";
    note += "checked in; open requests not read: " + res->hold_check_failure->code.message();
  }
  return {a, a.ok ? "ok" : "refused", note};
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
  const bool replay = replay_of(Op::renew, q.no_block, q.transaction_date, t, s);
  ils::RenewRequest req{c.patron->ref(), *q.item_identifier, {}};
  Change change{Op::renew,
                q.institution_id,
                q.patron_identifier,
                *q.item_identifier,
                &q.transaction_date,
                req,
                replay,
                s.settings.outbox.offline.renewals};
  auto d = decide<ils::Loan>(std::move(change), t, s, r,
                             [&] { return s.backend.renew(r.change(s.settings), req); });
  if (d.acknowledged) {
    fill_offline_loan(a, t, s, *q.item_identifier,
                      replay && t.behaviour.offline.trust_nb_due ? q.nb_due_date : std::nullopt,
                      "offline.renew", group_of(c));
    in_house_only(a, t, s, offline_item(s, *q.item_identifier).material_type);
    a.renewal_ok = true;
    return {a, "ok", d.detail};
  }
  if (!d.value) {
    a.screen_message.push_back(d.failure ? failure_text(s, Action::renew, *d.failure) : d.screen);
    if (t.behaviour.renewal_title_in_failure && d.failure &&
        d.failure->code == ils::errc::rejected) {
      if (auto item = s.backend.item(r.call(), *q.item_identifier))
        a.title_identifier = item->title;
    }
    return {a, d.failure ? failure_result(*d.failure) : "refused", "renewal refused"};
  }
  fill_loan(a, *d.value, t, s, "renew.ok");
  a.renewal_ok = true;
  a.desensitize = desensitize_for(t, s, d.value->material_type, group_of(c));
  in_house_only(a, t, s, d.value->material_type);
  return {a, "ok", d.detail};
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
  // Which loans a renew-all covers is the library system's to say: never offline.
  const auto ref = c.patron->ref();
  Change change{
      Op::renew_all, q.institution_id, q.patron_identifier, {}, &q.transaction_date, ref, false,
      false};
  auto d = decide<ils::RenewAllResult>(
      std::move(change), t, s, r, [&] { return s.backend.renew_all(r.change(s.settings), ref); });
  if (!d.value) {
    a.screen_message.push_back(d.failure ? failure_text(s, Action::renew_all, *d.failure)
                                         : d.screen);
    return {a, d.failure ? failure_result(*d.failure) : "refused", "renew all failed"};
  }
  const ils::RenewAllResult* res = &*d.value;
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
