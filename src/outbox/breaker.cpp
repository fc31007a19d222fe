// The circuit breaker: a sliding window of ten time slices counting calls, failures and slow
// calls; open for a while when too many fail or are slow, then half-open for a few probes.
#include "outbox/breaker.hpp"

#include <algorithm>

namespace outbox {

std::string_view name_of(BreakerState s) {
  switch (s) {
    case BreakerState::closed:
      return "closed";
    case BreakerState::open:
      return "open";
    case BreakerState::half_open:
      return "half_open";
  }
  return "closed";
}

SteadyTime steady_now() {
  return std::chrono::steady_clock::now();
}

Breaker::Breaker(BreakerOptions options, SteadyClock clock, Counters* counters)
    : options_(options), clock_(std::move(clock)), counters_(counters) {
  options_.window = std::max(options_.window, std::chrono::milliseconds(bucket_count));
  options_.probes = std::max<std::uint32_t>(options_.probes, 1);
}

BreakerState Breaker::state() const {
  const std::lock_guard lock(mutex_);
  return state_locked(clock_());
}

BreakerState Breaker::state_locked(SteadyTime now) const {
  if (!open_) return BreakerState::closed;
  return now >= opened_at_ + options_.open_for ? BreakerState::half_open : BreakerState::open;
}

std::optional<SteadyTime> Breaker::reopens_at() const {
  const std::lock_guard lock(mutex_);
  if (state_locked(clock_()) != BreakerState::open) return std::nullopt;
  return opened_at_ + options_.open_for;
}

bool Breaker::allow() const {
  return state() != BreakerState::open;
}

void Breaker::record(bool ok, std::chrono::milliseconds latency) {
  const std::lock_guard lock(mutex_);
  const SteadyTime now = clock_();
  const bool slow = latency >= options_.slow_call;
  switch (state_locked(now)) {
    case BreakerState::closed:
      add_locked(now, !ok, slow);
      if (tripped_locked(now)) open_locked(now);
      return;
    case BreakerState::open:
      return;  // a call let through by its caller's choice says nothing new
    case BreakerState::half_open:
      if (!ok || slow) {
        open_locked(now);
        return;
      }
      if (++probes_ok_ >= options_.probes) close_locked();
      return;
  }
}

void Breaker::open_locked(SteadyTime now) {
  if (!open_ && counters_ != nullptr) counters_->breaker_opened.fetch_add(1);
  open_ = true;
  opened_at_ = now;
  probes_ok_ = 0;
}

void Breaker::close_locked() {
  open_ = false;
  probes_ok_ = 0;
  buckets_.fill(Bucket{});  // the failures that opened it are history
  if (counters_ != nullptr) counters_->breaker_closed.fetch_add(1);
}

void Breaker::add_locked(SteadyTime now, bool failed, bool slow) {
  const auto slice = options_.window / static_cast<std::int64_t>(bucket_count);
  const std::int64_t slot = now.time_since_epoch() / slice;
  Bucket& b = buckets_[static_cast<std::size_t>(slot) % bucket_count];
  if (b.slot != slot) b = Bucket{slot, 0, 0, 0};
  ++b.calls;
  b.failures += failed ? 1 : 0;
  b.slow += slow ? 1 : 0;
}

bool Breaker::tripped_locked(SteadyTime now) const {
  const auto slice = options_.window / static_cast<std::int64_t>(bucket_count);
  const std::int64_t current = now.time_since_epoch() / slice;
  std::uint64_t calls = 0;
  std::uint64_t failures = 0;
  std::uint64_t slow = 0;
  for (const Bucket& b : buckets_) {
    if (b.slot < 0 || current - b.slot >= static_cast<std::int64_t>(bucket_count)) continue;
    calls += b.calls;
    failures += b.failures;
    slow += b.slow;
  }
  if (calls == 0 || calls < options_.min_calls) return false;
  const auto share = [calls](std::uint64_t n) {
    return static_cast<double>(n) / static_cast<double>(calls);
  };
  return share(failures) >= options_.error_rate || share(slow) >= options_.slow_rate;
}

}  // namespace outbox
