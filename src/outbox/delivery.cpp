// One attempt of a job: read back first when the last outcome is unknown, guard replays against
// newer events, read what a read-back will compare with, mark the job in flight, send, classify
// the answer, and read back at once when it is ambiguous.
#include "outbox/delivery.hpp"

#include <algorithm>

#include "outbox/ils_json.hpp"

namespace outbox {

using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

FailureClass classify(const ils::Failure& failure) {
  const std::error_code& c = failure.code;
  if (c == ils::errc::rejected || c == ils::errc::not_found || c == ils::errc::invalid_identifier)
    return FailureClass::refused;
  // Not started (too little time left), or stopped at the gateway's login: nothing was changed.
  if (c == ils::errc::insufficient_time || c == ils::errc::unauthorized)
    return FailureClass::transient;
  if (c == ils::errc::not_supported) return FailureClass::impossible;
  // Timeout, connection failure or 5xx (the library system cannot tell us whether the request
  // got through before it failed), an unreadable answer, anything unknown: it may have applied.
  return FailureClass::ambiguous;
}

namespace {

std::optional<std::int64_t> seconds_of(const std::optional<ils::Timestamp>& t) {
  if (!t) return std::nullopt;
  return t->time_since_epoch().count();
}

bool charged_to(const ils::Item& item, const ils::PatronRef& patron) {
  if (!item.borrower_id.empty() && !patron.id.empty()) return item.borrower_id == patron.id;
  return !item.borrower_barcode.empty() && item.borrower_barcode == patron.barcode;
}

bool charged(const ils::Item& item) {
  return item.status == ils::ItemStatus::charged || !item.borrower_id.empty() ||
         !item.borrower_barcode.empty();
}

ils::Loan loan_of(const ils::Item& i) {
  ils::Loan l;
  l.item_id = i.id;
  l.item_barcode = i.barcode;
  l.title = i.title;
  l.call_number = i.call_number;
  l.material_type = i.material_type;
  l.location = i.current_location;
  l.loan_date = i.loan_date;
  l.due_date = i.due_date;
  l.renewal_count = i.renewal_count;
  l.user_id = i.borrower_id;
  l.user_barcode = i.borrower_barcode;
  return l;
}

std::vector<const ils::Hold*> holds_of(const ils::PatronAccount& a) {
  std::vector<const ils::Hold*> out;
  for (const auto* list : {&a.holds_available, &a.holds_unavailable, &a.recalls})
    for (const auto& h : *list)
      out.push_back(&h);
  return out;
}

/// What a read-back found, with the result it stands for when applied.
struct Back {
  Finding found = Finding::unknown;
  json result;
  std::string why;          ///< when unknown: why it could not tell
  bool impossible = false;  ///< it never can tell (the job becomes an exception)
};

}  // namespace

struct Delivery::Run {
  Delivery& d;
  const Job& job;
  ils::CallContext ctx;
  const std::function<bool(const Job&)>& mark;
  AttemptResult r;
  /// A stale replay applied as the profile asked (kStaleGuardArg "apply_and_flag").
  bool stale_applied = false;

  /// Runs one library-system call and reports it to the observer.
  template <class F>
  auto call(F&& f) {
    const auto start = SteadyClock::now();
    auto res = f();
    const bool not_started = !res && res.error().code == ils::errc::insufficient_time;
    if (d.observe_ && !not_started) {
      const bool answered = res || classify(res.error()) == FailureClass::refused ||
                            classify(res.error()) == FailureClass::impossible;
      d.observe_(answered,
                 std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - start));
    }
    return res;
  }

  /// The library system's words with the job's raw identifiers replaced by pseudonyms.
  [[nodiscard]] std::string scrub(std::string text) const {
    std::vector<std::string> raw;
    if (auto it = job.args.find("item"); it != job.args.end() && it->is_string())
      raw.push_back(it->get<std::string>());
    if (auto it = job.args.find("patron"); it != job.args.end() && it->is_object())
      for (const char* field : {"id", "bc"})
        if (auto f = it->find(field); f != it->end() && f->is_string())
          raw.push_back(f->get<std::string>());
    for (const auto& id : raw) {
      if (id.empty()) continue;
      const std::string alias = d.pseudonym_(id);
      for (std::size_t at = text.find(id); at != std::string::npos;
           at = text.find(id, at + alias.size()))
        text.replace(at, id.size(), alias);
    }
    return text;
  }
  [[nodiscard]] std::string words(const ils::Failure& f) const {
    return f.message.empty() ? f.code.message() : scrub(f.message);
  }

