// Index maintenance shared by the journal's write jobs and reads (internal to src/outbox).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "outbox/job.hpp"
#include "outbox/record_codec.hpp"
#include "store/store.hpp"

namespace outbox::journal {

/// The first key of `db` at or after `from`, nullopt when none (works on ReadTxn and WriteTxn).
template <class Txn>
store::Result<std::optional<std::string>> first_from(const Txn& txn, store::Db db,
                                                     std::string_view from) {
  std::optional<std::string> found;
  auto scanned = txn.scan(db, from, [&](std::string_view k, std::string_view) {
    found = std::string(k);
    return false;
  });
  if (!scanned) return tl::unexpected(scanned.error());
  return found;
}

/// The oldest unfinished job of an ob.order list (`prefix`: order_prefix(kind, pseudonym, 'o')),
/// 0 when the list is empty.
template <class Txn>
store::Result<std::uint64_t> head_in(const Txn& txn, store::Db order, std::string_view prefix) {
  auto first = first_from(txn, order, prefix);
  if (!first) return tl::unexpected(first.error());
  if (!*first || (*first)->size() != prefix.size() + 8 || !(*first)->starts_with(prefix)) return 0;
  return read_be64(**first, prefix.size());
}

/// The oldest unfinished jobs of the job's item and of its patron (ob.order) that are older than
/// the job: what it waits for (none: it may go).
template <class Txn>
store::Result<std::vector<std::uint64_t>> blockers_in(const Txn& txn, store::Db order,
                                                      const Job& job) {
  std::vector<std::uint64_t> out;
  for (const auto& [kind, pseudonym] : {std::pair{'i', &job.item}, std::pair{'p', &job.patron}}) {
    if (pseudonym->empty()) continue;
    auto head = head_in(txn, order, order_prefix(kind, *pseudonym, 'o'));
    if (!head) return tl::unexpected(head.error());
    if (*head != 0 && *head < job.id) out.push_back(*head);
  }
  return out;
}

/// The plain part of job `id` (ob.jobs), nullopt when absent or unreadable.
template <class Txn>
store::Result<std::optional<Job>> plain_in(const Txn& txn, store::Db jobs, std::uint64_t id) {
  auto record = txn.get(jobs, be64(id));
  if (!record) return tl::unexpected(record.error());
  if (!*record) return std::nullopt;
  const auto parts = RecordCodec::split(**record);
  Job job;
  if (!parts || !RecordCodec::read_plain(parts->plain, job)) return std::nullopt;
  job.id = id;
  return job;
}

/// True when an unfinished job with a lower id shares the job's item or patron (ob.order).
template <class Txn>
store::Result<bool> blocked_in(const Txn& txn, store::Db order, const Job& job) {
  auto blockers = blockers_in(txn, order, job);
  if (!blockers) return tl::unexpected(blockers.error());
  return !blockers->empty();
}

/// Adds `delta` to a counter in ob.meta.
inline store::Result<void> add_count(store::WriteTxn& txn, store::Db meta, std::string_view name,
                                     std::int64_t delta) {
  auto current = txn.get(meta, name);
  if (!current) return tl::unexpected(current.error());
  const std::uint64_t now = *current ? read_be64(**current) : 0;
  const auto next = static_cast<std::int64_t>(now) + delta;
  return txn.put(meta, name, be64(next < 0 ? 0 : static_cast<std::uint64_t>(next)));
}

/// Ends a withdrawn job found not applied (or that cannot have been): dropped.
inline void settle_withdrawn(Job& job, Time now) {
  job.state = State::dropped;
  job.finished = now;
  job.unresolved = false;
  job.reason = "withdrawn: the kiosk was told it failed; not applied";
}

inline std::string count_name(State s) {
  return "n." + std::string(name_of(s));
}

}  // namespace outbox::journal
