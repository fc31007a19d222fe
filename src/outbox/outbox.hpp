// The outbox's journal: jobs in the gateway's LMDB environment, written durably before a kiosk
// is answered, deduplicated by idempotency key, ordered per item and per patron, purged by
// retention. The forwarder (forwarder.hpp) delivers them.
#pragma once

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/key_ring.hpp"
#include "outbox/counters.hpp"
#include "outbox/errc.hpp"
#include "outbox/job.hpp"
#include "outbox/options.hpp"
#include "outbox/record_codec.hpp"
#include "store/store.hpp"

namespace outbox {

struct Submitted {
  Job job;
  bool created = false;  ///< false: the key existed and `job` is that earlier job
};

/// Which jobs list() returns: oldest first, ids above `after_id`, at most `limit`.
struct Filter {
  std::optional<State> state;
  std::optional<Op> op;
  std::uint64_t after_id = 0;
  std::size_t limit = 100;
};

struct Stats {
  std::array<std::uint64_t, state_count> by_state{};  ///< jobs in the journal by State
  /// Age of the oldest queued or in-flight job; nullopt when there is none.
  std::optional<std::chrono::milliseconds> oldest_unfinished_age;
  std::uint64_t attempts = 0;  ///< attempts journalled since the journal was created
  [[nodiscard]] std::uint64_t depth() const {
    return by_state[static_cast<std::size_t>(State::queued)] +
           by_state[static_cast<std::size_t>(State::in_flight)];
  }
};

struct PurgeCounts {
  std::size_t stripped = 0;  ///< finished jobs whose sealed request and result were dropped
  std::size_t unkeyed = 0;   ///< finished jobs whose idempotency key was dropped
};

class Outbox {
 public:
  /// The LMDB databases the outbox uses (open them with the store):
  ///   ob.jobs   id → job record (plain part: id, op, state, times, pseudonyms, reason; sealed
  ///             parts: args and result, AES-256/GCM with the key as associated data)
  ///   ob.keys   idempotency key → id
  ///   ob.due    next attempt (ms) ‖ id → parties   (queued jobs that wait for no other job
  ///             of their item or patron; one that does joins when the last of those ends)
  ///   ob.order  'i'|'p' ‖ pseudonym ‖ 'o' ‖ id → "" (unfinished jobs, per item and per patron)
  ///             'i'|'p' ‖ pseudonym ‖ 'h' ‖ id → "" (every job until its key is purged)
  ///   ob.state  state ‖ id → ""
  ///   ob.purge  's'|'k' ‖ finished (ms) ‖ id → "" (finished jobs still holding sealed parts / key)
  ///   ob.meta   name → value                     (next id, counts by state, attempts)
  static constexpr std::array<std::string_view, 7> databases = {
      "ob.jobs", "ob.keys", "ob.due", "ob.order", "ob.state", "ob.purge", "ob.meta"};

  Outbox(store::Env& env, std::shared_ptr<const crypto::KeyRing> keys, Options options = {},
         Clock clock = system_now);
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  /// HMAC-SHA-256 under the index key over (institution, op, normalized patron identifier,
  /// normalized item identifier, discriminator), each part length-prefixed. With an empty
  /// discriminator: the key that finds the latest such job (see NewJob::discriminator).
  [[nodiscard]] Key key_of(const NewJob& job) const;
  /// The pseudonym jobs and logs use for an identifier ("p:" + 16 hex digits of HMAC-SHA-256
  /// under the pseudonym key, as obs::Pseudonymizer), empty for an empty identifier.
  [[nodiscard]] std::string pseudonym(std::string_view identifier) const;

  /// Journals a job in one write transaction and returns once it is durable (concurrent
  /// submissions share commits). A key that exists returns that job with created = false,
  /// whichever thread asked. A write failure (disk or map full, I/O) is returned: nothing is
  /// journalled, so nothing may be acknowledged.
  [[nodiscard]] Result<Submitted> submit(const NewJob& job);

  [[nodiscard]] Result<std::optional<Job>> find(std::uint64_t id) const;
  [[nodiscard]] Result<std::optional<Job>> find(const Key& key) const;
  /// Waits until the job is final (delivered, refused, exception, dropped) or the deadline
  /// passes; the final job, or nullopt (deadline, unknown id, unreadable journal).
  [[nodiscard]] std::optional<Job> wait_final(std::uint64_t id,
                                              std::chrono::steady_clock::time_point deadline) const;
  [[nodiscard]] Result<std::vector<Job>> list(const Filter& filter) const;
  [[nodiscard]] Result<Stats> stats() const;