  AttemptResult done(Verdict v, std::string reason = {}) {
    r.verdict = v;
    r.reason = std::move(reason);
    return std::move(r);
  }
  AttemptResult delivered(json result) {
    r.result = std::move(result);
    return done(Verdict::delivered,
                stale_applied ? "stale replay applied: the item was lent after this event" : "");
  }
  /// A refusal: the library system's own words (sealed with the result) answer the kiosk.
  AttemptResult refused(const ils::Failure& f) {
    r.result = json{{"failure",
                     {{"code", f.code.value()},
                      {"message", f.message},
                      {"reason", static_cast<int>(f.reason)}}}};
    return done(Verdict::refused, words(f));
  }
  AttemptResult retry(bool unresolved, std::string reason) {
    r.unresolved = unresolved;
    return done(Verdict::retry, std::move(reason));
  }

  Back unknown(const ils::Failure& f) { return {Finding::unknown, {}, words(f)}; }
  Back read_back_now(const Baseline& base);
  Back read_back(const Baseline& base) {
    Back b = read_back_now(base);
    if (!b.impossible) {
      r.read_backs.push_back({d.clock_(), b.found});
      d.counters_.count(b.found);
    }
    return b;
  }
  Back checkout_back(const ils::CheckoutRequest& q);
  Back checkin_back(const ils::CheckinRequest& q);
  Back renew_back(const ils::RenewRequest& q, const Baseline& base);
  Back renew_all_back(const ils::PatronRef& patron, const Baseline& base);
  Back fee_back(const ils::FeePayment& q);
  Back holds_back(const ils::PatronRef& patron, const std::string& barcode, bool placed,
                  const std::string& hold_id);
  Back blocks_back(const ils::PatronRef& patron, const std::string* reason);

  std::optional<AttemptResult> guard_replay();
  std::optional<AttemptResult> read_baseline(Baseline& base);
  std::optional<ils::Failure> send();
  AttemptResult go();
};

Delivery::Delivery(ils::Backend& backend, Pseudonym pseudonym, Counters& counters,
                   CallObserver observe, Clock clock, std::chrono::milliseconds read_back_timeout)
    : backend_(backend),
      pseudonym_(std::move(pseudonym)),
      counters_(counters),
      observe_(std::move(observe)),
      clock_(std::move(clock)),
      read_back_timeout_(read_back_timeout) {}

AttemptResult Delivery::attempt(const Job& job, const ils::CallContext& ctx,
                                const std::function<bool(const Job&)>& mark_in_flight) {
  Run run{*this, job, ctx, mark_in_flight, {}};
  if (job.args.is_null() || job.purged)
    return run.done(Verdict::exception, "the journalled request was purged or cannot be opened");
  try {
    return run.go();
  } catch (const json::exception&) {
    // Thrown only while reading the request, before anything is sent.
    return run.done(Verdict::exception, "the journalled request cannot be read");
  }
}

AttemptResult Delivery::read_back_only(const Job& job, const ils::CallContext& ctx) {
  static const std::function<bool(const Job&)> never = [](const Job&) { return false; };
  Run run{*this, job, ctx, never, {}};
  if (job.args.is_null() || job.purged)
    return run.done(Verdict::exception, "the journalled request was purged or cannot be opened");
  try {
    Back b = run.read_back(job.baseline);
    if (b.impossible) return run.done(Verdict::exception, b.why);
    if (b.found == Finding::applied) return run.delivered(std::move(b.result));
    if (b.found == Finding::not_applied)
      return run.done(Verdict::withdrawn, "withdrawn: the kiosk was told it failed; not applied");
    return run.retry(true, "withdrawn; read-back failed: " + b.why);
  } catch (const json::exception&) {
    return run.done(Verdict::exception, "the journalled request cannot be read");
  }
}

