// Token issue, rotation and validation.
#include "token_store.hpp"

#include "library_state.hpp"

namespace ils_emulator {
namespace {

/// Drops expired entries so a long-running emulator does not grow without bound.
void prune(std::map<std::string, TimePoint, std::less<>>& tokens, TimePoint now) {
  std::erase_if(tokens, [&](const auto& entry) { return entry.second <= now; });
}

}  // namespace

TokenPair TokenStore::issue_locked(TimePoint now) {
  prune(access_, now);
  prune(refresh_, now);
  TokenPair pair{"emu-at-" + new_uuid(), "emu-rt-" + new_uuid(), now + access_ttl_,
                 now + refresh_ttl_};
  access_.emplace(pair.access, pair.access_expires);
  refresh_.emplace(pair.refresh, pair.refresh_expires);
  return pair;
}

TokenPair TokenStore::issue(TimePoint now) {
  std::lock_guard lock(mutex_);
  return issue_locked(now);
}

std::optional<TokenPair> TokenStore::refresh(std::string_view refresh_token, TimePoint now) {
  std::lock_guard lock(mutex_);
  const auto it = refresh_.find(refresh_token);
  if (it == refresh_.end() || it->second <= now) return std::nullopt;
  refresh_.erase(it);
  return issue_locked(now);
}

bool TokenStore::valid(std::string_view access_token, TimePoint now) const {
  std::lock_guard lock(mutex_);
  const auto it = access_.find(access_token);
  return it != access_.end() && it->second > now;
}

void TokenStore::revoke_all() {
  std::lock_guard lock(mutex_);
  access_.clear();
  refresh_.clear();
}

void TokenStore::set_ttls(std::chrono::seconds access_ttl, std::chrono::seconds refresh_ttl) {
  std::lock_guard lock(mutex_);
  access_ttl_ = access_ttl;
  refresh_ttl_ = refresh_ttl;
}

std::chrono::seconds TokenStore::access_ttl() const {
  std::lock_guard lock(mutex_);
  return access_ttl_;
}

std::chrono::seconds TokenStore::refresh_ttl() const {
  std::lock_guard lock(mutex_);
  return refresh_ttl_;
}

}  // namespace ils_emulator
