// The journal: submission with dedupe, reads, waiting for an outcome, and the forwarder's side
// (due jobs, ordering, saving a job's new state, recovery after a crash).
#include "outbox/outbox.hpp"

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <set>
#include <span>

#include "outbox/journal_keys.hpp"

namespace outbox {

using journal::add_count;
using journal::count_name;

namespace {

std::string_view trimmed(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

store::Result<void> put_order(store::WriteTxn& txn, store::Db order, const Job& job) {
  for (const auto& [kind, pseudonym] : {std::pair{'i', &job.item}, std::pair{'p', &job.patron}}) {
    if (pseudonym->empty()) continue;
    if (auto r = txn.put(order, order_prefix(kind, *pseudonym, 'o') + be64(job.id), ""); !r)
      return r;
  }
  return {};
}

store::Result<void> del_order(store::WriteTxn& txn, store::Db order, const Job& job) {
  for (const auto& [kind, pseudonym] : {std::pair{'i', &job.item}, std::pair{'p', &job.patron}}) {
    if (pseudonym->empty()) continue;
    if (auto r = txn.del(order, order_prefix(kind, *pseudonym, 'o') + be64(job.id)); !r)
      return tl::unexpected(r.error());
  }
  return {};
}

/// Every job of an item or patron, kept until its key is purged: a job without a discriminator
/// is a retry only when no other job of its item or patron came after the one it repeats.
store::Result<void> put_history(store::WriteTxn& txn, store::Db order, const Job& job) {
  for (const auto& [kind, pseudonym] : {std::pair{'i', &job.item}, std::pair{'p', &job.patron}}) {
    if (pseudonym->empty()) continue;
    if (auto r = txn.put(order, order_prefix(kind, *pseudonym, 'h') + be64(job.id), ""); !r)
      return r;
  }
  return {};
}

/// Carries flags set by others while an attempt ran into the attempt's new state: whether it
/// changed `after`, or nullopt when the change must not be written (an attempt about to send a
/// job that was withdrawn meanwhile).
std::optional<bool> merge_flags(const Job& before, Job& after, Time now) {
  bool changed = false;
  if (before.withdrawn && !after.withdrawn) {
    if (after.state == State::in_flight) return std::nullopt;
    after.withdrawn = changed = true;
    if (after.state == State::queued && !after.unresolved) journal::settle_withdrawn(after, now);
  }
  if (before.acknowledged && !after.acknowledged) {
    // The kiosk was told yes meanwhile: a refusal is for staff.
    after.acknowledged = changed = true;
    if (after.state == State::refused) {
      after.state = State::exception;
      after.reason = "refused after the kiosk was told yes: " + after.reason;
    }
  }
  return changed;
}

}  // namespace

struct Outbox::Pending {
  Pending(const Job& j, const std::string& r, const std::string& k, const std::string& rk, Time t)
      : job(j), record(r), key(k), retry_key(rk), now(t) {}
  const Job& job;
  const std::string& record;
  const std::string& key;
  const std::string& retry_key;  ///< empty unless submitted without a discriminator
  Time now;
  std::uint64_t id = 0;
  bool created = false;
  bool blocked = false;  ///< created behind an unfinished job of its item or patron
  std::error_code ec;
  bool done = false;
  std::condition_variable cv;
};

Outbox::Outbox(store::Env& env, std::shared_ptr<const crypto::KeyRing> keys, Options options,
               Clock clock)
    : env_(env),
      keys_(std::move(keys)),
      options_(options),
      clock_(std::move(clock)),
      codec_(keys_),
      dbs_{env.db("ob.jobs"),  env.db("ob.keys"),  env.db("ob.due"), env.db("ob.order"),
           env.db("ob.state"), env.db("ob.purge"), env.db("ob.meta")} {}

Outbox::~Outbox() = default;

Key Outbox::key_of(const NewJob& job) const {
  return crypto::hmac(keys_->index_key,
                      {"outbox", job.institution, name_of(job.op), trimmed(job.patron_identifier),
                       trimmed(job.item_identifier), job.discriminator});
}

std::string Outbox::pseudonym(std::string_view identifier) const {
  const std::string_view id = trimmed(identifier);
  if (id.empty()) return {};
  const auto tag = crypto::hmac_message(keys_->pseudonym_key, id);
  return "p:" + crypto::hex(std::span(tag).first(8));
}

Result<Submitted> Outbox::submit(const NewJob& in) {
  const Time now = clock_();
  Job job;
  job.key = key_of(in);
  if (in.discriminator.empty()) {
    // Found through its retry key while it is the latest such job; its own key is random.
    job.retry_key = job.key;
    const auto random = crypto::random_bytes(job.key.size());
    std::copy(random.begin(), random.end(), job.key.begin());
  }
  job.op = in.op;
  job.created = now;
  job.next_attempt = std::max(now, in.not_before);
  job.acknowledged = in.acknowledged;
  job.replay = in.replay;
  job.institution = in.institution;
  job.patron = pseudonym(in.patron_identifier);
  job.item = pseudonym(in.item_identifier);
  // Sealing and encoding happen here, on the caller's thread: the writer only copies bytes.
  const std::string record =
      RecordCodec::join(RecordCodec::plain(job), codec_.seal("args", job.key, in.args.dump()), "");
  const std::string key = key_bytes(job.key);
  const std::string retry_key = job.retry_key ? key_bytes(*job.retry_key) : std::string();

  Pending p{job, record, key, retry_key, now};
  const std::error_code ec = write_pending(p);
  const std::uint64_t id = p.id;
  const bool created = p.created;
  const bool blocked = p.blocked;
  if (ec) {
    counters_.submit_failures.fetch_add(1);
    return tl::unexpected(ec);
  }
  if (!created) {
    counters_.deduplicated.fetch_add(1);
    auto found = find(id);
    if (!found) return tl::unexpected(found.error());
    if (!*found) return tl::unexpected(make_error_code(errc::unreadable));
    return Submitted{std::move(**found), false};
  }
  counters_.submitted.fetch_add(1);
  job.id = id;
  job.args = in.args;
  // A job queued behind an unfinished one of its item or patron cannot go before that one
  // ends, and its end wakes the forwarder: no need to wake it now.
  changed(!blocked);
  return Submitted{std::move(job), true};
}

store::Result<void> Outbox::insert_in(store::WriteTxn& txn, Pending& p) const {
  p.created = false;  // the writer may run a job again (map growth)
  auto existing = txn.get(dbs_.keys, p.retry_key.empty() ? p.key : p.retry_key);
  if (!existing) return tl::unexpected(existing.error());
  if (*existing) {
    p.id = read_be64(**existing);
    if (p.retry_key.empty()) return {};
    auto retried = is_retry_of(txn, p.id, p.now);
    if (!retried) return tl::unexpected(retried.error());
    if (*retried) return {};
  }
  auto next = txn.get(dbs_.meta, "next_id");
  if (!next) return tl::unexpected(next.error());
  const std::uint64_t id = *next ? read_be64(**next) : 1;
  Job placed = p.job;
  placed.id = id;
  // A job behind an unfinished one of its item or patron is not due yet: it joins ob.due when
  // the last job it waits for ends (promote_in), so a look at the due jobs never wades through
  // the backlog an outage left behind one patron.
  auto blocked = journal::blocked_in(txn, dbs_.order, placed);
  if (!blocked) return tl::unexpected(blocked.error());
  for (auto r :
       {txn.put(dbs_.meta, "next_id", be64(id + 1)), txn.put(dbs_.jobs, be64(id), p.record),
        txn.put(dbs_.keys, p.key, be64(id)),
        p.retry_key.empty() ? store::Result<void>() : txn.put(dbs_.keys, p.retry_key, be64(id)),
        *blocked ? store::Result<void>()
                 : txn.put(dbs_.due, due_key(placed.next_attempt, id), due_value(placed)),
        txn.put(dbs_.state, state_key(State::queued, id), ""), put_order(txn, dbs_.order, placed),
        put_history(txn, dbs_.order, placed),
        add_count(txn, dbs_.meta, count_name(State::queued), 1)})
    if (!r) return r;
  p.id = id;
  p.created = true;
  p.blocked = *blocked;
  return {};
}

std::error_code Outbox::write_pending(Pending& p) {
  if (options_.submit_batch <= 1)
    return env_.write([&](store::WriteTxn& txn) { return insert_in(txn, p); });
  bool queue = false;
  {
    const std::lock_guard lock(submit_mutex_);
    pending_.push_back(&p);
    queue = !batch_queued_;
    batch_queued_ = true;
  }
  if (queue) queue_batch();
  std::unique_lock lock(submit_mutex_);
  p.cv.wait(lock, [&] { return p.done; });
  return p.ec;
}

void Outbox::queue_batch() {
  // One write job journals the submissions waiting when it first runs (run again after the map
  // grew, the same ones); a failure fails them all, so none of them is acknowledged.
  struct Batch {
    std::vector<Pending*> items;
    bool taken = false;
  };
  auto batch = std::make_shared<Batch>();
  const auto take = [this, batch] {
    bool more = false;
    {
      const std::lock_guard lock(submit_mutex_);
      if (batch->taken) return;
      batch->taken = true;
      const auto n = static_cast<std::ptrdiff_t>(std::min(pending_.size(), options_.submit_batch));
      batch->items.assign(pending_.begin(), pending_.begin() + n);
      pending_.erase(pending_.begin(), pending_.begin() + n);
      more = batch_queued_ = !pending_.empty();
    }
    if (more) queue_batch();  // the rest in a write job of its own
  };
  env_.submit(
      [this, batch, take](store::WriteTxn& txn) -> store::Result<void> {
        take();
        for (Pending* p : batch->items)
          if (auto r = insert_in(txn, *p); !r) return r;
        return {};
      },
      [this, batch, take](std::error_code ec) {
        take();  // not taken when the store refused the job (stopping): fail what waits
        const std::lock_guard lock(submit_mutex_);
        for (Pending* p : batch->items) {
          p->ec = ec;
          p->done = true;
          p->cv.notify_one();
        }
      });
}

Result<std::optional<Job>> Outbox::read_job(const store::ReadTxn& txn, std::uint64_t id) const {
  auto record = txn.get(dbs_.jobs, be64(id));
  if (!record) return tl::unexpected(record.error());
  if (!*record) return std::optional<Job>();
  auto job = codec_.decode(id, **record, true);
  if (!job) return tl::unexpected(make_error_code(errc::unreadable));
  return job;
}

Result<std::optional<Job>> Outbox::find(std::uint64_t id) const {
  auto txn = env_.read();
  if (!txn) return tl::unexpected(txn.error());
  return read_job(*txn, id);
}

Result<std::optional<Job>> Outbox::find(const Key& key) const {
  auto txn = env_.read();
  if (!txn) return tl::unexpected(txn.error());
  auto id = txn->get(dbs_.keys, key_bytes(key));
  if (!id) return tl::unexpected(id.error());
  if (!*id) return std::optional<Job>();
  return read_job(*txn, read_be64(**id));
}

std::optional<Job> Outbox::wait_final(std::uint64_t id,
                                      std::chrono::steady_clock::time_point deadline) const {
  std::unique_lock lock(mutex_);
  for (;;) {
    const std::uint64_t seen = generation_;
    lock.unlock();
    auto job = find(id);
    lock.lock();
    if (!job || !*job) return std::nullopt;
    if ((*job)->final()) return std::move(**job);
    if (!final_cv_.wait_until(lock, deadline, [&] { return generation_ != seen; }))
      return std::nullopt;
  }
}

void Outbox::on_change(std::function<void()> f) {
  const std::lock_guard lock(mutex_);
  on_change_ = std::move(f);
}

void Outbox::changed(bool wake) const {
  const std::lock_guard lock(mutex_);
  ++generation_;
  final_cv_.notify_all();
  if (wake && on_change_) on_change_();
}

store::Result<bool> Outbox::is_retry_of(store::WriteTxn& txn, std::uint64_t id, Time now) const {
  auto record = txn.get(dbs_.jobs, be64(id));
  if (!record) return tl::unexpected(record.error());
  if (!*record) return false;
  const auto parts = RecordCodec::split(**record);
  Job earlier;
  if (!parts || !RecordCodec::read_plain(parts->plain, earlier)) return false;
  if (now - earlier.created > options_.retry_window) return false;
  for (const auto& [kind, pseudonym] :
       {std::pair{'i', &earlier.item}, std::pair{'p', &earlier.patron}}) {
    if (pseudonym->empty()) continue;
    const std::string prefix = order_prefix(kind, *pseudonym, 'h');
    auto later = journal::first_from(txn, dbs_.order, prefix + be64(id + 1));
    if (!later) return tl::unexpected(later.error());
    if (*later && (*later)->starts_with(prefix)) return false;  // another job came between
  }
  return true;
}

store::Result<void> Outbox::rewrite_in(store::WriteTxn& txn, const Job& before, const Job& after,
                                       std::string_view record) const {
  const std::uint64_t id = after.id;
  if (auto r = txn.put(dbs_.jobs, be64(id), record); !r) return r;
  if (before.state == State::queued)
    if (auto r = txn.del(dbs_.due, due_key(before.next_attempt, id)); !r)
      return tl::unexpected(r.error());
  if (after.state == State::queued)
    if (auto r = txn.put(dbs_.due, due_key(after.next_attempt, id), due_value(after)); !r) return r;
  if (!before.final() && after.final()) {
    if (auto r = del_order(txn, dbs_.order, after); !r) return r;
    if (auto r = promote_in(txn, after); !r) return r;
  }
  if (before.final() && !after.final())
    if (auto r = put_order(txn, dbs_.order, after); !r) return r;
  if (before.state != after.state) {
    if (auto r = txn.del(dbs_.state, state_key(before.state, id)); !r)
      return tl::unexpected(r.error());
    for (auto r : {txn.put(dbs_.state, state_key(after.state, id), ""),
                   add_count(txn, dbs_.meta, count_name(before.state), -1),
                   add_count(txn, dbs_.meta, count_name(after.state), 1)})
      if (!r) return r;
  }
  if (before.final()) {
    for (char kind : {'s', 'k'})
      if (auto r = txn.del(dbs_.purge, purge_key(kind, before.finished, id)); !r)
        return tl::unexpected(r.error());
  }
  if (after.final()) {
    if (!after.purged)
      if (auto r = txn.put(dbs_.purge, purge_key('s', after.finished, id), ""); !r) return r;
    if (auto r = txn.put(dbs_.purge, purge_key('k', after.finished, id), ""); !r) return r;
  }
  if (after.attempts > before.attempts)
    return add_count(txn, dbs_.meta, "attempts", after.attempts - before.attempts);
  return {};
}

store::Result<void> Outbox::promote_in(store::WriteTxn& txn, const Job& ended) const {
  for (const auto& [kind, pseudonym] :
       {std::pair{'i', &ended.item}, std::pair{'p', &ended.patron}}) {
    if (pseudonym->empty()) continue;
    auto next = journal::head_in(txn, dbs_.order, order_prefix(kind, *pseudonym, 'o'));
    if (!next) return tl::unexpected(next.error());
    if (*next == 0) continue;
    auto waiting = journal::plain_in(txn, dbs_.jobs, *next);
    if (!waiting) return tl::unexpected(waiting.error());
    if (!*waiting || (*waiting)->state != State::queued) continue;
    auto blocked = journal::blocked_in(txn, dbs_.order, **waiting);  // by its other party
    if (!blocked) return tl::unexpected(blocked.error());
    if (*blocked) continue;
    const Job& job = **waiting;
    if (auto r = txn.put(dbs_.due, due_key(job.next_attempt, job.id), due_value(job)); !r) return r;
  }
  return {};
}

Result<void> Outbox::save(const Job& job, State expected) {
  const std::string result =
      job.result.is_null() ? std::string() : codec_.seal("result", job.key, job.result.dump());
  const std::string plain = RecordCodec::plain(job);
  bool wrong_state = false;
  const std::error_code ec = env_.write([&](store::WriteTxn& txn) -> store::Result<void> {
    wrong_state = false;
    auto record = txn.get(dbs_.jobs, be64(job.id));
    if (!record) return tl::unexpected(record.error());
    std::optional<RecordCodec::Parts> parts;
    Job before;
    if (*record) parts = RecordCodec::split(**record);
    if (!parts || !RecordCodec::read_plain(parts->plain, before) || before.state != expected) {
      wrong_state = true;
      return {};
    }
    before.id = job.id;
    const std::string_view kept_result = result.empty() ? parts->result : result;
    const std::string_view kept_args = job.purged ? std::string_view() : parts->args;
    Job after = job;
    const auto merged = merge_flags(before, after, clock_());
    if (!merged) {
      wrong_state = true;
      return {};
    }
    // Views into the map die with the first write: join copies what is kept.
    const std::string next = RecordCodec::join(
        *merged ? std::string_view(RecordCodec::plain(after)) : std::string_view(plain), kept_args,
        kept_result);
    return rewrite_in(txn, before, after, next);
  });
  if (ec) return tl::unexpected(ec);
  if (wrong_state) return tl::unexpected(make_error_code(errc::wrong_state));
  changed();
  return {};
}

Result<std::vector<std::uint64_t>> Outbox::due(Time now, std::size_t limit) const {
  // Bounded work per call. Jobs blocked behind an earlier one lead to the jobs they wait for,
  // which are looked at next even when they lie far later in the due order (retried with a
  // backoff while thousands queued behind them during an outage), so a long backlog of
  // blocked jobs never hides the ones that can go.
  constexpr std::size_t max_examined = 4096;
  constexpr std::size_t max_followed = 1024;
  auto txn = env_.read();
  if (!txn) return tl::unexpected(txn.error());
  std::vector<std::uint64_t> out;
  std::set<std::uint64_t> seen;
  std::set<std::uint64_t> waited_for;
  std::size_t examined = 0;
  std::error_code failed;
  // Adds the job when it may go; otherwise notes what it waits for. False on a read error.
  const auto consider = [&](const Job& parties) {
    seen.insert(parties.id);
    auto blockers = journal::blockers_in(*txn, dbs_.order, parties);
    if (!blockers) {
      failed = blockers.error();
      return false;
    }
    if (blockers->empty())
      out.push_back(parties.id);
    else
      waited_for.insert(blockers->begin(), blockers->end());
    return true;
  };
  auto scanned = txn->scan(dbs_.due, "", [&](std::string_view k, std::string_view v) {
    if (k.size() != 16 || read_be64(k) > ms_of(now)) return false;
    Job parties;
    parties.id = read_be64(k, 8);
    due_parties(v, parties);
    if (!consider(parties)) return false;
    return out.size() < limit && ++examined < max_examined;
  });
  if (!scanned) return tl::unexpected(scanned.error());
  for (std::size_t followed = 0;
       !failed && out.size() < limit && !waited_for.empty() && followed < max_followed;
       ++followed) {
    const std::uint64_t id = *waited_for.begin();
    waited_for.erase(waited_for.begin());
    if (seen.contains(id)) continue;
    auto record = txn->get(dbs_.jobs, be64(id));
    if (!record) return tl::unexpected(record.error());
    if (!*record) continue;
    const auto job = codec_.decode(id, **record, false);
    if (!job || job->state != State::queued || job->next_attempt > now) {
      seen.insert(id);
      continue;
    }
    if (!consider(*job)) break;
  }
  if (failed) return tl::unexpected(failed);
  return out;
}

Result<bool> Outbox::blocked(const Job& job) const {
  auto txn = env_.read();
  if (!txn) return tl::unexpected(txn.error());
  return journal::blocked_in(*txn, dbs_.order, job);
}

Result<std::optional<Time>> Outbox::next_due(Time after) const {
  auto txn = env_.read();
  if (!txn) return tl::unexpected(txn.error());
  auto first = journal::first_from(*txn, dbs_.due, be64(ms_of(after) + 1));
  if (!first) return tl::unexpected(first.error());
  if (!*first) return std::optional<Time>();
  return std::optional<Time>(time_of_ms(read_be64(**first)));
}

Result<std::size_t> Outbox::recover() {
  const Time now = clock_();
  std::size_t recovered = 0;
  const std::error_code ec = env_.write([&](store::WriteTxn& txn) -> store::Result<void> {
    recovered = 0;
    const std::string prefix(1, static_cast<char>(State::in_flight));
    std::vector<std::uint64_t> ids;
    auto scanned = txn.scan(dbs_.state, prefix, [&](std::string_view k, std::string_view) {
      if (!k.starts_with(prefix)) return false;
      ids.push_back(read_be64(k, 1));
      return true;
    });
    if (!scanned) return scanned;
    for (const std::uint64_t id : ids) {
      auto record = txn.get(dbs_.jobs, be64(id));
      if (!record) return tl::unexpected(record.error());
      if (!*record) continue;
      const auto parts = RecordCodec::split(**record);
      Job before;
      if (!parts || !RecordCodec::read_plain(parts->plain, before)) continue;
      before.id = id;
      Job after = before;
      after.state = State::queued;
      after.unresolved = true;  // it may have reached the library system: read back first
      after.next_attempt = now;
      after.reason = "in flight when the gateway stopped";
      const std::string next =
          RecordCodec::join(RecordCodec::plain(after), parts->args, parts->result);
      if (auto r = rewrite_in(txn, before, after, next); !r) return r;
      ++recovered;
    }
    return {};
  });
  if (ec) return tl::unexpected(ec);
  if (recovered > 0) changed();
  return recovered;
}

}  // namespace outbox