AttemptResult Delivery::Run::go() {
  if (job.unresolved) {
    Back b = read_back(job.baseline);
    if (b.impossible) return done(Verdict::exception, b.why);
    if (b.found == Finding::applied) return delivered(std::move(b.result));
    if (b.found == Finding::unknown)
      return retry(true, "the last attempt's outcome is unknown; read-back failed: " + b.why);
  }
  if (auto guarded = guard_replay()) return std::move(*guarded);
  Baseline base;
  if (auto failed = read_baseline(base)) return std::move(*failed);
  r.baseline = base;
  Job marked = job;
  marked.baseline = base;
  if (!mark(marked)) return retry(false, "the attempt could not be journalled");
  r.sent = true;
  d.counters_.sends.fetch_add(1);
  // The answer, a read-back included, is due by the attempt's deadline (a kiosk is waiting for
  // it): the change itself gets what is left less the read-back's budget.
  const auto deadline = ctx.deadline;
  ctx.deadline -= d.read_back_timeout_;
  const auto failure = send();
  ctx.deadline = deadline;
  if (!failure) return delivered(std::move(r.result));
  switch (classify(*failure)) {
    case FailureClass::refused: {
      // Our own earlier change, applied but unanswered, is refused like anyone else's.
      const bool maybe_ours =
          (job.op == Op::checkout && failure->reason == ils::Reason::already_checked_out) ||
          (job.op == Op::hold_place && failure->reason == ils::Reason::already_requested);
      if (maybe_ours) {
        Back b = read_back(base);
        if (b.found == Finding::applied) return delivered(std::move(b.result));
        if (b.found == Finding::unknown)
          return retry(false, words(*failure) + "; read-back failed: " + b.why);
      }
      return refused(*failure);
    }
    case FailureClass::transient:
      return retry(false, words(*failure));
    case FailureClass::impossible:
      // The library system's own words answer the kiosk (handlers/change.cpp).
      r.result = json{{"failure",
                       {{"code", failure->code.value()},
                        {"message", failure->message},
                        {"reason", static_cast<int>(failure->reason)}}}};
      return done(Verdict::exception, words(*failure));
    case FailureClass::ambiguous:
      break;
  }
  Back b = read_back(base);
  if (b.impossible) return done(Verdict::exception, words(*failure) + "; " + b.why);
  if (b.found == Finding::applied) return delivered(std::move(b.result));
  if (b.found == Finding::not_applied)
    return retry(false, words(*failure) + "; read back: not applied");
  return retry(true, words(*failure) + "; read-back failed: " + b.why);
}

std::optional<AttemptResult> Delivery::Run::guard_replay() {
  if (!job.acknowledged && !job.replay) return std::nullopt;
  if (job.op != Op::checkout && job.op != Op::checkin) return std::nullopt;
  const std::string barcode = job.args.at("item").get<std::string>();
  auto item = call([&] { return d.backend_.item(ctx, barcode); });
  if (!item) {
    if (classify(item.error()) == FailureClass::refused) return std::nullopt;  // send will say
    return retry(false, "cannot read the item before a replay: " + words(item.error()));
  }
  std::optional<ils::Timestamp> event;
  if (job.op == Op::checkout) {
    const auto q = job.args.get<ils::CheckoutRequest>();
    if (charged_to(*item, q.patron)) return delivered(json(loan_of(*item)));
    event = q.loan_date;
  } else {
    event = job.args.get<ils::CheckinRequest>().return_date;
  }
  if (!event || !charged(*item) || !item->loan_date || *item->loan_date <= *event)
    return std::nullopt;
  const std::string guard = job.args.value(kStaleGuardArg, std::string("skip_if_newer_event"));
  if (guard == "none") return std::nullopt;
  d.counters_.stale_events.fetch_add(1);
  if (guard == "apply_and_flag") {
    stale_applied = true;
    return std::nullopt;
  }
  return done(Verdict::exception, std::string("stale replay: the item was lent after this ") +
                                      (job.op == Op::checkout ? "check-out" : "check-in") +
                                      "; the library system's newer loan was left as it is");
}

std::optional<AttemptResult> Delivery::Run::read_baseline(Baseline& base) {
  if (job.op == Op::renew) {
    const auto q = job.args.get<ils::RenewRequest>();
    auto item = call([&] { return d.backend_.item(ctx, q.item_barcode); });
    if (!item) {
      if (classify(item.error()) == FailureClass::refused) return refused(item.error());
      return retry(false, "cannot read the loan before renewing it: " + words(item.error()));
    }
    base.present = true;
    base.due_date = seconds_of(item->due_date);
    base.renewal_count = item->renewal_count;
  } else if (job.op == Op::renew_all) {
    const auto patron = job.args.get<ils::PatronRef>();
    ils::AccountParts parts{true, false, false, false, false};
    auto account = call([&] { return d.backend_.patron_account(ctx, patron, parts); });
    if (!account) {
      if (classify(account.error()) == FailureClass::refused) return refused(account.error());
      return retry(false, "cannot read the loans before renewing them: " + words(account.error()));
    }
    base.present = true;
    for (const auto& loan : account->loans)
      base.loans.emplace_back(d.pseudonym_(loan.item_barcode), loan.renewal_count);
  }
  return std::nullopt;
}

