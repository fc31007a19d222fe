// Opening the gateway's LMDB environment with the identity cache's and the outbox's databases.
#include "server/store_service.hpp"

#include <algorithm>
#include <vector>

#include "identity/cache.hpp"
#include "outbox/outbox.hpp"

namespace server {

namespace {

store::Durability durability_of(const std::string& name) {
  if (name == "no_sync") return store::Durability::no_sync;
  if (name == "no_meta_sync") return store::Durability::no_meta_sync;
  return store::Durability::full;
}

}  // namespace

tl::expected<std::unique_ptr<store::Env>, std::string> open_store(const config::Config& cfg) {
  store::Options o;
  o.dir = cfg.store.dir;
  o.max_map_size = cfg.store.max_map_size_mb << 20;
  o.initial_map_size = std::min<std::size_t>(o.initial_map_size, o.max_map_size);
  o.durability = durability_of(cfg.store.durability);
  std::vector<std::string_view> dbs(identity::Cache::databases.begin(),
                                    identity::Cache::databases.end());
  dbs.insert(dbs.end(), outbox::Outbox::databases.begin(), outbox::Outbox::databases.end());
  o.max_databases = std::max<unsigned>(o.max_databases, static_cast<unsigned>(dbs.size()) + 2);
  auto env = store::Env::open(o, dbs);
  if (!env) return tl::unexpected("store.dir: " + env.error());
  return std::move(*env);
}

std::string store_fault(const store::Env& env) {
  if (auto f = env.write_fault()) return "store: " + f->message();
  return {};
}

}  // namespace server
