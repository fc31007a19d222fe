// Patron group names by id for listings, read from /groups and kept for a while.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "ils/folio/folio_json.hpp"

namespace ils::folio {

/// A thread-safe cache of FOLIO's patron groups (`/groups`): a few records that rarely change.
class PatronGroups {
 public:
  using Clock = std::chrono::steady_clock;

  /// Names older than `ttl` are read again; an unknown id triggers a read at most once per
  /// `retry` (it may belong to a group created since).
  explicit PatronGroups(std::chrono::seconds ttl = std::chrono::minutes(10),
                        std::chrono::seconds retry = std::chrono::minutes(1))
      : ttl_(ttl), retry_(retry) {}

  /// True when the names should be read (again) before naming these group ids.
  [[nodiscard]] bool needs_refresh(const std::vector<std::string>& ids,
                                   Clock::time_point now = Clock::now()) const;
  /// Replaces the names with those of a `/groups` answer (`usergroups[]`).
  void store(const Json& groups, Clock::time_point now = Clock::now());
  /// The group's name, or "" when unknown.
  [[nodiscard]] std::string name(const std::string& id) const;

 private:
  std::chrono::seconds ttl_;
  std::chrono::seconds retry_;
  mutable std::mutex mutex_;
  std::map<std::string, std::string, std::less<>> names_;
  std::optional<Clock::time_point> fetched_;
};

}  // namespace ils::folio
