// Loading the store, identity-cache and outbox sections.
#include <regex>

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
  s.integer("complete_per_second", i.complete_per_second, 1, 1000);
  s.duration("refresh_seconds", i.refresh_interval, 0, 7LL * 86400);
  s.duration("full_pass_hours", i.full_pass_interval, 0, 24LL * 365);
  s.duration("retention_days", i.retention, 1, 3650);
  s.duration("purge_minutes", i.purge_interval, 1, 7LL * 24 * 60);
  s.finish();
  r.finish();
}

void read_outbox_mode(ObjectReader& r, std::string_view key, OutboxMode& out) {
  r.choice(key, out,
           {{"online", OutboxMode::online},
            {"offline", OutboxMode::offline},
            {"auto", OutboxMode::automatic}});
}

namespace {

void read_offline(ObjectReader r, OfflinePolicy& o) {
  r.array("items", [&](const nlohmann::json& j, const std::string& path) {
    ObjectReader i(&j, path, r.errors());
    OfflineItemRule rule;
    i.string("barcode_pattern", rule.barcode_pattern, true);
    try {
      std::regex check(rule.barcode_pattern, std::regex::ECMAScript);
    } catch (const std::regex_error&) {
      i.error("barcode_pattern", "not a valid regular expression");
    }
    i.boolean("loanable", rule.loanable);
    i.integer("loan_days", rule.loan_days, 1, 3650);
    i.string("material_type", rule.material_type);
    i.finish();
    o.items.push_back(std::move(rule));
  });
  r.boolean("loanable", o.loanable);
  r.integer("loan_days", o.loan_days, 1, 3650);
  r.string("due_date_text", o.due_date_text);
  r.boolean("payments", o.payments);
  r.boolean("renewals", o.renewals);
  r.boolean("holds", o.holds);
  r.boolean("blocks", o.blocks);
  r.duration("replay_min_age_seconds", o.replay_min_age, 1, 30LL * 86400);
  r.finish();
}

}  // namespace

void read_outbox(ObjectReader r, OutboxConfig& o) {
  read_outbox_mode(r, "mode", o.mode);
  r.duration("retention_hours", o.retention, 1, 24LL * 3650);
  r.duration("key_window_hours", o.key_window, 1, 24LL * 3650);
  // A job's key must outlive its sealed parts: a replay after its key is gone runs again.
  if (o.key_window < o.retention)
    r.error("key_window_hours", "must not be less than retention_hours");
  r.duration("retry_window_seconds", o.retry_window, 1, 86400);
  auto f = r.object("forwarder");
  f.duration("backoff_base_ms", o.backoff_base, 10, 3600LL * 1000);
  f.duration("backoff_cap_seconds", o.backoff_cap, 1, 86400);
  f.integer("max_attempts", o.max_attempts, 1, 100000);
  f.duration("max_age_hours", o.max_age, 1, 24LL * 365);
  f.integer("threads", o.forwarder_threads, 1, 64);
  f.finish();
  if (o.backoff_cap < std::chrono::duration_cast<seconds>(o.backoff_base))
    r.error("forwarder", "backoff_cap_seconds must not be less than backoff_base_ms");
  auto b = r.object("breaker");
  b.duration("window_seconds", o.breaker_window, 1, 3600);
  b.integer("min_calls", o.breaker_min_calls, 1, 100000);
  b.integer("error_percent", o.breaker_error_percent, 1, 100);
  b.duration("slow_call_ms", o.breaker_slow_call, 1, 600LL * 1000);
  b.duration("open_seconds", o.breaker_open, 1, 3600);
  b.finish();
  read_offline(r.object("offline"), o.offline);
  r.finish();
}

}  // namespace config::detail