  /// Staff: queues a job that is an exception, refused or queued again, due now (a job whose
  /// last outcome is unknown still reads back first). wrong_state for other states or a job
  /// whose request was purged.
  [[nodiscard]] Result<Job> retry(std::uint64_t id);
  /// The kiosk was told yes after all (say, answered from local policy once the online
  /// attempt ran out of time): a later refusal makes the job an exception for staff instead.
  /// A final job is returned as it is.
  [[nodiscard]] Result<Job> acknowledge(std::uint64_t id);
  /// The kiosk was told the change failed (no decision in time): it must not happen later
  /// behind its back. A job that cannot have been applied is dropped at once; one whose last
  /// attempt's outcome is unknown is never sent again, only read back (applied: delivered,
  /// as the library system has it; not applied: dropped). A final job is returned as it is.
  [[nodiscard]] Result<Job> withdraw(std::uint64_t id);
  /// Staff: drops a job that is not yet delivered or refused (queued, in an exception); `why`
  /// becomes its reason. A job in flight is dropped after its attempt (wrong_state now).
  [[nodiscard]] Result<Job> drop(std::uint64_t id, std::string why);
  /// Retention: finished jobs older than options().retention lose their sealed request and
  /// result; older than options().key_window, their key (a new submission then makes a new
  /// job). Runs in batches of options().purge_batch until nothing is left to do.
  [[nodiscard]] Result<PurgeCounts> purge(Time now);

  // The forwarder's side.

  /// Ids of queued jobs due at `now`, in due order, with no earlier unfinished job of the
  /// same item or patron; at most `limit`.
  [[nodiscard]] Result<std::vector<std::uint64_t>> due(Time now, std::size_t limit) const;
  /// True when an earlier unfinished job of the same item or patron exists.
  [[nodiscard]] Result<bool> blocked(const Job& job) const;
  /// The earliest next attempt of a queued job after `after`, nullopt when none (jobs due by
  /// then were attempted, or wait for an earlier job whose end wakes the forwarder).
  [[nodiscard]] Result<std::optional<Time>> next_due(Time after) const;
  /// Writes a job's new state durably (its indexes follow; its sealed request is kept as
  /// journalled, its result sealed when set) if the journal still has it in state `expected`
  /// (else wrong_state: staff dropped it meanwhile, say). Waits for the commit.
  [[nodiscard]] Result<void> save(const Job& job, State expected);
  /// Start-up: jobs left in flight by a crash become queued, due now and unresolved (read back
  /// before anything is sent again). The number of such jobs.
  [[nodiscard]] Result<std::size_t> recover();
  /// `f` runs (on the writer thread, briefly) after each commit that made a job due or final.
  void on_change(std::function<void()> f);

  [[nodiscard]] Counters& counters() const { return counters_; }
  [[nodiscard]] const Options& options() const { return options_; }
  [[nodiscard]] Time now() const { return clock_(); }
  [[nodiscard]] store::Env& env() const { return env_; }

 private:
  struct Dbs {
    store::Db jobs, keys, due, order, state, purge, meta;
  };
  /// Whether job `id` is one a submission without a discriminator repeats (within the retry
  /// window, no later job of its item or patron).
  [[nodiscard]] store::Result<bool> is_retry_of(store::WriteTxn& txn, std::uint64_t id,
                                                Time now) const;
  [[nodiscard]] Result<std::optional<Job>> read_job(const store::ReadTxn& txn,
                                                    std::uint64_t id) const;
  /// Rewrites a job inside a write job: its record and every index that follows its state.
  [[nodiscard]] store::Result<void> rewrite_in(store::WriteTxn& txn, const Job& before,
                                               const Job& after, std::string_view record) const;
  [[nodiscard]] Result<Job> transition(std::uint64_t id,
                                       const std::function<std::error_code(Job&)>& change);
  [[nodiscard]] Result<std::size_t> purge_batch(Time now, PurgeCounts& counts);
  /// Removes a finished job's keys and its history entries (retention).
  [[nodiscard]] store::Result<void> unkey_in(store::WriteTxn& txn, const Job& job) const;
  /// After a commit that changed a job: wakes outcome waiters and, with `wake`, the forwarder.
  void changed(bool wake = true) const;

  store::Env& env_;
  std::shared_ptr<const crypto::KeyRing> keys_;
  Options options_;
  Clock clock_;
  RecordCodec codec_;
  Dbs dbs_;
  mutable Counters counters_;
  mutable std::mutex mutex_;
  mutable std::condition_variable final_cv_;
  mutable std::uint64_t generation_ = 0;  ///< bumped after every commit that changed a state
  std::function<void()> on_change_;       ///< guarded by mutex_

  /// Submissions waiting for the write job that journals them together.
  struct Pending;
  [[nodiscard]] store::Result<void> insert_in(store::WriteTxn& txn, Pending& p) const;
  /// After `ended` left the unfinished lists: the next job of its item and of its patron
  /// becomes due when it waits for nothing else.
  [[nodiscard]] store::Result<void> promote_in(store::WriteTxn& txn, const Job& ended) const;
  [[nodiscard]] std::error_code write_pending(Pending& p);
  void queue_batch();
  std::mutex submit_mutex_;
  std::vector<Pending*> pending_;  ///< not yet taken by a write job
  bool batch_queued_ = false;      ///< a write job that takes pending_ is queued
};

}  // namespace outbox
