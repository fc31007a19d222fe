// PatronGroups: staleness, unknown ids and the /groups answer.
#include "ils/folio/patron_groups.hpp"

namespace ils::folio {

bool PatronGroups::needs_refresh(const std::vector<std::string>& ids, Clock::time_point now) const {
  std::lock_guard lock(mutex_);
  if (!fetched_ || now - *fetched_ >= ttl_) return true;
  if (now - *fetched_ < retry_) return false;
  for (const auto& id : ids)
    if (!id.empty() && !names_.contains(id)) return true;
  return false;
}

void PatronGroups::store(const Json& groups, Clock::time_point now) {
  std::map<std::string, std::string, std::less<>> names;
  for (const auto& group : array(groups, "usergroups"))
    if (!text(group, "id").empty()) names[text(group, "id")] = text(group, "group");
  std::lock_guard lock(mutex_);
  names_ = std::move(names);
  fetched_ = now;
}

std::string PatronGroups::name(const std::string& id) const {
  std::lock_guard lock(mutex_);
  const auto it = names_.find(id);
  return it == names_.end() ? std::string() : it->second;
}

}  // namespace ils::folio
