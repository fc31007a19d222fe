// The connection table and the session registry.
#include "server/hub.hpp"

#include <algorithm>
#include <vector>

namespace server {

ConnectionTable::Slot::~Slot() {
  if (table_ != nullptr) table_->release(address_);
}

bool ConnectionTable::Slot::move_to(const std::string& address, std::size_t per_address_limit) {
  if (address == address_) return true;
  auto& count = table_->per_address_[address];
  if (count >= per_address_limit) {
    if (count == 0) table_->per_address_.erase(address);
    return false;
  }
  ++count;
  ++table_->total_;  // release() takes it off again: the total does not change
  table_->release(address_);
  address_ = address;
  return true;
}

std::optional<ConnectionTable::Slot> ConnectionTable::admit(const std::string& address,
                                                            const config::Limits& limits) {
  if (total_ >= limits.max_connections) return std::nullopt;
  auto& count = per_address_[address];
  if (count >= limits.max_connections_per_address) return std::nullopt;
  ++count;
  ++total_;
  return Slot(this, address);
}

std::size_t ConnectionTable::from(const std::string& address) const {
  const auto it = per_address_.find(address);
  return it == per_address_.end() ? 0 : it->second;
}

void ConnectionTable::release(const std::string& address) {
  --total_;
  if (auto it = per_address_.find(address); it != per_address_.end() && --it->second == 0)
    per_address_.erase(it);
}

void SessionRegistry::call_each(std::function<void()> Hooks::*hook) {
  // Copies first: a hook may end its session, which unregisters it while we iterate.
  std::vector<std::function<void()>> calls;
  calls.reserve(stoppers_.size());
  for (const auto& [id, hooks] : stoppers_)
    if (hooks.*hook) calls.push_back(hooks.*hook);
  for (auto& call : calls)
    call();
}

void SessionRegistry::stop_all() {
  call_each(&Hooks::stop);
}

void SessionRegistry::reloaded() {
  call_each(&Hooks::reloaded);
}

}  // namespace server
