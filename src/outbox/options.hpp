// The outbox's settings: retention, retry schedule, attempt lease and circuit breaker (the
// gateway fills them from the config's `outbox` section).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace outbox {

using namespace std::chrono_literals;

/// Exponential backoff with full jitter: the n-th retry waits a uniformly random time in
/// [0, min(cap, base × 2^(n-1))). A job that has had max_attempts attempts, or is older than
/// max_age, goes to the exceptions queue.
struct Backoff {
  std::chrono::milliseconds base = 1s;
  std::chrono::milliseconds cap = 5min;
  std::uint32_t max_attempts = 100;
  std::chrono::seconds max_age = 72h;
};

/// When the circuit breaker opens, and how it closes again. Over the last `window`, with at
/// least `min_calls` calls, it opens when the share of failed calls reaches `error_rate` or the
/// share of calls slower than `slow_call` reaches `slow_rate`. After `open_for` it lets
/// `probes` calls through (half-open): that many answered in a row close it, one failed or
/// slow call opens it again.
struct BreakerOptions {
  std::chrono::milliseconds window = 30s;
  std::uint32_t min_calls = 10;
  double error_rate = 0.5;
  std::chrono::milliseconds slow_call = 5s;
  double slow_rate = 0.8;
  std::chrono::milliseconds open_for = 15s;
  std::uint32_t probes = 3;
};

struct Options {
  /// A finished job keeps its sealed request and result this long, then only its id, op,
  /// state, times, pseudonyms and reason.
  std::chrono::seconds retention = 24h * 7;
  /// A finished job's idempotency key is kept this long (>= retention): a kiosk repeating a
  /// transaction within it gets the first outcome.
  std::chrono::seconds key_window = 24h * 30;
  /// A job submitted without a discriminator is a retry of the latest job with the same
  /// institution, op, patron and item when that one is younger than this and no other job of
  /// the item or the patron came between.
  std::chrono::seconds retry_window = 120s;
  Backoff backoff;
  /// The deadline of one attempt by the forwarder (its calls and read-backs together).
  std::chrono::milliseconds lease = 30s;
  /// Kept free at the end of an attempt's deadline for a read-back after an ambiguous answer:
  /// the change itself is sent with this much less time (a kiosk is answered by its deadline).
  std::chrono::milliseconds read_back_timeout = 3s;
  /// A change is not started with less than this left before the attempt's deadline.
  std::chrono::milliseconds min_mutation_budget = 2s;
  /// Forwarder threads (jobs of one item or one patron still go one at a time, in order).
  unsigned forwarder_threads = 8;
  BreakerOptions breaker;
  /// Finished jobs handled per write transaction by purge().
  std::size_t purge_batch = 500;
  /// Submissions waiting at once are journalled by one write job (one nested transaction)
  /// up to this many; 1: each submission is a write job of its own. Either way the store's
  /// writer commits what is queued together.
  std::size_t submit_batch = 4096;
};

}  // namespace outbox