std::optional<ils::Failure> Delivery::Run::send() {
  auto& b = d.backend_;
  const auto answer = [&](auto res) -> std::optional<ils::Failure> {
    if (!res) return res.error();
    r.result = json(*res);
    return std::nullopt;
  };
  switch (job.op) {
    case Op::checkout:
      return answer(call([&] { return b.checkout(ctx, job.args.get<ils::CheckoutRequest>()); }));
    case Op::checkin:
      return answer(call([&] { return b.checkin(ctx, job.args.get<ils::CheckinRequest>()); }));
    case Op::renew:
      return answer(call([&] { return b.renew(ctx, job.args.get<ils::RenewRequest>()); }));
    case Op::renew_all:
      return answer(call([&] { return b.renew_all(ctx, job.args.get<ils::PatronRef>()); }));
    case Op::fee_paid: {
      auto q = job.args.get<ils::FeePayment>();
      q.transaction_id = job.reference();  // what the read-back finds it by
      return answer(call([&] { return b.pay_fee(ctx, q); }));
    }
    case Op::hold_place:
      return answer(call([&] { return b.place_hold(ctx, job.args.get<ils::HoldRequest>()); }));
    case Op::hold_cancel:
      return answer(
          call([&] { return b.cancel_hold(ctx, job.args.get<ils::CancelHoldRequest>()); }));
    case Op::block_patron:
      return answer(call([&] { return b.block_patron(ctx, job.args.get<ils::BlockRequest>()); }));
    case Op::enable_patron:
      return answer(call([&] { return b.enable_patron(ctx, job.args.get<ils::PatronRef>()); }));
    case Op::item_status: {
      const auto q = job.args.get<ItemStatusArgs>();
      return answer(call([&] { return b.update_item_status(ctx, q.item_barcode, q.properties); }));
    }
  }
  return ils::Failure{ils::make_error_code(ils::errc::not_supported), "unknown operation"};
}

Back Delivery::Run::read_back_now(const Baseline& base) {
  switch (job.op) {
    case Op::checkout:
      return checkout_back(job.args.get<ils::CheckoutRequest>());
    case Op::checkin:
      return checkin_back(job.args.get<ils::CheckinRequest>());
    case Op::renew:
      return renew_back(job.args.get<ils::RenewRequest>(), base);
    case Op::renew_all:
      return renew_all_back(job.args.get<ils::PatronRef>(), base);
    case Op::fee_paid:
      return fee_back(job.args.get<ils::FeePayment>());
    case Op::hold_place: {
      const auto q = job.args.get<ils::HoldRequest>();
      return holds_back(q.patron, q.item_barcode, true, {});
    }
    case Op::hold_cancel: {
      const auto q = job.args.get<ils::CancelHoldRequest>();
      return holds_back(q.patron, q.item_barcode, false, q.hold_id);
    }
    case Op::block_patron: {
      const auto q = job.args.get<ils::BlockRequest>();
      return blocks_back(q.patron, &q.reason);
    }
    case Op::enable_patron:
      return blocks_back(job.args.get<ils::PatronRef>(), nullptr);
    case Op::item_status:
      // Setting an item's properties again leaves it as one setting would: safe to resend.
      return {Finding::not_applied, {}, {}};
  }
  return {Finding::unknown, {}, "unknown operation", true};
}

Back Delivery::Run::checkout_back(const ils::CheckoutRequest& q) {
  auto item = call([&] { return d.backend_.item(ctx, q.item_barcode); });
  if (!item) {
    if (item.error().code == ils::errc::not_found) return {Finding::not_applied, {}, {}};
    return unknown(item.error());
  }
  if (charged_to(*item, q.patron)) return {Finding::applied, json(loan_of(*item)), {}};
  return {Finding::not_applied, {}, {}};
}

Back Delivery::Run::checkin_back(const ils::CheckinRequest& q) {
  auto item = call([&] { return d.backend_.item(ctx, q.item_barcode); });
  if (!item) {
    if (item.error().code == ils::errc::not_found) return {Finding::not_applied, {}, {}};
    return unknown(item.error());
  }
  // A status the return is refused for (a profile's checkin.reject_item_statuses) was never
  // checked in: sending it again gets the library system's refusal.
  if (ils::status_listed(*item, q.refuse_statuses)) return {Finding::not_applied, {}, {}};
  // Returned, or returned and lent again since (sending it again would end the newer loan).
  const bool lent_since = item->loan_date && *item->loan_date > q.return_date;
  if (!charged(*item) || lent_since) {
    ils::CheckinResult result;
    result.item = *item;
    // Whether a loan was open before cannot be read back: taken as yes, so that a profile's
    // checkin.ok_when_not_checked_out false does not call a return that closed one "not out".
    result.had_loan = true;
    return {Finding::applied, json(result), {}};
  }
  return {Finding::not_applied, {}, {}};
}

