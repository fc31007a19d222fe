// The completion's pacing is a token bucket: per_second tokens a second, at most max(1,
// per_second) saved up; each read started takes one. A read that finds the library system out of
// reach pauses everything for options.pause, so a library system that is down is not asked
// per_second times a second for nothing.
#include "identity/completion.hpp"

#include <algorithm>
#include <memory>
#include <utility>
#include <vector>

#include "obs/log.hpp"
#include "obs/metrics.hpp"

namespace identity {

namespace {

/// Ends a read however its job ends: run, thrown, or dropped unrun by the runner.
struct Flight {
  std::function<void(bool)> land;
  bool unreachable = false;
  Flight(const Flight&) = delete;
  Flight& operator=(const Flight&) = delete;
  explicit Flight(std::function<void(bool)> f) : land(std::move(f)) {}
  ~Flight() { land(unreachable); }
};

}  // namespace

Completion::Completion(Cache& cache, CompletionOptions options, obs::Metrics* metrics, Clock wall,
                       Now now)
    : cache_(cache),
      options_(options),
      metrics_(metrics),
      wall_(std::move(wall)),
      now_(now ? std::move(now) : Now([] { return SteadyClock::now(); })) {
  options_.per_second = std::max(options_.per_second, 0.001);
  options_.max_in_flight = std::max<std::size_t>(options_.max_in_flight, 1);
  options_.queue_size = std::max<std::size_t>(options_.queue_size, 1);
  tokens_ = std::max(1.0, options_.per_second);
  refilled_ = now_();
}

Background Completion::background() {
  return [this](Job job) {
    std::optional<Job> dropped;  // destroyed after the lock: it may end a validator's mark
    bool was_empty = false;
    {
      std::lock_guard lock(mutex_);
      was_empty = visits_.empty();
      visits_.push_front(std::move(job));
      if (visits_.size() > options_.queue_size) {
        dropped = std::move(visits_.back());
        visits_.pop_back();
        ++counts_.dropped;
      }
    }
    if (dropped) event("refresh_dropped");
    // A queue that had work already has a time to be looked at again.
    if (was_empty) notify();
  };
}

void Completion::on_work(std::function<void()> notify) {
  std::lock_guard lock(mutex_);
  notify_ = std::move(notify);
}

void Completion::notify() const {
  std::function<void()> f;
  {
    std::lock_guard lock(mutex_);
    f = notify_;
  }
  if (f) f();
}

void Completion::event(std::string_view name) const {
  if (metrics_ != nullptr) metrics_->identity(name);
}

void Completion::rescan() {
  std::lock_guard lock(mutex_);
  look_again_ = {};
}

Completion::SteadyClock::time_point Completion::run_due(const Background& run) {
  if (!indexed_) indexed_ = cache_.index_partial().has_value();
  std::vector<Job> start;
  std::optional<std::uint64_t> finished;
  auto next = SteadyClock::time_point::max();
  {
    std::lock_guard lock(mutex_);
    const auto now = now_();
    const std::chrono::duration<double> elapsed = now - refilled_;
    tokens_ = std::min(std::max(1.0, options_.per_second),
                       tokens_ + options_.per_second * elapsed.count());
    refilled_ = now;
    if (now < paused_until_) return paused_until_;
    while (tokens_ >= 1 && in_flight_ < options_.max_in_flight) {
      auto job = next_job(now);
      if (!job) break;
      tokens_ -= 1;
      ++in_flight_;
      start.push_back(std::move(*job));
    }
    finished = all_read();
    const bool waiting = !visits_.empty() || now >= look_again_;
    if (in_flight_ >= options_.max_in_flight)
      next = SteadyClock::time_point::max();
    else if (waiting)
      next = now + std::chrono::ceil<SteadyClock::duration>(
                       std::chrono::duration<double>((1 - tokens_) / options_.per_second));
    else
      next = look_again_;
  }
  log_all_read(finished);
  for (auto& job : start)
    run(std::move(job));
  // A read run at once may have found the library system out of reach.
  std::lock_guard lock(mutex_);
  if (next != SteadyClock::time_point::max() && paused_until_ > next) next = paused_until_;
  return next;
}

std::optional<Completion::Job> Completion::next_job(SteadyClock::time_point now) {
  if (!visits_.empty()) {
    auto flight = std::make_shared<Flight>([this](bool) { landed(std::nullopt, false); });
    Job job = [flight, visit = std::move(visits_.front())](ils::Backend& b) { visit(b); };
    visits_.pop_front();
    return job;
  }
  if (now < look_again_) return std::nullopt;
  auto key = next_partial();
  drained_ = !key.has_value();
  if (!key) {
    look_again_ = now + options_.rescan;
    return std::nullopt;
  }
  reading_.insert(*key);
  auto flight = std::make_shared<Flight>([this, k = *key](bool down) { landed(k, down); });
  return [this, flight, k = *key](ils::Backend& b) { flight->unreachable = complete(k, b); };
}

std::optional<Key> Completion::next_partial() {
  auto txn = cache_.env().read();
  if (!txn) return std::nullopt;
  const store::Db partial = cache_.db("id.partial");
  // From after the cursor to the end, then once from the start: records whose read failed for
  // a while come round again.
  for (const bool wrapped : {false, true}) {
    std::optional<Key> found;
    const Key from = wrapped ? Key() : cursor_;
    auto scanned = txn->scan(partial, from, [&](std::string_view k, std::string_view) {
      if ((!wrapped && !cursor_.empty() && k == cursor_) || reading_.contains(Key(k))) return true;
      found = Key(k);
      return false;
    });
    if (!scanned) return std::nullopt;
    if (found) {
      cursor_ = *found;
      return found;
    }
    if (cursor_.empty()) break;  // the first scan was already from the start
  }
  return std::nullopt;
}

bool Completion::complete(const Key& rk, ils::Backend& backend) {
  auto record = cache_.get(rk);
  if (!record) return false;  // the store cannot be read: it stays partial, for a later round
  if (!*record || (*record)->summary_complete) {
    cache_.unmark_partial(rk);  // forgotten, shredded, or read in full by a visit meanwhile
    return false;
  }
  const ils::CallContext ctx{"cache-complete", SteadyClock::now() + std::chrono::seconds(10)};
  auto summary = backend.patron_summary(ctx, {(*record)->patron_id, (*record)->barcode});
  if (!summary) {
    {
      std::lock_guard lock(mutex_);
      ++counts_.failed;
    }
    event("complete_failed");
    if (library_unreachable(summary.error())) return true;
    // The library system no longer has the patron (the next full pass would remove it), or
    // refuses this one: it is read in full when a kiosk next uses it, not asked for again here.
    if (patron_gone(summary.error()))
      cache_.forget_record(rk);
    else
      cache_.unmark_partial(rk);
    return false;
  }
  cache_.complete(rk, *summary, wall_());
  event("completed");
  std::lock_guard lock(mutex_);
  ++counts_.completed;
  return false;
}

std::optional<std::uint64_t> Completion::all_read() {
  if (!drained_ || !reading_.empty() || counts_.completed == completed_when_done_)
    return std::nullopt;
  const auto n = counts_.completed - completed_when_done_;
  completed_when_done_ = counts_.completed;
  return n;
}

void Completion::log_all_read(std::optional<std::uint64_t> completed) {
  if (completed)
    obs::log(spdlog::level::info, 0, {}, "identity cache: every record read in full",
             {{"records", std::to_string(*completed)}});
}

void Completion::landed(const std::optional<Key>& record_key, bool unreachable) {
  std::optional<std::uint64_t> finished;
  {
    std::lock_guard lock(mutex_);
    --in_flight_;
    if (record_key) reading_.erase(*record_key);
    if (unreachable) paused_until_ = now_() + options_.pause;
    finished = all_read();
  }
  log_all_read(finished);
  notify();
}

CompletionStats Completion::stats() const {
  std::lock_guard lock(mutex_);
  CompletionStats s = counts_;
  s.queued = visits_.size();
  s.in_flight = in_flight_;
  return s;
}

}  // namespace identity
