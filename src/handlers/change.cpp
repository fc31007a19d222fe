// A circulation change through the outbox: the mode, the idempotency key's discriminator, the
// journal, the first attempt or the offline answer.
#include "handlers/change.hpp"

#include <regex>

#include "handlers/support.hpp"
#include "outbox/breaker.hpp"
#include "outbox/forwarder.hpp"
#include "outbox/outbox.hpp"

namespace handlers::detail {

namespace {

using namespace std::chrono_literals;

config::OutboxMode mode_of(const Terminal& t, const Services& s) {
  if (t.account && t.account->outbox_mode) return *t.account->outbox_mode;
  return s.settings.outbox.mode;
}

bool blank(const sip2::Timestamp& d) {
  return d.is_zero();
}

/// What tells this transaction apart from another with the same operation, patron and item:
/// the kiosk's transaction date, or empty when it cannot. It cannot when it is blank; when it is
/// the date of this terminal's previous, different change (two transactions in one second, or a
/// clock that stands still: from the first time seconds went by on one date, the whole session
/// is distrusted). The journal then treats the same change within outbox.retry_window_seconds,
/// with no other change of the item or patron between, as a retry (Outbox::submit). The same
/// request again with the same date (a kiosk's retry) keeps its date and finds its job.
std::string discriminator(const Change& c, Terminal& t, const Services& s) {
  if (c.transaction_date == nullptr || blank(*c.transaction_date)) return {};
  std::string date = sip2::format_timestamp(*c.transaction_date);
  // Which request this is, in memory only (a hash, never logged or stored).
  const std::size_t request =
      std::hash<std::string>{}(std::to_string(static_cast<int>(c.op)) + '\x1f' +
                               std::string(c.patron) + '\x1f' + std::string(c.item));
  const auto now = s.now();
  const bool same_date = date == t.last_change_date;
  const bool same_request = same_date && request == t.last_change_request;
  const bool reused = same_date && !same_request && !c.replay;
  if (reused && now - t.last_change_at >= 2s) t.frozen_clock = true;
  if (!same_date) t.last_change_at = now;
  t.last_change_date = std::move(date);
  t.last_change_request = request;
  if (c.replay) return "date:" + t.last_change_date;
  if (t.frozen_clock || reused) return {};
  return "date:" + t.last_change_date;
}

ChangeResult repeated(ChangeResult r) {
  r.repeated = true;
  return r;
}

ChangeResult from_job(outbox::Job job, std::string detail) {
  ChangeResult r;
  r.detail = std::move(detail);
  // An exception the kiosk was not told yes about (the library system cannot do it at all) is
  // answered like a refusal.
  const bool impossible = job.state == outbox::State::exception && !job.acknowledged;
  if (job.state == outbox::State::delivered || job.state == outbox::State::refused || impossible) {
    r.kind = ChangeResult::Kind::decided;
  } else if (job.acknowledged) {
    r.kind = ChangeResult::Kind::acknowledged;
    r.offline = true;
  } else {
    r.kind = ChangeResult::Kind::unavailable;
  }
  r.job = std::move(job);
  return r;
}

ChangeResult unavailable(const Services& s, std::string key, std::string detail) {
  ChangeResult r;
  r.kind = ChangeResult::Kind::unavailable;
  r.screen = s.catalogue.text(key);
  r.detail = std::move(detail);
  return r;
}

}  // namespace

bool is_replay(bool no_block, const sip2::Timestamp& date, const Terminal& t, const Services& s) {
  const auto& profile = t.behaviour.offline;
  if (no_block) return true;
  if (blank(date) || !profile.detect_unflagged) return false;
  const auto min_age = profile.unflagged_min_age.value_or(s.settings.outbox.offline.replay_min_age);
  return instant(date, t, s) < s.now() - min_age;
}

bool offline_now(const Terminal& t, const Services& s) {
  if (s.outbox == nullptr) return false;
  switch (mode_of(t, s)) {
    case config::OutboxMode::offline:
      return true;
    case config::OutboxMode::online:
      return false;
    case config::OutboxMode::automatic:
      // Half-open too: the forwarder's deliveries are the trial calls. A kiosk's change sent
      // online then would wait its whole deadline on a library system that may still be down,
      // and 98 would flip to on-line before anything showed it was back.
      return s.breaker != nullptr && s.breaker->state() != outbox::BreakerState::closed;
  }
  return false;
}

ChangeResult run_change(Change c, Terminal& t, const Services& s, const Request& r) {
  if (s.outbox == nullptr || s.forwarder == nullptr) return {};
  const auto mode = mode_of(t, s);
  const bool offline = offline_now(t, s);
  outbox::NewJob job;
  job.op = c.op;
  job.institution = std::string(c.institution);
  job.patron_identifier = std::string(c.patron);
  job.item_identifier = std::string(c.item);
  job.discriminator = discriminator(c, t, s);
  job.args = std::move(c.args);
  // The profile's wishes for what the forwarder meets later (outbox::kStaleGuardArg).
  const auto& profile = t.behaviour.offline;
  using P = profiles::Behaviour::Offline;
  if (profile.stale_guard != P::StaleGuard::skip && job.args.is_object())
    job.args[outbox::kStaleGuardArg] =
        profile.stale_guard == P::StaleGuard::none ? "none" : "apply_and_flag";
  if (profile.exceptions != P::Exceptions::log_and_queue && job.args.is_object())
    job.args[outbox::kExceptionsArg] =
        profile.exceptions == P::Exceptions::log ? "log" : "queue_for_staff";
  job.replay = c.replay;
  // A replay happened at the kiosk already; offline, local policy answers. Either way the
  // kiosk is told yes now and the forwarder delivers it.
  job.acknowledged = c.replay || offline;
  if (!job.acknowledged) {
    // The first attempt is this handler's (below); the forwarder takes the job only if the
    // handler is gone (a crash) or left it unresolved, a little after the request's deadline.
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        r.deadline - std::chrono::steady_clock::now());
    job.not_before = s.outbox->now() + std::max(left, std::chrono::milliseconds(0)) + 1s;
  }
  if (offline && !c.replay && !c.offline_ok) {
    // Local policy says no now (the balance it took is paid, say), but a retry of a
    // transaction it said yes to before gets that first outcome.
    if (!job.discriminator.empty()) {
      auto before = s.outbox->find(s.outbox->key_of(job));
      if (before && *before) return repeated(from_job(std::move(**before), "repeated transaction"));
    }
    ChangeResult no;
    no.kind = ChangeResult::Kind::refused;
    no.offline = true;
    no.screen = s.catalogue.text("offline.refused");
    no.detail = "offline: local policy does not allow it";
    return no;
  }
  auto submitted = s.outbox->submit(job);
  if (!submitted)
    return unavailable(s, "outbox.unavailable", "not journalled: " + submitted.error().message());
  auto& sub = *submitted;
  if (!sub.created) {
    // The same transaction asked before (a retry, from this or another connection): its
    // outcome, once there is one.
    if (sub.job.final() || sub.job.acknowledged)
      return repeated(from_job(std::move(sub.job), "repeated transaction"));
    // Not decided yet (its kiosk was cut off, say by a restart): online, this request makes
    // the attempt (or waits for the one in progress); otherwise it waits for the forwarder.
    if (!offline) {
      auto attempted = s.forwarder->attempt_now(sub.job.id, r.change(s.settings));
      if (attempted && attempted->final())
        return repeated(from_job(std::move(*attempted), "repeated transaction"));
    } else if (auto found = s.outbox->wait_final(sub.job.id, r.deadline)) {
      return repeated(from_job(std::move(*found), "repeated transaction"));
    }
    return unavailable(s, "backend.try_again", "repeated transaction: not decided yet");
  }
  if (job.acknowledged) {
    s.forwarder->wake();
    auto res = from_job(std::move(sub.job), c.replay ? "replay accepted" : "offline");
    res.offline = offline;
    return res;
  }
  auto attempted = s.forwarder->attempt_now(sub.job.id, r.change(s.settings));
  if (!attempted) return unavailable(s, "outbox.unavailable", attempted.error().message());
  if (attempted->final()) return from_job(std::move(*attempted), {});
  // No decision in time. In auto mode, local policy may answer yes and the forwarder delivers
  // it; otherwise the kiosk is told no and the job is only read back (never sent again): what
  // a kiosk was told failed must not happen later behind its back.
  if (mode == config::OutboxMode::automatic && c.offline_ok) {
    auto acked = s.outbox->acknowledge(attempted->id);
    if (acked) {
      auto res = from_job(std::move(*acked), "no decision in time: answered offline");
      res.offline = true;
      return res;
    }
  }
  auto withdrawn = s.outbox->withdraw(attempted->id);
  if (withdrawn && withdrawn->final() && withdrawn->state != outbox::State::dropped)
    return from_job(std::move(*withdrawn), {});
  // Not done: the library system did not answer within the request's time, or failed at once.
  const bool out_of_time = std::chrono::steady_clock::now() >= r.deadline;
  return unavailable(s, out_of_time ? "backend.timeout" : "backend.unavailable",
                     "no decision: " + attempted->reason + "; withdrawn");
}

ils::Failure failure_of(const outbox::Job& job) {
  // Delivery keeps a refusal as {"failure": {"code": ils::errc value, "message": ...}}.
  ils::Failure f{ils::make_error_code(ils::errc::rejected), {}};
  if (job.result.is_object() && job.result.contains("failure")) {
    const auto& j = job.result["failure"];
    const int code = j.value("code", static_cast<int>(ils::errc::rejected));
    if (code >= static_cast<int>(ils::errc::not_found) &&
        code <= static_cast<int>(ils::errc::insufficient_time))
      f.code = ils::make_error_code(static_cast<ils::errc>(code));
    f.message = j.value("message", std::string());
  }
  return f;
}

OfflineItem offline_item(const Services& s, std::string_view barcode) {
  const auto& o = s.settings.outbox.offline;
  for (const auto& [pattern, rule] : s.settings.offline_items)
    if (std::regex_search(barcode.begin(), barcode.end(), pattern))
      return {rule.loanable, rule.loan_days, rule.material_type};
  return {o.loanable, o.loan_days, {}};
}

}  // namespace handlers::detail
