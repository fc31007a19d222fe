// The in-memory library behind FakeBackend: each operation's normal answer, and the script.
#include "fake_backend.hpp"

#include <algorithm>

namespace fake {

using namespace std::chrono_literals;

ils::Patron patron(std::string id, std::string barcode, std::string name) {
  ils::Patron p;
  p.id = std::move(id);
  p.barcode = std::move(barcode);
  p.active = true;
  p.display_name = std::move(name);
  p.patron_group = "undergrad";
  return p;
}

ils::Item item(std::string id, std::string barcode, std::string title, std::string material_type) {
  ils::Item i;
  i.id = std::move(id);
  i.barcode = std::move(barcode);
  i.title = std::move(title);
  i.material_type = std::move(material_type);
  i.status = ils::ItemStatus::available;
  i.status_name = "Available";
  i.permanent_location = "Main Library Stacks";
  return i;
}

void FakeBackend::add_patron(ils::Patron p, std::string pin) {
  std::lock_guard lock(mutex_);
  if (!pin.empty()) pins_[p.id] = std::move(pin);
  patrons_.push_back(std::move(p));
}

void FakeBackend::update_patron(ils::Patron p) {
  std::lock_guard lock(mutex_);
  for (auto& known : patrons_)
    if (known.id == p.id) known = p;
}

void FakeBackend::remove_patron(const std::string& patron_id) {
  std::lock_guard lock(mutex_);
  std::erase_if(patrons_, [&](const ils::Patron& p) { return p.id == patron_id; });
  pins_.erase(patron_id);
  accounts_.erase(patron_id);
}

void FakeBackend::set_pin(const std::string& patron_id, std::string pin) {
  std::lock_guard lock(mutex_);
  no_pin_.erase(patron_id);
  pins_[patron_id] = std::move(pin);
}

void FakeBackend::pin_not_required(const std::string& patron_id) {
  std::lock_guard lock(mutex_);
  no_pin_.insert(patron_id);
}

void FakeBackend::add_item(ils::Item i) {
  std::lock_guard lock(mutex_);
  items_[i.barcode] = std::move(i);
}

void FakeBackend::set_account(const std::string& patron_id, ils::PatronAccount a) {
  std::lock_guard lock(mutex_);
  accounts_[patron_id] = std::move(a);
}

void FakeBackend::script(Op op, Outcome outcome, int nth) {
  std::lock_guard lock(mutex_);
  script_[{op, nth}] = std::move(outcome);
}

std::vector<Call> FakeBackend::calls() const {
  std::lock_guard lock(mutex_);
  return calls_;
}

int FakeBackend::count(Op op) const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(
      std::count_if(calls_.begin(), calls_.end(), [op](const Call& c) { return c.op == op; }));
}

std::optional<ils::Item> FakeBackend::stored_item(const std::string& barcode) const {
  std::lock_guard lock(mutex_);
  auto it = items_.find(barcode);
  return it == items_.end() ? std::nullopt : std::optional(it->second);
}

std::vector<ils::CheckinRequest> FakeBackend::checkins() const {
  std::lock_guard lock(mutex_);
  return checkins_;
}

std::vector<ils::CheckoutRequest> FakeBackend::checkouts() const {
  std::lock_guard lock(mutex_);
  return checkouts_;
}

std::vector<ils::FeePayment> FakeBackend::payments() const {
  std::lock_guard lock(mutex_);
  std::vector<ils::FeePayment> out;
  for (const auto& [payment, result] : payments_)
    out.push_back(payment);
  return out;
}

template <class T, class Work>
ils::Result<T> FakeBackend::run(Op op, std::string subject, const ils::CallContext& ctx,
                                Work work) {
  if (before_call) before_call(op);
  std::lock_guard lock(mutex_);
  calls_.push_back({op, std::move(subject), ctx.deadline});
  const int nth = static_cast<int>(
      std::count_if(calls_.begin(), calls_.end(), [op](const Call& c) { return c.op == op; }));
  auto scripted = script_.find({op, nth});
  if (scripted == script_.end()) return work();
  const Outcome& o = scripted->second;
  if (o.kind == Outcome::Kind::apply_then_lose) (void)work();
  auto failure = ils::fail(o.code, o.message);
  failure.value().reason = o.reason;
  return failure;
}

