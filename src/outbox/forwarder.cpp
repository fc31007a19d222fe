// The forwarder's threads and the handler's first attempt: claim a due job (one attempt per job
// at a time, in order per item and per patron), attempt it through Delivery, and journal where
// it now stands (delivered, refused, an exception, or queued again with backoff).
#include "outbox/forwarder.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <random>

#include "outbox/journal_keys.hpp"

namespace outbox {
namespace {

constexpr std::size_t read_backs_kept = 8;
constexpr std::size_t due_batch = 256;
/// The longest a forwarder thread sleeps without a wake-up (a safety net for clock changes).
constexpr auto max_sleep = std::chrono::seconds(60);

Time schedule_start(const Job& job) {
  return std::max(job.created, job.retried);
}

}  // namespace

std::chrono::milliseconds backoff_delay(const Backoff& b, std::uint32_t attempts, double jitter) {
  const double cap = static_cast<double>(b.cap.count());
  double ceiling = static_cast<double>(b.base.count());
  for (std::uint32_t i = 1; i < attempts && ceiling < cap; ++i)
    ceiling *= 2;
  ceiling = std::min(ceiling, cap);
  jitter = std::clamp(jitter, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::floor(jitter * ceiling)));
}

Forwarder::Forwarder(Outbox& outbox, ils::Backend& backend, Breaker& breaker, Rng rng)
    : outbox_(outbox),
      breaker_(breaker),
      delivery_(
          backend, [&outbox](std::string_view id) { return outbox.pseudonym(id); },
          outbox.counters(),
          [&breaker](bool answered, std::chrono::milliseconds latency) {
            breaker.record(answered, latency);
          },
          [&outbox] { return outbox.now(); }, outbox.options().read_back_timeout),
      rng_(std::move(rng)) {
  if (!rng_) {
    auto engine = std::make_shared<std::mt19937_64>(std::random_device{}());
    rng_ = [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
  }
  outbox_.on_change([this] { wake(); });
}

Forwarder::~Forwarder() {
  stop();
  outbox_.on_change({});
}

Result<std::size_t> Forwarder::start() {
  auto recovered = outbox_.recover();
  if (!recovered) return recovered;
  const std::lock_guard lock(mutex_);
  stopping_ = false;
  const unsigned n = std::max(1u, outbox_.options().forwarder_threads);
  while (threads_.size() < n)
    threads_.emplace_back([this] { run_thread(); });
  return recovered;
}

void Forwarder::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    cv_.notify_all();
    work_cv_.notify_all();
  }
  for (auto& t : threads_)
    t.join();
  threads_.clear();
}

void Forwarder::wake() {
  const std::lock_guard lock(mutex_);
  ++wakes_;
  cv_.notify_all();
  work_cv_.notify_one();
}

bool Forwarder::claim(std::uint64_t id) {
  const std::lock_guard lock(mutex_);
  return claimed_.insert(id).second;
}

void Forwarder::release(std::uint64_t id) {
  const std::lock_guard lock(mutex_);
  claimed_.erase(id);
  ++wakes_;
  cv_.notify_all();
}

void Forwarder::run_thread() {
  for (;;) {
    std::uint64_t seen = 0;
    {
      const std::lock_guard lock(mutex_);
      if (stopping_) return;
      seen = wakes_;
    }
    if (run_due() > 0) continue;
    // Sleep until the next job is due, the breaker lets probes through, or something changes.
    std::chrono::milliseconds sleep = max_sleep;
    if (auto reopens = breaker_.reopens_at()) {
      sleep = std::chrono::duration_cast<std::chrono::milliseconds>(*reopens - steady_now());
    } else if (const Time now = outbox_.now(); auto next = outbox_.next_due(now)) {
      if (*next) sleep = std::chrono::duration_cast<std::chrono::milliseconds>(**next - now);
    }
    sleep = std::clamp(sleep, std::chrono::milliseconds(1), std::chrono::milliseconds(max_sleep));
    std::unique_lock lock(mutex_);
    work_cv_.wait_for(lock, sleep, [&] { return stopping_ || wakes_ != seen; });
  }
}