Back Delivery::Run::renew_back(const ils::RenewRequest& q, const Baseline& base) {
  if (!base.present)
    return {Finding::unknown, {}, "no loan was read before the renewal to compare with", true};
  auto item = call([&] { return d.backend_.item(ctx, q.item_barcode); });
  if (!item) return unknown(item.error());
  const auto due = seconds_of(item->due_date);
  const bool moved =
      item->renewal_count > base.renewal_count || (due && base.due_date && *due > *base.due_date);
  if (charged_to(*item, q.patron) && moved) return {Finding::applied, json(loan_of(*item)), {}};
  return {Finding::not_applied, {}, {}};
}

Back Delivery::Run::renew_all_back(const ils::PatronRef& patron, const Baseline& base) {
  if (!base.present)
    return {Finding::unknown, {}, "no loans were read before the renewals to compare with", true};
  ils::AccountParts parts{true, false, false, false, false};
  auto account = call([&] { return d.backend_.patron_account(ctx, patron, parts); });
  if (!account) return unknown(account.error());
  ils::RenewAllResult result;
  for (const auto& loan : account->loans) {
    const std::string alias = d.pseudonym_(loan.item_barcode);
    bool moved = false;
    for (const auto& [known, count] : base.loans)
      if (known == alias && loan.renewal_count > count) moved = true;
    if (moved)
      result.renewed.push_back(loan);
    else
      result.unrenewed.push_back({loan.item_barcode, loan.title, "not renewed"});
  }
  // FOLIO renews one loan after another: any renewed loan means the request was applied (a
  // second one would renew those loans again).
  if (!result.renewed.empty()) return {Finding::applied, json(result), {}};
  return {Finding::not_applied, {}, {}};
}

Back Delivery::Run::fee_back(const ils::FeePayment& q) {
  auto found = call([&] { return d.backend_.find_payment(ctx, q.patron, job.reference()); });
  if (!found) {
    if (found.error().code == ils::errc::not_supported)
      return {
          Finding::unknown, {}, "this library system cannot find a payment by its reference", true};
    return unknown(found.error());
  }
  if (*found) return {Finding::applied, json(**found), {}};
  return {Finding::not_applied, {}, {}};
}

Back Delivery::Run::holds_back(const ils::PatronRef& patron, const std::string& barcode,
                               bool placed, const std::string& hold_id) {
  ils::AccountParts parts{false, true, true, false, false};
  auto account = call([&] { return d.backend_.patron_account(ctx, patron, parts); });
  if (!account) return unknown(account.error());
  const ils::Hold* open = nullptr;
  for (const ils::Hold* h : holds_of(*account))
    if (h->item_barcode == barcode || (!hold_id.empty() && h->id == hold_id)) open = h;
  if (placed) {
    if (open != nullptr) return {Finding::applied, json(*open), {}};
    return {Finding::not_applied, {}, {}};
  }
  if (open != nullptr) return {Finding::not_applied, {}, {}};
  ils::Hold gone;
  gone.id = hold_id;
  gone.item_barcode = barcode;
  gone.requester_id = patron.id;
  return {Finding::applied, json(gone), {}};
}

Back Delivery::Run::blocks_back(const ils::PatronRef& patron, const std::string* reason) {
  ils::AccountParts parts{false, false, false, false, true};
  auto account = call([&] { return d.backend_.patron_account(ctx, patron, parts); });
  if (!account) return unknown(account.error());
  ils::EnableResult enabled;
  const ils::Block* ours = nullptr;
  for (const auto& b : account->blocks) {
    if (b.created_by_gateway && (reason == nullptr || b.message == *reason)) ours = &b;
    if (!b.created_by_gateway) enabled.remaining.push_back(b);
  }
  if (reason != nullptr) {  // block: our block is there
    if (ours != nullptr) return {Finding::applied, json(*ours), {}};
    return {Finding::not_applied, {}, {}};
  }
  if (ours != nullptr) return {Finding::not_applied, {}, {}};  // enable: none of ours is left
  return {Finding::applied, json(enabled), {}};
}

}  // namespace outbox