ils::Loan FakeBackend::loan_of(const ils::Item& i) const {
  ils::Loan l;
  l.item_id = i.id;
  l.item_barcode = i.barcode;
  l.title = i.title;
  l.material_type = i.material_type;
  l.user_id = i.borrower_id;
  l.user_barcode = i.borrower_barcode;
  l.due_date = i.due_date;
  l.loan_date = i.loan_date;
  l.renewal_count = i.renewal_count;
  return l;
}

ils::Result<ils::Patron> FakeBackend::lookup_patron(const ils::CallContext& ctx,
                                                    std::string_view identifier) {
  return run<ils::Patron>(Op::lookup_patron, std::string(identifier), ctx,
                          [&]() -> ils::Result<ils::Patron> {
                            for (const auto& p : patrons_)
                              if (p.barcode == identifier) return p;
                            return ils::fail(ils::errc::not_found, "Patron not found");
                          });
}

ils::Result<ils::CredentialCheck> FakeBackend::verify_credential(const ils::CallContext& ctx,
                                                                 const ils::Patron& patron,
                                                                 std::string_view secret) {
  return run<ils::CredentialCheck>(Op::verify_credential, patron.id, ctx, [&] {
    if (no_pin_.contains(patron.id)) return ils::CredentialCheck::not_required;
    auto pin = pins_.find(patron.id);
    return pin != pins_.end() && pin->second == secret ? ils::CredentialCheck::valid
                                                       : ils::CredentialCheck::invalid;
  });
}

ils::Result<ils::PatronAccount> FakeBackend::patron_account(const ils::CallContext& ctx,
                                                            const ils::PatronRef& patron,
                                                            ils::AccountParts) {
  return run<ils::PatronAccount>(Op::patron_account, patron.id, ctx, [&] {
    auto it = accounts_.find(patron.id);
    auto account = it == accounts_.end() ? ils::PatronAccount{} : it->second;
    if (loans_from_items)
      for (const auto& [barcode, i] : items_)
        if (i.borrower_id == patron.id) account.loans.push_back(loan_of(i));
    return account;
  });
}

ils::Result<ils::Item> FakeBackend::item(const ils::CallContext& ctx, std::string_view barcode) {
  return run<ils::Item>(Op::item, std::string(barcode), ctx, [&]() -> ils::Result<ils::Item> {
    auto it = items_.find(std::string(barcode));
    if (it == items_.end()) return ils::fail(ils::errc::not_found, "Item not found");
    return it->second;
  });
}

ils::Result<ils::Loan> FakeBackend::checkout(const ils::CallContext& ctx,
                                             const ils::CheckoutRequest& request) {
  return run<ils::Loan>(Op::checkout, request.item_barcode, ctx, [&]() -> ils::Result<ils::Loan> {
    auto it = items_.find(request.item_barcode);
    if (it == items_.end()) return ils::fail(ils::errc::not_found, "Item not found");
    auto& i = it->second;
    if (!i.borrower_id.empty())
      return ils::refuse(ils::Reason::already_checked_out, "Item is already checked out");
    auto account = accounts_.find(request.patron.id);
    if (refuse_blocked_checkouts && !request.override_blocks && account != accounts_.end() &&
        account->second.borrowing_blocked)
      return ils::fail(ils::errc::rejected, "Patron blocked from borrowing");
    i.borrower_id = request.patron.id;
    i.borrower_barcode = request.patron.barcode;
    i.status = ils::ItemStatus::charged;
    i.status_name = "Checked out";
    i.loan_date = request.loan_date.value_or(now);
    i.due_date = request.due_date.value_or(*i.loan_date + std::chrono::days{21});
    i.renewal_count = 0;
    checkouts_.push_back(request);
    return loan_of(i);
  });
}

