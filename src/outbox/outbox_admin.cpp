// The journal for staff and metrics: listing, counts, retry and drop, and retention.
#include "outbox/outbox.hpp"

#include <algorithm>

#include "outbox/journal_keys.hpp"

namespace outbox {

Result<std::vector<Job>> Outbox::list(const Filter& filter) const {
  auto txn = env_.read();
  if (!txn) return tl::unexpected(txn.error());
  std::vector<Job> out;
  std::error_code failed;
  const auto take = [&](std::uint64_t id) {
    auto job = read_job(*txn, id);
    if (!job) {
      failed = job.error();
      return false;
    }
    if (*job && (!filter.op || (*job)->op == *filter.op)) out.push_back(std::move(**job));
    return out.size() < filter.limit;
  };
  Result<void> scanned;
  if (filter.state) {
    const std::string prefix(1, static_cast<char>(*filter.state));
    scanned = txn->scan(dbs_.state, state_key(*filter.state, filter.after_id + 1),
                        [&](std::string_view k, std::string_view) {
                          return k.starts_with(prefix) && take(read_be64(k, 1));
                        });
  } else {
    scanned = txn->scan(dbs_.jobs, be64(filter.after_id + 1),
                        [&](std::string_view k, std::string_view) { return take(read_be64(k)); });
  }
  if (!scanned) return tl::unexpected(scanned.error());
  if (failed) return tl::unexpected(failed);
  return out;
}

Result<Stats> Outbox::stats() const {
  auto txn = env_.read();
  if (!txn) return tl::unexpected(txn.error());
  Stats s;
  for (std::size_t i = 0; i < state_count; ++i) {
    auto n = txn->get(dbs_.meta, journal::count_name(static_cast<State>(i)));
    if (!n) return tl::unexpected(n.error());
    s.by_state[i] = *n ? read_be64(**n) : 0;
  }
  auto attempts = txn->get(dbs_.meta, "attempts");
  if (!attempts) return tl::unexpected(attempts.error());
  s.attempts = *attempts ? read_be64(**attempts) : 0;
  // Ids grow with time: the oldest unfinished job is the lowest id queued or in flight.
  std::optional<std::uint64_t> oldest;
  for (State st : {State::queued, State::in_flight}) {
    const std::string prefix(1, static_cast<char>(st));
    auto first = journal::first_from(*txn, dbs_.state, prefix);
    if (!first) return tl::unexpected(first.error());
    if (*first && (*first)->starts_with(prefix)) {
      const std::uint64_t id = read_be64(**first, 1);
      oldest = oldest ? std::min(*oldest, id) : id;
    }
  }
  if (oldest) {
    auto record = txn->get(dbs_.jobs, be64(*oldest));
    if (!record) return tl::unexpected(record.error());
    if (*record)
      if (auto job = codec_.decode(*oldest, **record, false))
        s.oldest_unfinished_age = std::max(std::chrono::milliseconds(0), clock_() - job->created);
  }
  return s;
}

Result<Job> Outbox::transition(std::uint64_t id,
                               const std::function<std::error_code(Job&)>& change) {
  std::error_code refused;
  const std::error_code ec = env_.write([&](store::WriteTxn& txn) -> store::Result<void> {
    refused = {};
    auto record = txn.get(dbs_.jobs, be64(id));
    if (!record) return tl::unexpected(record.error());
    std::optional<RecordCodec::Parts> parts;
    if (*record) parts = RecordCodec::split(**record);
    Job before;
    if (!parts || !RecordCodec::read_plain(parts->plain, before)) {
      refused = make_error_code(*record ? errc::unreadable : errc::not_found);
      return {};
    }
    before.id = id;
    Job after = before;
    refused = change(after);
    if (refused) return {};
    const std::string next =
        RecordCodec::join(RecordCodec::plain(after), parts->args, parts->result);
    return rewrite_in(txn, before, after, next);
  });
  if (ec) return tl::unexpected(ec);
  if (refused) return tl::unexpected(refused);
  changed();
  auto job = find(id);
  if (!job) return tl::unexpected(job.error());
  if (!*job) return tl::unexpected(make_error_code(errc::not_found));
  return std::move(**job);
}

Result<Job> Outbox::retry(std::uint64_t id) {
  const Time now = clock_();
  auto job = transition(id, [&](Job& j) -> std::error_code {
    const bool allowed =
        j.state == State::exception || j.state == State::refused || j.state == State::queued;
    if (!allowed || j.purged) return make_error_code(errc::wrong_state);
    j.state = State::queued;
    j.next_attempt = now;
    j.finished = Time{};
    j.retried = now;
    j.attempts_at_retry = j.attempts;
    j.reason = "retried by staff" + (j.reason.empty() ? std::string() : " (was: " + j.reason + ")");
    return {};
  });
  if (job) counters_.retried.fetch_add(1);
  return job;
}

Result<Job> Outbox::acknowledge(std::uint64_t id) {
  return transition(id, [](Job& j) -> std::error_code {
    if (!j.final()) j.acknowledged = true;
    return {};
  });
}

Result<Job> Outbox::withdraw(std::uint64_t id) {
  const Time now = clock_();
  return transition(id, [&](Job& j) -> std::error_code {
    if (j.final()) return {};
    j.withdrawn = true;
    if (j.state == State::queued && !j.unresolved) journal::settle_withdrawn(j, now);
    return {};
  });
}

Result<Job> Outbox::drop(std::uint64_t id, std::string why) {
  const Time now = clock_();
  auto job = transition(id, [&](Job& j) -> std::error_code {
    if (j.state != State::queued && j.state != State::exception)
      return make_error_code(errc::wrong_state);
    j.state = State::dropped;
    j.finished = now;
    j.reason = "dropped by staff: " + why;
    return {};
  });
  if (job) counters_.dropped.fetch_add(1);
  return job;
}

store::Result<void> Outbox::unkey_in(store::WriteTxn& txn, const Job& job) const {
  std::vector<std::string> keys = {key_bytes(job.key)};
  if (job.retry_key) keys.push_back(key_bytes(*job.retry_key));
  for (const auto& key : keys) {
    auto owner = txn.get(dbs_.keys, key);
    if (!owner) return tl::unexpected(owner.error());
    if (*owner && read_be64(**owner) == job.id)
      if (auto r = txn.del(dbs_.keys, key); !r) return tl::unexpected(r.error());
  }
  for (const auto& [kind, pseudonym] : {std::pair{'i', &job.item}, std::pair{'p', &job.patron}}) {
    if (pseudonym->empty()) continue;
    if (auto r = txn.del(dbs_.order, order_prefix(kind, *pseudonym, 'h') + be64(job.id)); !r)
      return tl::unexpected(r.error());
  }
  return {};
}

Result<PurgeCounts> Outbox::purge(Time now) {
  PurgeCounts counts;
  for (;;) {
    auto handled = purge_batch(now, counts);
    if (!handled) return tl::unexpected(handled.error());
    if (*handled < std::max<std::size_t>(options_.purge_batch, 1)) return counts;
  }
}

Result<std::size_t> Outbox::purge_batch(Time now, PurgeCounts& counts) {
  const std::size_t batch = std::max<std::size_t>(options_.purge_batch, 1);
  const auto collect = [&](const store::WriteTxn& txn, char kind,
                           Time cut) -> store::Result<std::vector<std::string>> {
    std::vector<std::string> keys;
    const std::string prefix(1, kind);
    auto scanned = txn.scan(dbs_.purge, prefix, [&](std::string_view k, std::string_view) {
      if (!k.starts_with(prefix) || k.size() != 17 || read_be64(k, 1) >= ms_of(cut)) return false;
      keys.emplace_back(k);
      return keys.size() < batch;
    });
    if (!scanned) return tl::unexpected(scanned.error());
    return keys;
  };
  PurgeCounts done;
  const std::error_code ec = env_.write([&](store::WriteTxn& txn) -> store::Result<void> {
    done = {};
    auto strip = collect(txn, 's', now - options_.retention);
    if (!strip) return tl::unexpected(strip.error());
    for (const auto& k : *strip) {
      const std::uint64_t id = read_be64(k, 9);
      auto record = txn.get(dbs_.jobs, be64(id));
      if (!record) return tl::unexpected(record.error());
      std::optional<RecordCodec::Parts> parts;
      if (*record) parts = RecordCodec::split(**record);
      Job job;
      if (parts && RecordCodec::read_plain(parts->plain, job)) {
        job.purged = true;
        job.baseline = {};
        if (auto r =
                txn.put(dbs_.jobs, be64(id), RecordCodec::join(RecordCodec::plain(job), "", ""));
            !r)
          return r;
      }
      if (auto r = txn.del(dbs_.purge, k); !r) return tl::unexpected(r.error());
      ++done.stripped;
    }
    auto unkey = collect(txn, 'k', now - options_.key_window);
    if (!unkey) return tl::unexpected(unkey.error());
    for (const auto& k : *unkey) {
      const std::uint64_t id = read_be64(k, 9);
      auto record = txn.get(dbs_.jobs, be64(id));
      if (!record) return tl::unexpected(record.error());
      std::optional<RecordCodec::Parts> parts;
      if (*record) parts = RecordCodec::split(**record);
      Job job;
      if (parts && RecordCodec::read_plain(parts->plain, job)) {
        job.id = id;
        if (auto r = unkey_in(txn, job); !r) return r;
      }
      if (auto r = txn.del(dbs_.purge, k); !r) return tl::unexpected(r.error());
      ++done.unkeyed;
    }
    return {};
  });
  if (ec) return tl::unexpected(ec);
  counts.stripped += done.stripped;
  counts.unkeyed += done.unkeyed;
  return std::max(done.stripped, done.unkeyed);
}

}  // namespace outbox