std::size_t Forwarder::run_due() {
  std::size_t made = 0;
  std::set<std::uint64_t> tried;  // each job once per call, however soon it is due again
  for (bool progress = true; progress;) {
    progress = false;
    // An open breaker sends nothing: no look at the backlog either (a new job wakes the
    // forwarder, and a look at thousands of jobs per kiosk request took the gateway's CPU
    // during an outage).
    if (breaker_.state() == BreakerState::open) return made;
    auto ids = outbox_.due(outbox_.now(), due_batch);
    if (!ids) return made;
    for (std::size_t i = 0; i < ids->size(); ++i) {
      const std::uint64_t id = (*ids)[i];
      {
        const std::lock_guard lock(mutex_);
        if (stopping_ && !threads_.empty()) return made;
      }
      const BreakerState breaker = breaker_.state();
      if (breaker == BreakerState::open) return made;
      if (tried.contains(id) || !claim(id)) continue;
      tried.insert(id);
      if (i + 1 < ids->size()) work_cv_.notify_one();  // more to do than this thread takes
      const bool attempted = attempt(id, {});
      release(id);
      if (!attempted) continue;
      ++made;
      progress = true;
      // Half-open: one job at a time, then look at the breaker again.
      if (breaker == BreakerState::half_open) break;
    }
  }
  return made;
}

Result<Job> Forwarder::attempt_now(std::uint64_t id, const ils::CallContext& ctx) {
  std::unique_lock lock(mutex_);
  for (;;) {
    const std::uint64_t seen = wakes_;
    lock.unlock();
    auto found = outbox_.find(id);
    if (!found) return tl::unexpected(found.error());
    if (!*found) return tl::unexpected(make_error_code(errc::not_found));
    if ((*found)->final()) return std::move(**found);
    bool ready = (*found)->state == State::queued;
    if (ready) {
      auto blocked = outbox_.blocked(**found);
      if (!blocked) return tl::unexpected(blocked.error());
      ready = !*blocked;
    }
    lock.lock();
    if (ready && claimed_.insert(id).second) break;
    // An earlier job of the item or patron, or the forwarder's attempt of this one, first.
    if (!cv_.wait_until(lock, ctx.deadline, [&] { return wakes_ != seen; })) {
      lock.unlock();
      auto latest = outbox_.find(id);
      if (!latest) return tl::unexpected(latest.error());
      if (!*latest) return tl::unexpected(make_error_code(errc::not_found));
      return std::move(**latest);
    }
  }
  lock.unlock();
  (void)attempt(id, ctx);
  release(id);
  auto latest = outbox_.find(id);
  if (!latest) return tl::unexpected(latest.error());
  if (!*latest) return tl::unexpected(make_error_code(errc::not_found));
  return std::move(**latest);
}

ils::CallContext Forwarder::context_for(const Job& job) const {
  const Options& o = outbox_.options();
  return {"outbox-" + std::to_string(job.id) + "-" + std::to_string(job.attempts + 1),
          std::chrono::steady_clock::now() + o.lease, o.min_mutation_budget};
}