ils::Result<ils::CheckinResult> FakeBackend::checkin(const ils::CallContext& ctx,
                                                     const ils::CheckinRequest& request) {
  return run<ils::CheckinResult>(
      Op::checkin, request.item_barcode, ctx, [&]() -> ils::Result<ils::CheckinResult> {
        auto it = items_.find(request.item_barcode);
        if (it == items_.end()) return ils::fail(ils::errc::not_found, "Item not found");
        auto& i = it->second;
        if (ils::status_listed(i, request.refuse_statuses))
          return ils::fail(ils::errc::rejected, "Item cannot be checked in: " + i.status_name);
        ils::CheckinResult r;
        r.had_loan = !i.borrower_id.empty();
        r.borrower_id = i.borrower_id;
        r.borrower_barcode = i.borrower_barcode;
        i.borrower_id.clear();
        i.borrower_barcode.clear();
        i.due_date.reset();
        i.loan_date.reset();
        i.renewal_count = 0;
        i.status = ils::ItemStatus::available;
        i.status_name = "Available";
        r.item = i;
        r.hold_check_failure = hold_check_failure;
        if (!hold_for_barcode.empty()) {
          r.hold_trapped = true;
          r.hold_patron_barcode = hold_for_barcode;
          r.alert = ils::CheckinAlert::hold;
        }
        if (!transit_to.empty()) {
          r.in_transit_destination = transit_to;
          r.alert =
              r.hold_trapped ? ils::CheckinAlert::hold_in_transit : ils::CheckinAlert::in_transit;
        }
        checkins_.push_back(request);
        return r;
      });
}

ils::Result<ils::Loan> FakeBackend::renew(const ils::CallContext& ctx,
                                          const ils::RenewRequest& request) {
  return run<ils::Loan>(Op::renew, request.item_barcode, ctx, [&]() -> ils::Result<ils::Loan> {
    auto it = items_.find(request.item_barcode);
    if (it == items_.end()) return ils::fail(ils::errc::not_found, "Item not found");
    if (it->second.borrower_id != request.patron.id)
      return ils::fail(ils::errc::rejected, "Loan not found for this patron");
    it->second.due_date = *it->second.due_date + std::chrono::days{21};
    ++it->second.renewal_count;
    return loan_of(it->second);
  });
}

ils::Result<ils::RenewAllResult> FakeBackend::renew_all(const ils::CallContext& ctx,
                                                        const ils::PatronRef& patron) {
  return run<ils::RenewAllResult>(Op::renew_all, patron.id, ctx, [&] {
    ils::RenewAllResult r;
    for (auto& [barcode, i] : items_)
      if (i.borrower_id == patron.id) {
        i.due_date = *i.due_date + std::chrono::days{21};
        ++i.renewal_count;
        r.renewed.push_back(loan_of(i));
      }
    return r;
  });
}

ils::Result<ils::Hold> FakeBackend::place_hold(const ils::CallContext& ctx,
                                               const ils::HoldRequest& request) {
  return run<ils::Hold>(Op::place_hold, request.item_barcode, ctx, [&]() -> ils::Result<ils::Hold> {
    auto& holds = accounts_[request.patron.id].holds_unavailable;
    for (const auto& held : holds)
      if (held.item_barcode == request.item_barcode)
        return ils::refuse(ils::Reason::already_requested,
                           "This requester already has an open request for this item");
    ils::Hold h;
    h.id = "hold-" + std::to_string(calls_.size());
    h.item_barcode = request.item_barcode;
    h.requester_id = request.patron.id;
    h.position = 1;
    holds.push_back(h);
    return h;
  });
}

ils::Result<ils::Hold> FakeBackend::cancel_hold(const ils::CallContext& ctx,
                                                const ils::CancelHoldRequest& request) {
  return run<ils::Hold>(Op::cancel_hold, request.item_barcode, ctx, [&] {
    ils::Hold h;
    h.item_barcode = request.item_barcode;
    std::erase_if(accounts_[request.patron.id].holds_unavailable,
                  [&](const ils::Hold& held) { return held.item_barcode == request.item_barcode; });
    return h;
  });
}

