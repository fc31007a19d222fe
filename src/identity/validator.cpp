// The validation flow. In order:
//   1. the record: a miss or a record past the hard age is read from the library system (and
//      cached); past the soft age it is served and refreshed in the background; when the library
//      system cannot be asked, a record younger than the hard age is served (offline), an older
//      one or none is "unknown";
//   2. the PIN, when one was sent: a locked patron is refused without asking anyone; a PIN
//      checked right in the last minutes (memo) or matching the unexpired verifier is accepted
//      locally; otherwise the library system decides, and its "yes" renews the verifier, its
//      "no" counts a failure. Offline, only a matching unexpired verifier is accepted.
#include "identity/validator.hpp"

#include <atomic>
#include <exception>
#include <memory>

#include "obs/metrics.hpp"

namespace identity {

bool library_unreachable(const ils::Failure& f) {
  return f.code == ils::errc::unavailable || f.code == ils::errc::timeout ||
         f.code == ils::errc::unauthorized || f.code == ils::errc::bad_response ||
         f.code == ils::errc::insufficient_time;
}

bool patron_gone(const ils::Failure& f) {
  return f.code == ils::errc::not_found || f.code == ils::errc::invalid_identifier;
}

namespace {

ils::Timestamp system_now() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace

Validator::Validator(Cache& cache, ValidationPolicy policy, obs::Metrics* metrics, Clock clock)
    : cache_(cache),
      policy_(policy),
      metrics_(metrics),
      clock_(clock ? std::move(clock) : Clock(system_now)),
      memo_key_(crypto::random_key()) {}

void Validator::served(const Validation& v, ils::Timestamp now,
                       std::optional<std::uint32_t> used_day) {
  if (metrics_ != nullptr)
    metrics_->identity_record_age(std::chrono::duration<double>(now - v.record->synced_at).count());
  cache_.touch(v.key, now, used_day);
}

void Validator::event(std::string_view name) const {
  if (metrics_ != nullptr) metrics_->identity(name);
}

bool Validator::remembered(const Key& rk, std::string_view pin, ils::Timestamp now) {
  const auto d = crypto::hmac(memo_key_, {rk, pin});
  const std::string tag(reinterpret_cast<const char*>(d.data()), d.size());
  std::lock_guard lock(mutex_);
  const auto it = memo_.find(tag);
  if (it == memo_.end()) return false;
  if (it->second <= now) {
    memo_.erase(it);
    return false;
  }
  return true;
}

void Validator::remember(const Key& rk, std::string_view pin, ils::Timestamp now) {
  const auto d = crypto::hmac(memo_key_, {rk, pin});
  std::string tag(reinterpret_cast<const char*>(d.data()), d.size());
  std::lock_guard lock(mutex_);
  if (memo_.size() >= policy_.memo_size) {
    // Full: drop what has expired; if nothing has, start again (the memo is only a shortcut).
    std::erase_if(memo_, [now](const auto& e) { return e.second <= now; });
    if (memo_.size() >= policy_.memo_size) memo_.clear();
  }
  memo_[std::move(tag)] = now + policy_.memo_ttl;
}

void Validator::refreshed(const Key& key) {
  std::lock_guard lock(mutex_);
  refreshing_.erase(key);
}

void Validator::refresh_later(const Query& q, const Key& key, ils::Timestamp now,
                              const Background& background) {
  if (!background) return;
  {
    std::lock_guard lock(mutex_);
    if (policy_.refresh_asks_per_second > 0) {
      if (now != ask_second_) ask_second_ = now, asks_ = 0;
      if (asks_ >= policy_.refresh_asks_per_second) return;
    }
    if (!refreshing_.insert(key).second) return;  // one refresh per record at a time
    ++asks_;
  }
  event("refresh_queued");
  // Ends the refresh however the job ends: run, thrown, or dropped unrun (a full queue, a
  // shutdown); a mark left behind would keep the record from ever being refreshed again.
  struct Mark {
    Validator* self;
    Key key;
    std::atomic<bool> open{true};
    Mark(Validator* v, Key k) : self(v), key(std::move(k)) {}
    Mark(const Mark&) = delete;
    Mark& operator=(const Mark&) = delete;
    ~Mark() { release(); }
    void release() {
      if (open.exchange(false)) self->refreshed(key);
    }
  };
  auto mark = std::make_shared<Mark>(this, key);
  background([this, mark, institution = std::string(q.institution),
              identifier = std::string(q.identifier)](ils::Backend& backend) {
    const ils::CallContext ctx{"refresh",
                               std::chrono::steady_clock::now() + std::chrono::seconds(10)};
    auto r = fetch({institution, identifier, std::nullopt}, backend, ctx, clock_());
    if (!r && patron_gone(r.error())) (void)cache_.forget(institution, identifier);
    mark->release();
  });
}

tl::expected<Cache::Hit, ils::Failure> Validator::fetch(const Query& q, ils::Backend& backend,
                                                        const ils::CallContext& ctx,
                                                        ils::Timestamp now) {
  auto patron = backend.lookup_patron(ctx, q.identifier);
  if (!patron) return tl::unexpected(patron.error());
  auto summary = backend.patron_summary(ctx, patron->ref());
  if (!summary) return tl::unexpected(summary.error());
  auto record =
      make_record(*patron, *summary, std::string(), backend.capabilities().credential, now);
  Cache::Hit hit{cache_.record_key(q.institution, patron->id), record, std::nullopt, std::nullopt};
  cache_.put(q.institution, *patron, record);
  event("fetched");
  return hit;
}

std::optional<Validation> Validator::local(const Query& q, ils::Timestamp now,
                                           const Background& background) {
  auto hit = cache_.find(q.institution, q.identifier);
  if (!hit || !*hit) return std::nullopt;
  const auto age = now - (*hit)->record.synced_at;
  if (age >= policy_.hard_age) return std::nullopt;
  Validation v;
  v.found = Validation::Found::yes;
  v.key = (*hit)->key;
  if (q.pin) {
    if ((*hit)->record.credential_mode != ils::CredentialMode::none) {
      const auto& lock = (*hit)->lockout;  // nullopt: unreadable, a lock could be hiding there
      if (!lock || lock->locked(now)) return std::nullopt;
      if (!remembered(v.key, *q.pin, now)) return std::nullopt;
      event("pin_memo");
    }
    v.pin_ok = true;
  }
  v.record = std::move((*hit)->record);
  refresh_if_stale(v, q, now, background);
  event("hit");
  served(v, now, (*hit)->used_day);
  return v;
}

void Validator::refresh_if_stale(Validation& v, const Query& q, ils::Timestamp now,
                                 const Background& background) {
  // Past the soft age, or listed in bulk and never read in full (no automated blocks or
  // counts yet): served now, read in full in the background.
  if (summary_age(*v.record, now) < policy_.soft_age) return;
  v.stale = true;
  event(v.record->summary_complete ? "stale" : "partial");
  refresh_later(q, v.key, now, background);
}

Validation Validator::validate(const Query& q, ils::Backend& backend, const ils::CallContext& ctx,
                               ils::Timestamp now, const CryptoRunner& crypto,
                               const Background& background) {
  Validation v;
  auto hit = cache_.find(q.institution, q.identifier);
  if (!hit) event("store_error");  // the cache cannot be read: ask the library system
  std::optional<Cache::Hit> cached = hit ? std::move(*hit) : std::nullopt;
  const bool too_old = cached && now - cached->record.synced_at >= policy_.hard_age;
  if (!cached || too_old) {
    event(!cached ? "miss" : "verify_through");
    auto fetched = fetch(q, backend, ctx, now);
    if (fetched) {
      cached = std::move(*fetched);
    } else if (patron_gone(fetched.error())) {
      if (cached) (void)cache_.forget(q.institution, q.identifier);
      v.found = Validation::Found::no;
      v.failure = fetched.error();
      return v;
    } else {
      // The library system cannot be asked: a record past the hard age is not used.
      v.found = Validation::Found::unknown;
      v.offline = library_unreachable(fetched.error());
      v.failure = fetched.error();
      event("unavailable");
      return v;
    }
  } else {
    event("hit");
  }
  v.found = Validation::Found::yes;
  v.key = cached->key;
  v.record = std::move(cached->record);
  refresh_if_stale(v, q, now, background);
  served(v, now, cached->used_day);
  if (q.pin) check_pin(v, *q.pin, backend, ctx, now, crypto);
  return v;
}

void Validator::check_pin(Validation& v, std::string_view pin, ils::Backend& backend,
                          const ils::CallContext& ctx, ils::Timestamp now,
                          const CryptoRunner& crypto) {
  if (v.record->credential_mode == ils::CredentialMode::none) {
    v.pin_ok = true;  // the library system checks no PIN: neither does the cache
    return;
  }
  auto lock = cache_.lockout(v.key);
  if (lock && lock->locked(now)) {
    v.locked = true;
    v.pin_ok = false;
    event("locked");
    return;
  }
  // A right PIN resets the failures. The memo keeps its expiry: a hit does not extend it.
  const auto accepted = [&](bool memo) {
    v.pin_ok = true;
    if (!memo) remember(v.key, pin, now);
    if (lock && lock->failures > 0) cache_.clear_failures(v.key);
  };
  // Unreadable lockout: only the library system may accept (a lock could be hiding there).
  if (lock && remembered(v.key, pin, now)) {
    accepted(true);
    event("pin_memo");
    return;
  }
  // False when the crypto pool's queue is full or Argon2id threw (nothing escapes into the
  // pool, whose waiter would otherwise wait forever).
  auto run = [this, &crypto](const std::function<void()>& f) {
    bool ran = false;
    auto timed = [this, &f, &ran] {
      const auto start = std::chrono::steady_clock::now();
      try {
        f();
        ran = true;
      } catch (const std::exception&) {
        return;
      }
      if (metrics_ != nullptr)
        metrics_->identity_argon2(
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    };
    if (crypto ? !crypto(timed) : (timed(), false)) return false;
    return ran;
  };
  auto stored = lock ? cache_.verifier(v.key) : store::Result<std::optional<Verifier>>();
  std::optional<bool> matches;  // nullopt: no usable verifier
  if (stored && *stored && (*stored)->expires > now) {
    bool ok = false;
    const std::string hash = (*stored)->hash;
    if (!run([&] { ok = crypto::argon2id_verify(pin, hash); })) {
      v.failure = ils::Failure{ils::errc::unavailable, "PIN check unavailable"};
      v.pin_ok = false;
      event("crypto_busy");
      return;
    }
    event("argon2");
    matches = ok;
    if (ok) {
      accepted(false);
      event("pin_verifier");
      return;
    }
  }
  // No verifier, an expired one, or a mismatch (perhaps a PIN changed at the library): ask.
  event("pin_verify_through");
  auto checked = backend.verify_credential(ctx, patron_of(*v.record), pin);
  if (!checked) {
    v.failure = checked.error();
    v.offline = library_unreachable(checked.error());
    v.pin_ok = false;
    // A wrong guess against the verifier still counts, or the lockout would not hold offline.
    if (matches == false) cache_.count_failure(v.key, now, policy_.lockout);
    event("pin_unavailable");
    return;
  }
  if (*checked == ils::CredentialCheck::invalid) {
    v.pin_ok = false;
    cache_.count_failure(v.key, now, policy_.lockout);
    event("pin_wrong");
    return;
  }
  if (*checked == ils::CredentialCheck::not_required) {
    // Any PIN passes today; a verifier of it would pass it offline, and online against a PIN
    // the patron sets later.
    v.pin_ok = true;
    event("pin_not_required");
    return;
  }
  accepted(false);
  std::string hash;
  if (run([&] { hash = crypto::argon2id_hash(pin, policy_.argon2); }))
    cache_.put_verifier(v.key, {hash, now, now + policy_.verifier_ttl});
}

}  // namespace identity