bool Forwarder::attempt(std::uint64_t id, std::optional<ils::CallContext> ctx) {
  auto found = outbox_.find(id);
  if (!found || !*found) return false;
  const Job job = std::move(**found);
  if (job.state != State::queued) return false;
  auto blocked = outbox_.blocked(job);
  if (!blocked || *blocked) return false;
  Counters& counters = outbox_.counters();
  const Time now = outbox_.now();
  const Options& o = outbox_.options();
  if (now - schedule_start(job) >= o.backoff.max_age) {
    Job aged = job;
    aged.state = State::exception;
    aged.finished = now;
    aged.reason = "aged out before it could be delivered" +
                  (job.reason.empty() ? std::string() : " (last: " + job.reason + ")");
    aged = route_exception(std::move(aged));
    if (outbox_.save(aged, State::queued)) counters.count(Verdict::exception);
    if (settled_) settled_(aged);
    return true;
  }
  counters.attempts.fetch_add(1);
  bool marked = false;
  AttemptResult r;
  try {
    const ils::CallContext call = ctx ? *ctx : context_for(job);
    r = job.withdrawn ? delivery_.read_back_only(job, call)
                      : delivery_.attempt(job, call, [&](const Job& next) {
                          Job flying = next;
                          flying.state = State::in_flight;
                          flying.attempts = job.attempts + 1;
                          marked = outbox_.save(flying, State::queued).has_value();
                          return marked;
                        });
  } catch (const std::exception&) {  // a backend that throws: retried, read back first if sent
    r = AttemptResult{};
    r.verdict = Verdict::retry;
    r.unresolved = marked;
    r.reason = "the attempt failed inside the gateway";
  }
  const Job after = route_exception(settle(job, r, outbox_.now()));
  // A failed write leaves the job in flight: the next start reads it back.
  for (int tries = 0; tries < 3; ++tries) {
    auto saved = outbox_.save(after, marked ? State::in_flight : State::queued);
    if (saved) break;
    if (saved.error() == errc::wrong_state) break;  // dropped by staff before it was sent
  }
  switch (after.state) {
    case State::delivered:
      counters.count(Verdict::delivered);
      break;
    case State::refused:
      counters.count(Verdict::refused);
      break;
    case State::queued:
      counters.count(Verdict::retry);
      break;
    case State::dropped:
      counters.count(after.withdrawn ? Verdict::withdrawn : Verdict::exception);
      break;
    default:
      counters.count(Verdict::exception);
  }
  if (settled_) settled_(after);
  return true;
}

Job Forwarder::route_exception(Job job) {
  // Only what the kiosk was told yes to (a replay, an offline answer): a live request's refusal
  // is the kiosk's own answer, and a withdrawn job's outcome is for the read-back.
  if (job.state != State::exception || !job.acknowledged || job.withdrawn || !job.args.is_object())
    return job;
  if (job.args.value(kExceptionsArg, std::string()) != "log") return job;
  // The device keeps its own list of failed transactions for staff: logged, not queued twice.
  job.state = State::dropped;
  job.reason =
      "not queued for staff (the firmware profile's offline.exceptions is log): " + job.reason;
  return job;
}

Job Forwarder::settle(Job job, const AttemptResult& r, Time now) {
  const Options& o = outbox_.options();
  const bool was_acknowledged = job.acknowledged;
  job.attempts += 1;
  job.read_backs.insert(job.read_backs.end(), r.read_backs.begin(), r.read_backs.end());
  if (job.read_backs.size() > read_backs_kept)
    job.read_backs.erase(job.read_backs.begin(),
                         job.read_backs.end() - static_cast<std::ptrdiff_t>(read_backs_kept));
  if (r.baseline.present) job.baseline = r.baseline;
  job.unresolved = false;
  job.finished = now;
  switch (r.verdict) {
    case Verdict::delivered:
      job.state = State::delivered;
      job.result = r.result;
      job.reason = job.withdrawn ? "applied although the kiosk was told it failed" : r.reason;
      return job;
    case Verdict::withdrawn:
      journal::settle_withdrawn(job, now);
      job.reason = r.reason;
      return job;
    case Verdict::refused:
      job.result = r.result;
      job.state = was_acknowledged ? State::exception : State::refused;
      job.reason =
          was_acknowledged ? "refused after the kiosk was told yes: " + r.reason : r.reason;
      return job;
    case Verdict::exception:
      job.state = State::exception;
      job.result = r.result;  // the library system's words, when it said why
      job.reason = r.reason;
      return job;
    case Verdict::retry:
      break;
  }
  job.unresolved = r.unresolved;
  const std::uint32_t made = job.attempts - job.attempts_at_retry;
  if (made >= o.backoff.max_attempts || now - schedule_start(job) >= o.backoff.max_age) {
    job.state = State::exception;
    job.reason = "gave up after " + std::to_string(made) + " attempts" +
                 (r.unresolved ? " (whether the last one was applied is unknown)" : "") + ": " +
                 r.reason;
    return job;
  }
  double jitter = 0;
  {
    const std::lock_guard lock(rng_mutex_);
    jitter = rng_();
  }
  job.state = State::queued;
  job.finished = Time{};
  job.next_attempt = now + backoff_delay(o.backoff, made, jitter);
  job.reason = r.reason;
  return job;
}

}  // namespace outbox