ils::Result<ils::PaymentResult> FakeBackend::pay_fee(const ils::CallContext& ctx,
                                                     const ils::FeePayment& payment) {
  return run<ils::PaymentResult>(
      Op::pay_fee, payment.patron.id, ctx, [&]() -> ils::Result<ils::PaymentResult> {
        auto& a = accounts_[payment.patron.id];
        // As FOLIO: nothing open is "not found", more than is owed is a refusal.
        if (a.fee_total <= 0) return ils::fail(ils::errc::not_found, "No open fees/fines");
        if (payment.amount > a.fee_total)
          return ils::fail(ils::errc::rejected, "Requested amount exceeds remaining amount");
        a.fee_total -= payment.amount;
        ils::PaymentResult result{payment.amount, a.fee_total, {}};
        payments_.emplace_back(payment, result);
        return result;
      });
}

ils::Result<std::optional<ils::PaymentResult>> FakeBackend::find_payment(
    const ils::CallContext& ctx, const ils::PatronRef& patron, std::string_view transaction_id) {
  return run<std::optional<ils::PaymentResult>>(
      Op::find_payment, patron.id, ctx, [&]() -> std::optional<ils::PaymentResult> {
        for (const auto& [payment, result] : payments_)
          if (payment.patron.id == patron.id && !transaction_id.empty() &&
              payment.transaction_id == transaction_id)
            return result;
        return std::nullopt;
      });
}

namespace {

ils::PatronSummary summary_of(const ils::PatronAccount& a) {
  ils::PatronSummary s;
  s.blocks = a.blocks;
  s.fee_balance = a.fee_total;
  s.loans = a.loans.size();
  s.overdue = a.overdue_count;
  s.holds_available = a.holds_available.size();
  s.holds_unavailable = a.holds_unavailable.size();
  return s;
}

}  // namespace

ils::Result<ils::PatronSummary> FakeBackend::patron_summary(const ils::CallContext& ctx,
                                                            const ils::PatronRef& patron) {
  return run<ils::PatronSummary>(Op::patron_summary, patron.id, ctx, [&] {
    auto it = accounts_.find(patron.id);
    return summary_of(it == accounts_.end() ? ils::PatronAccount{} : it->second);
  });
}

ils::Result<ils::PatronPage> FakeBackend::list_patrons(const ils::CallContext& ctx,
                                                       const ils::PatronPageRequest& request) {
  return run<ils::PatronPage>(Op::list_patrons, request.cursor, ctx, [&] {
    std::vector<const ils::Patron*> listed;
    for (const auto& p : patrons_)
      if (!request.updated_since || (p.updated_at && *p.updated_at >= *request.updated_since))
        listed.push_back(&p);
    std::sort(listed.begin(), listed.end(),
              [](const ils::Patron* a, const ils::Patron* b) { return a->id < b->id; });
    ils::PatronPage page;
    page.total = listed.size();
    for (const auto* p : listed) {
      if (!request.cursor.empty() && p->id <= request.cursor) continue;
      if (page.patrons.size() == request.limit) {
        page.next_cursor = page.patrons.back().id;
        break;
      }
      page.patrons.push_back(*p);
      auto it = accounts_.find(p->id);
      auto s = summary_of(it == accounts_.end() ? ils::PatronAccount{} : it->second);
      s.complete = list_complete;
      page.summaries.push_back(std::move(s));
    }
    return page;
  });
}

ils::Result<ils::Block> FakeBackend::block_patron(const ils::CallContext& ctx,
                                                  const ils::BlockRequest& request) {
  return run<ils::Block>(Op::block_patron, request.patron.id, ctx, [&] {
    ils::Block b;
    b.id = "block-" + std::to_string(calls_.size());
    b.borrowing = b.renewals = b.requests = true;
    b.message = request.reason;
    b.created_by_gateway = true;
    auto& a = accounts_[request.patron.id];
    a.blocks.push_back(b);
    a.borrowing_blocked = a.renewals_blocked = a.requests_blocked = true;
    return b;
  });
}

ils::Result<ils::EnableResult> FakeBackend::enable_patron(const ils::CallContext& ctx,
                                                          const ils::PatronRef& patron) {
  return run<ils::EnableResult>(Op::enable_patron, patron.id, ctx, [&] {
    ils::EnableResult r;
    auto& a = accounts_[patron.id];
    for (const auto& b : a.blocks)
      if (b.created_by_gateway)
        ++r.removed;
      else
        r.remaining.push_back(b);
    a.blocks = r.remaining;
    return r;
  });
}

}  // namespace fake
