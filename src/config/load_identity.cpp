// Loading the store and identity-cache sections.
#include "config/sections.hpp"

namespace config::detail {

void read_store(ObjectReader r, StoreConfig& s, const std::filesystem::path& base) {
  std::string dir;
  r.string("dir", dir);
  if (!dir.empty()) s.dir = resolve(base, dir);
  r.integer("max_map_size_mb", s.max_map_size_mb, 16, 16LL * 1024 * 1024);
  std::string durability = s.durability;
  r.string("durability", durability);
  if (durability != "full" && durability != "no_meta_sync" && durability != "no_sync")
    r.error("durability", "must be one of full, no_meta_sync, no_sync");
  else
    s.durability = durability;
  r.finish();
}

void read_identity(ObjectReader r, IdentityConfig& i) {
  r.boolean("enabled", i.enabled);
  r.duration("soft_age_seconds", i.soft_age, 0, 365LL * 86400);
  r.duration("hard_age_seconds", i.hard_age, 1, 365LL * 86400);
  if (i.hard_age <= i.soft_age)
    r.error("hard_age_seconds", "must be greater than soft_age_seconds");
  r.duration("verifier_ttl_hours", i.verifier_ttl, 0, 24LL * 365);
  auto a = r.object("argon2");
  // Below OWASP's floor (19 MiB, 2 passes) a stolen verifier is cheap to brute-force.
  a.integer("memory_kib", i.argon2_memory_kib, 8192, 4LL * 1024 * 1024);
  a.integer("iterations", i.argon2_iterations, 1, 100);
  a.integer("lanes", i.argon2_lanes, 1, 16);
  a.finish();
  auto l = r.object("lockout");
  l.integer("max_failures", i.lockout_failures, 1, 1000);
  l.duration("window_seconds", i.lockout_window, 1, 30LL * 86400);
  l.duration("duration_seconds", i.lockout_duration, 1, 30LL * 86400);
  l.finish();
  r.duration("memo_seconds", i.memo, 0, 86400);
  r.integer("memo_size", i.memo_size, 1, 10'000'000);
  auto s = r.object("sync");
  s.integer("page_size", i.page_size, 1, 10'000);
  s.duration("refresh_seconds", i.refresh_interval, 0, 7LL * 86400);
  s.duration("full_pass_hours", i.full_pass_interval, 0, 24LL * 365);
  s.duration("retention_days", i.retention, 1, 3650);
  s.duration("purge_minutes", i.purge_interval, 1, 7LL * 24 * 60);
  s.finish();
  r.finish();
}

}  // namespace config::detail
