// 23 Patron Status, 63 Patron Information, 35 End Session, 01 Block Patron, 25 Patron Enable.
#include <algorithm>
#include <charconv>

#include "handlers/change.hpp"
#include "handlers/patron_handlers.hpp"
#include "handlers/support.hpp"

namespace handlers::detail {

using outbox::Op;

namespace {

void add_block_messages(const ils::PatronAccount& a, sip2::Lines& screen, const Services& s) {
  for (const auto& b : a.blocks)
    if (b.borrowing || b.renewals || b.requests)
      screen.push_back(s.catalogue.text("patron.blocked", {{"reason", b.message}}));
}

std::size_t index_of(const sip2::OptText& text, std::size_t fallback) {
  if (!text) return fallback;
  std::size_t v = 0;
  auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  return ec == std::errc{} && v > 0 ? v : fallback;
}

/// Items start_item..end_item (1-based, inclusive) of a list, at most `most` (and 100).
template <class T, class F>
sip2::Lines slice(const std::vector<T>& items, const sip2::PatronInformationRequest& q, F id,
                  std::size_t most) {
  const std::size_t first = index_of(q.start_item, 1);
  const std::size_t last = std::min(index_of(q.end_item, items.size()), first + 99);
  sip2::Lines out;
  for (std::size_t i = first; i <= last && i <= items.size() && out.size() < most; ++i)
    out.push_back(id(items[i - 1]));
  return out;
}

ils::Timestamp now_seconds(const Services& s) {
  return std::chrono::time_point_cast<std::chrono::seconds>(s.now());
}

std::uint16_t count(std::size_t n) {
  return static_cast<std::uint16_t>(std::min<std::size_t>(n, 9999));
}

/// What a set of blocks forbids, as the account flags status_bits() reads.
ils::PatronAccount restrictions_of(const std::vector<ils::Block>& blocks) {
  ils::PatronAccount a;
  for (const auto& b : blocks) {
    a.borrowing_blocked |= b.borrowing;
    a.renewals_blocked |= b.renewals;
    a.requests_blocked |= b.requests;
  }
  return a;
}

/// After a change to a patron's blocks, the identity cache reads the patron again: it would
/// otherwise answer from the old blocks (a card blocked as stolen still valid) until a refresh.
void reread_patron(const Terminal& t, const Services& s, const Request& r,
                   std::string_view identifier) {
  if (s.identity == nullptr) return;
  (void)s.identity->fetch(identity_query(t, identifier, std::nullopt), s.backend, r.call(),
                          now_seconds(s));
}

/// The answer for a patron the library system does not know (or could not be asked about).
template <class R>
Outcome no_patron(R& a, const PatronCheck& c) {
  a.patron_status = status_bits(nullptr, nullptr);
  a.screen_message.push_back(c.screen);
  return {a, c.failure ? failure_result(*c.failure) : "refused", "patron not found"};
}

/// The answer when a call after the patron lookup failed.
template <class R>
Outcome call_failed(R& a, const ils::Patron& p, Action action, const ils::Failure& f,
                    const Services& s, std::string detail) {
  a.patron_status = status_bits(&p, nullptr);
  a.screen_message.push_back(failure_text(s, action, f));
  return {a, failure_result(f), std::move(detail)};
}

/// The status bitmap of a patron whose details are not shown: the account is read for its
/// blocks, fees and overdues, so the flags tell the truth (without it, only the patron's own).
sip2::PatronStatus truthful_status(const PatronCheck& c, const Services& s, const Request* r) {
  if (c.record) {
    const auto acct = identity::account_of(*c.record, now_seconds(s));
    return status_bits(&*c.patron, &acct);
  }
  if (r == nullptr) return status_bits(&*c.patron, nullptr);
  ils::AccountParts parts{
      .loans = true, .holds = false, .recalls = false, .fees = true, .blocks = true};
  auto acct = s.backend.patron_account(r->call(), c.patron->ref(), parts);
  return status_bits(&*c.patron, acct ? &*acct : nullptr);
}

/// The answer to a wrong PIN: valid patron, invalid password, the true status bitmap, and
/// nothing that is the patron's own (name, items, fees, block reasons).
template <class R>
Outcome details_withheld(R& a, const PatronCheck& c, const Services& s, const Request* r) {
  a.patron_status = truthful_status(c, s, r);
  a.screen_message.push_back(c.screen);
  return {a, "refused", "wrong password: details withheld"};
}

/// A 63 when the library system cannot list the patron's items: the cached counts, and a
/// screen message saying the lists are missing.
Outcome cached_information(sip2::PatronInformationResponse& a, const PatronCheck& c,
                           const Terminal& t, const Services& s, const ils::Failure& f) {
  const auto& rec = *c.record;
  const auto acct = identity::account_of(rec, now_seconds(s));
  a.patron_status = status_bits(&*c.patron, &acct);
  a.hold_items_count = count(rec.holds_available);
  a.overdue_items_count = count(rec.overdue);
  a.charged_items_count = count(rec.loans);
  a.fine_items_count = 0;
  a.recall_items_count = 0;
  a.unavailable_holds_count = count(rec.holds_unavailable);
  a.currency_type = currency_of(t, s);
  a.fee_amount = money(rec.fee_balance);
  if (t.behaviour.info_64.internal_id && c.patron)
    a.extra.push_back({sip2::FieldCode("XI"), c.patron->id});
  if (!rec.patron_group.empty()) a.borrower_type = rec.patron_group;
  if (!c.screen.empty()) a.screen_message.push_back(c.screen);
  add_block_messages(acct, a.screen_message, s);
  a.screen_message.push_back(s.catalogue.text("patron.details_unavailable"));
  return {a, may_proceed(c) ? "ok" : "refused",
          "item lists unavailable (" + f.code.message() + "): cached counts"};
}

/// A 23 for a checked patron. Without a request (`r` null, the network thread's path) the
/// check must carry the cache's record: nothing here may then call the library system.
Outcome patron_status_of(const sip2::PatronStatusRequest& q, Terminal& t, const Services& s,
                         const Request* r, const PatronCheck& c) {
  auto a = patron_answer<sip2::PatronStatusResponse>(q, t, s);
  a.language = q.language;
  a.valid_patron = c.valid_patron;
  a.valid_patron_password = c.valid_password;
  if (!c.patron) return no_patron(a, c);
  if (withhold_details(c, q.patron_password, t)) return details_withheld(a, c, s, r);
  a.personal_name = c.patron->display_name;
  ils::Result<ils::PatronAccount> acct;
  if (c.record) {
    acct = identity::account_of(*c.record, now_seconds(s));
  } else {
    ils::AccountParts parts{
        .loans = true, .holds = false, .recalls = false, .fees = true, .blocks = true};
    acct = s.backend.patron_account(r->call(), c.patron->ref(), parts);
  }
  if (!acct)
    return call_failed(a, *c.patron, Action::read_account, acct.error(), s, "account unavailable");
  a.patron_status = status_bits(&*c.patron, &*acct);
  a.currency_type = currency_of(t, s);
  a.fee_amount = money(acct->fee_total);
  if (!c.screen.empty()) a.screen_message.push_back(c.screen);
  add_block_messages(*acct, a.screen_message, s);
  if (a.screen_message.empty())
    a.screen_message.push_back(
        s.catalogue.text("patron.welcome", {{"name", c.patron->display_name}}));
  return {a, may_proceed(c) ? "ok" : "refused", {}};
}

}  // namespace

Outcome patron_status(const sip2::PatronStatusRequest& q, Terminal& t, const Services& s,
                      const Request& r) {
  auto c = check_patron(t, s, r, q.patron_identifier, q.patron_password);
  auto out = patron_status_of(q, t, s, &r, c);
  // patron.status_24.extra_fields (an ILL client such as Relais): the patron's address, e-mail
  // and phone, for a valid patron whose PIN was sent and verified (a barcode alone reveals no
  // contact data); read from the library system.
  const auto& wanted = t.behaviour.status_24_fields;
  if (wanted.empty() || !c.patron || !c.valid_patron || c.valid_password != true) return out;
  auto contact = s.backend.lookup_patron(r.call(), q.patron_identifier);
  if (!contact) {
    out.detail += std::string(out.detail.empty() ? "" : "; ") +
                  "contact fields not read: " + contact.error().code.message();
    return out;
  }
  auto& a = std::get<sip2::PatronStatusResponse>(out.response);
  for (const auto& code : wanted) {
    const std::string& value = code == "BD"   ? contact->address
                               : code == "BE" ? contact->email
                                              : contact->phone;
    if (!value.empty()) a.extra.push_back({sip2::FieldCode(code), value});
  }
  return out;
}

std::optional<Outcome> patron_status_locally(const sip2::PatronStatusRequest& q, Terminal& t,
                                             const Services& s) {
  // Contact fields (patron.status_24.extra_fields) are never cached: the library system has them.
  if (s.identity == nullptr || !t.behaviour.status_24_fields.empty()) return std::nullopt;
  const auto now = now_seconds(s);
  auto v = s.identity->local(identity_query(t, q.patron_identifier, q.patron_password), now,
                             s.background);
  if (!v) return std::nullopt;
  const auto c = patron_check_of(*v, t, s, q.patron_password);
  if (!c.record) return std::nullopt;
  return patron_status_of(q, t, s, nullptr, c);
}

Outcome patron_information(const sip2::PatronInformationRequest& q, Terminal& t, const Services& s,
                           const Request& r) {
  using SI = sip2::SummaryItem;
  auto a = patron_answer<sip2::PatronInformationResponse>(q, t, s);
  a.language = q.language;
  auto c = check_patron(t, s, r, q.patron_identifier, q.patron_password);
  a.valid_patron = c.valid_patron;
  a.valid_patron_password = c.valid_password;
  if (!c.patron) {
    for (auto* n : {&a.hold_items_count, &a.overdue_items_count, &a.charged_items_count,
                    &a.fine_items_count, &a.recall_items_count, &a.unavailable_holds_count})
      *n = 0;
    return no_patron(a, c);
  }
  if (withhold_details(c, q.patron_password, t)) {
    for (auto* n : {&a.hold_items_count, &a.overdue_items_count, &a.charged_items_count,
                    &a.fine_items_count, &a.recall_items_count, &a.unavailable_holds_count})
      *n = 0;
    return details_withheld(a, c, s, &r);
  }
  a.personal_name = c.patron->display_name;
  auto acct = s.backend.patron_account(r.call(), c.patron->ref(), {});
  if (!acct && c.record) return cached_information(a, c, t, s, acct.error());
  if (!acct)
    return call_failed(a, *c.patron, Action::read_account, acct.error(), s, "account unavailable");
  const auto& ac = *acct;
  a.patron_status = status_bits(&*c.patron, &ac);
  std::vector<ils::Loan> overdue;
  std::copy_if(ac.loans.begin(), ac.loans.end(), std::back_inserter(overdue),
               [](const ils::Loan& l) { return l.overdue; });
  // patron.info_64.hold_items "all": the count is of what AS lists (the 3M hold-count setting).
  a.hold_items_count = count(ac.holds_available.size() +
                             (t.behaviour.all_holds_in_64 ? ac.holds_unavailable.size() : 0));
  a.overdue_items_count = count(overdue.size());
  a.charged_items_count = count(ac.loans.size());
  a.fine_items_count = count(ac.fees.size());
  a.recall_items_count = count(ac.recalls.size());
  a.unavailable_holds_count = count(ac.holds_unavailable.size());
  a.currency_type = currency_of(t, s);
  a.fee_amount = money(ac.fee_total);
  if (!c.patron->patron_group.empty()) a.borrower_type = c.patron->patron_group;
  // patron.info_64.envisionware_fields: EnvisionWare's PA (expiry) and PC (patron class). Its
  // PB (birth date) is not sent: the gateway does not read birth dates.
  if (t.behaviour.envisionware_64) {
    if (c.patron->expires_at)
      a.extra.push_back(
          {sip2::FieldCode("PA"), sip2::format_timestamp(stamp(*c.patron->expires_at, t, s))});
    if (!c.patron->patron_group.empty())
      a.extra.push_back({sip2::field::patron_class, c.patron->patron_group});
  }
  // patron.info_64.internal_id_xi: the library system's id of the patron, which some AMH
  // sorters read (it is not the card number).
  const auto& info = t.behaviour.info_64;
  if (info.internal_id) a.extra.push_back({sip2::FieldCode("XI"), c.patron->id});
  const auto& sum = q.summary;
  // patron.info_64.item_list_datatype "title": the lists name titles, not barcodes.
  auto loan_id = [&info](const ils::Loan& l) {
    return info.titles && !l.title.empty() ? l.title : l.item_barcode;
  };
  auto hold_id = [&info](const ils::Hold& h) {
    return (info.titles || h.item_barcode.empty()) && !h.title.empty() ? h.title : h.item_barcode;
  };
  auto fee_id = [&](const ils::Fee& f) { return av_line(f, t.behaviour.fees); };
  auto on = [&](SI i) { return sum.test(static_cast<std::size_t>(i)); };
  // patron.info_64.max_listed_items: at most that many of each list (the counts are whole).
  const std::size_t most = info.max_items.value_or(100);
  if (on(SI::hold_items)) {
    // patron.info_64.hold_items "all": every hold of the patron in AS, the available first.
    if (t.behaviour.all_holds_in_64) {
      std::vector<ils::Hold> all = ac.holds_available;
      all.insert(all.end(), ac.holds_unavailable.begin(), ac.holds_unavailable.end());
      a.hold_items = slice(all, q, hold_id, most);
    } else {
      a.hold_items = slice(ac.holds_available, q, hold_id, most);
    }
  }
  if (on(SI::overdue_items)) a.overdue_items = slice(overdue, q, loan_id, most);
  if (on(SI::charged_items)) a.charged_items = slice(ac.loans, q, loan_id, most);
  if (on(SI::fine_items)) a.fine_items = slice(ac.fees, q, fee_id, most);
  if (on(SI::recall_items)) a.recall_items = slice(ac.recalls, q, hold_id, most);
  // patron.info_64.unavailable_holds_in_cd false: CD is never sent (the count still is).
  if (on(SI::unavailable_holds) && info.unavailable_in_cd)
    a.unavailable_hold_items = slice(ac.holds_unavailable, q, hold_id, most);
  if (!c.screen.empty()) a.screen_message.push_back(c.screen);
  add_block_messages(ac, a.screen_message, s);
  return {a, may_proceed(c) ? "ok" : "refused", {}};
}

Outcome end_session(const sip2::EndPatronSessionRequest& q, Terminal& t, const Services& s,
                    const Request&) {
  auto a = patron_answer<sip2::EndPatronSessionResponse>(q, t, s);
  a.end_session = true;
  a.screen_message.push_back(s.catalogue.text("end_session.done"));
  return {a, "ok", {}};
}

Outcome block_patron(const sip2::BlockPatronRequest& q, Terminal& t, const Services& s,
                     const Request& r) {
  auto a = patron_answer<sip2::PatronStatusResponse>(q, t, s);
  auto c = check_patron(t, s, r, q.patron_identifier, std::nullopt);
  a.valid_patron = c.valid_patron;
  if (!c.patron) return no_patron(a, c);
  a.personal_name = c.patron->display_name;
  const ils::BlockRequest req{c.patron->ref(), q.blocked_card_msg, q.card_retained};
  Change change{Op::block_patron,
                q.institution_id,
                q.patron_identifier,
                {},
                &q.transaction_date,
                req,
                false,
                s.settings.outbox.offline.blocks};
  auto d = decide<ils::Block>(std::move(change), t, s, r,
                              [&] { return s.backend.block_patron(r.change(s.settings), req); });
  if (d.acknowledged) {
    // The library system will have the block once the outbox delivers it: the kiosk sees it now.
    ils::Block pending;
    pending.message = q.blocked_card_msg;
    pending.borrowing = pending.renewals = pending.requests = true;
    pending.created_by_gateway = true;
    const auto blocked = restrictions_of({pending});
    a.patron_status = status_bits(&*c.patron, &blocked);
    if (q.card_retained) sip2::set(a.patron_status, sip2::PatronFlag::card_reported_lost);
    a.screen_message.push_back(s.catalogue.text("offline.block"));
    return {a, "ok", d.detail};
  }
  if (!d.value) {
    if (d.failure)
      return call_failed(a, *c.patron, Action::block_patron, *d.failure, s, "block failed");
    a.screen_message.push_back(d.screen);
    return {a, "refused", d.detail};
  }
  reread_patron(t, s, r, q.patron_identifier);
  const auto blocked = restrictions_of({*d.value});
  a.patron_status = status_bits(&*c.patron, &blocked);
  if (q.card_retained) sip2::set(a.patron_status, sip2::PatronFlag::card_reported_lost);
  a.screen_message.push_back(s.catalogue.text("block.done"));
  return {a, "ok", d.detail};
}

Outcome patron_enable(const sip2::PatronEnableRequest& q, Terminal& t, const Services& s,
                      const Request& r) {
  auto a = patron_answer<sip2::PatronEnableResponse>(q, t, s);
  auto c = check_patron(t, s, r, q.patron_identifier, q.patron_password);
  a.valid_patron = c.valid_patron;
  a.valid_patron_password = c.valid_password;
  if (!c.patron || !c.valid_password.value_or(true)) {
    // Refused, but the patron is as blocked as before: the bitmap says so.
    a.patron_status = c.patron && !c.failure
                          ? truthful_status(c, s, &r)
                          : status_bits(c.patron ? &*c.patron : nullptr, nullptr);
    a.screen_message.push_back(c.screen);
    return {a, c.failure ? failure_result(*c.failure) : "refused", "patron not valid"};
  }
  a.personal_name = c.patron->display_name;
  // Lifting blocks needs the library system's word: never offline.
  const auto ref = c.patron->ref();
  Change change{Op::enable_patron,
                q.institution_id,
                q.patron_identifier,
                {},
                &q.transaction_date,
                ref,
                false,
                false};
  auto d = decide<ils::EnableResult>(std::move(change), t, s, r, [&] {
    return s.backend.enable_patron(r.change(s.settings), ref);
  });
  if (!d.value) {
    if (d.failure)
      return call_failed(a, *c.patron, Action::enable_patron, *d.failure, s, "enable failed");
    a.patron_status = truthful_status(c, s, &r);
    a.screen_message.push_back(d.screen);
    return {a, "refused", d.detail};
  }
  reread_patron(t, s, r, q.patron_identifier);
  const auto left = restrictions_of(d.value->remaining);
  a.patron_status = status_bits(&*c.patron, &left);
  a.screen_message.push_back(
      s.catalogue.text(d.value->remaining.empty() ? "enable.done" : "enable.remaining"));
  return {a, "ok", d.detail};
}

}  // namespace handlers::detail
