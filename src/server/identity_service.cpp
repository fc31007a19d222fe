// The identity cache's life in the gateway: open, hooks, periodic sync.
#include "server/identity_service.hpp"

#include <algorithm>
#include <future>

#include <asio/post.hpp>

#include "obs/log.hpp"
#include "obs/metrics.hpp"

namespace server {

namespace {

ils::Timestamp now_seconds() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace

tl::expected<std::unique_ptr<IdentityService>, std::string> IdentityService::open(
    const config::Config& cfg, store::Env& env, std::shared_ptr<const crypto::KeyRing> keys,
    obs::Metrics* metrics) {
  std::unique_ptr<IdentityService> s(new IdentityService());
  s->config_ = cfg.identity;
  s->metrics_ = metrics;
  s->env_ = &env;
  s->cache_ = std::make_unique<identity::Cache>(env, std::move(keys),
                                                cfg.backend.folio.patron_identifier_fields);
  if (auto ok = s->cache_->check_index_key(); !ok) return tl::unexpected("identity: " + ok.error());
  const auto& i = cfg.identity;
  identity::ValidationPolicy p;
  p.soft_age = i.soft_age;
  p.hard_age = i.hard_age;
  p.verifier_ttl = i.verifier_ttl;
  p.argon2 = {i.argon2_memory_kib, i.argon2_iterations, i.argon2_lanes};
  p.lockout = {i.lockout_failures, i.lockout_window, i.lockout_duration};
  p.memo_ttl = i.memo;
  p.memo_size = i.memo_size;
  // The background reads complete_per_second records a second; asking for four times that
  // keeps the newest patrons first without filling its queue on every request.
  p.refresh_asks_per_second = std::max<std::size_t>(20, 4 * std::size_t{i.complete_per_second});
  s->validator_ = std::make_unique<identity::Validator>(*s->cache_, p, metrics);
  identity::CompletionOptions c;
  c.per_second = i.complete_per_second;
  s->completion_ = std::make_unique<identity::Completion>(*s->cache_, c, metrics, now_seconds);
  s->completion_->on_work([raw = s.get()] { raw->poke(); });
  for (const auto& a : cfg.accounts)
    if (std::find(s->institutions_.begin(), s->institutions_.end(), a.institution) ==
        s->institutions_.end())
      s->institutions_.push_back(a.institution);
  return s;
}

IdentityService::~IdentityService() {
  stop_sync();
}

identity::SyncOptions IdentityService::sync_options() const {
  identity::SyncOptions o;
  o.page_size = config_.page_size;
  o.retention = config_.retention;
  return o;
}

void IdentityService::use_pools(asio::thread_pool& crypto, asio::thread_pool& workers,
                                std::size_t queue_limit) {
  crypto_pool_ = &crypto;
  workers_ = &workers;
  queue_limit_ = queue_limit;
}

void IdentityService::attach(handlers::Services& services,
                             const std::shared_ptr<ils::Backend>& backend) {
  services.identity = validator_.get();
  {
    std::lock_guard lock(mutex_);
    backend_ = backend;
  }
  services.crypto = [this](const std::function<void()>& f) {
    if (crypto_pool_ == nullptr) {
      f();
      return true;
    }
    // Bounded like terminal logins: a PIN flood is refused fast instead of queueing forever.
    if (crypto_jobs_.fetch_add(1) >= queue_limit_) {
      --crypto_jobs_;
      return false;
    }
    std::promise<void> done;
    auto finished = done.get_future();
    asio::post(*crypto_pool_, [&f, &done] {
      f();
      done.set_value();
    });
    finished.wait();
    --crypto_jobs_;
    return true;
  };
  // Refreshes wait in the completion's queue; the sync thread starts them at its pace.
  services.background = completion_->background();
}

void IdentityService::poke() {
  {
    std::lock_guard lock(mutex_);
    poked_ = true;
  }
  wake_.notify_all();
}

std::chrono::steady_clock::time_point IdentityService::complete_due(
    const std::shared_ptr<ils::Backend>& backend) {
  return completion_->run_due([this, backend](identity::Completion::Job job) {
    auto run = [backend, job = std::move(job)] {
      try {
        job(*backend);
      } catch (const std::exception& e) {
        obs::log(spdlog::level::warn, 0, {}, "identity cache: background read failed",
                 {{"error", e.what()}});
      }
    };
    if (workers_ != nullptr)
      asio::post(*workers_, std::move(run));
    else
      run();
  });
}

std::shared_ptr<ils::Backend> IdentityService::backend() const {
  std::lock_guard lock(mutex_);
  return backend_;
}

std::string IdentityService::fault() const {
  if (auto f = env_->write_fault()) return "identity cache store: " + f->message();
  return {};
}

void IdentityService::start_sync() {
  if (sync_thread_.joinable()) return;
  sync_thread_ = std::thread([this] { sync_loop(); });
}

void IdentityService::stop_sync() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_flag_ = true;
  wake_.notify_all();
  if (sync_thread_.joinable()) sync_thread_.join();
}

void IdentityService::publish_gauges() {
  // A store that cannot take writes (disk or map full, I/O) is said once, and again when it
  // recovers; /readyz and sip2gw_store_write_fault say it all along.
  const auto fault = env_->write_fault();
  if (fault && !fault_logged_)
    obs::log(spdlog::level::err, 0, {}, "identity cache store cannot take writes",
             {{"reason", fault->message()}, {"dir", env_->dir().string()}});
  else if (!fault && fault_logged_)
    obs::log(spdlog::level::info, 0, {}, "identity cache store takes writes again");
  fault_logged_ = fault.has_value();
  if (metrics_ == nullptr) return;
  auto stats = cache_->stats();
  if (!stats) return;
  metrics_->set_gauge("sip2gw_identity_records", "Patrons in the identity cache.",
                      static_cast<double>(stats->records));
  metrics_->set_gauge("sip2gw_identity_partial_records",
                      "Records listed in bulk and not yet read in full.",
                      static_cast<double>(stats->partial));
  metrics_->set_gauge("sip2gw_identity_refresh_queue", "Refreshes asked for and not yet started.",
                      static_cast<double>(completion_->stats().queued));
  metrics_->set_gauge("sip2gw_identity_verifiers", "PIN verifiers in the identity cache.",
                      static_cast<double>(stats->verifiers));
  metrics_->set_gauge("sip2gw_identity_lockouts", "Patrons with failed PIN checks on record.",
                      static_cast<double>(stats->lockouts));
  metrics_->set_gauge("sip2gw_store_map_size_bytes", "Size of the LMDB map.",
                      static_cast<double>(stats->usage.map_size));
  metrics_->set_gauge("sip2gw_store_used_bytes", "Bytes of the LMDB map in use.",
                      static_cast<double>(stats->usage.used_bytes));
  metrics_->set_gauge("sip2gw_store_write_fault", "1 when the store cannot take writes.",
                      fault ? 1.0 : 0.0);
  metrics_->set_gauge("sip2gw_identity_crypto_queue", "PIN Argon2id jobs queued or running.",
                      static_cast<double>(crypto_jobs_.load()));
}

void IdentityService::sync_loop() {
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  auto next_refresh = started + config_.refresh_interval;
  // A cache that never had a full pass gets one at once; one interrupted by a stop or a crash
  // resumes soon after start; otherwise the next comes a full interval after start.
  auto next_full = started + config_.full_pass_interval;
  const auto pass = cache_->meta("full.pass");
  const auto cursor = cache_->meta("full.cursor");
  if (pass && !*pass)
    next_full = started;
  else if (cursor && *cursor && !(*cursor)->empty())
    next_full = started + std::chrono::seconds(10);
  // The first purge soon after start: it re-seals what an older key version sealed, so a
  // rotation followed by a restart is finished within minutes, not a purge interval later.
  auto next_purge =
      started + std::min<Clock::duration>(config_.purge_interval, std::chrono::seconds(15));
  auto next_gauges = started;
  auto next_complete = started;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      auto until = std::min({next_gauges, next_purge, next_complete});
      if (config_.refresh_interval.count() > 0) until = std::min(until, next_refresh);
      if (config_.full_pass_interval.count() > 0) until = std::min(until, next_full);
      wake_.wait_until(lock, until, [this] { return stopping_ || poked_; });
      if (stopping_) return;
      poked_ = false;
    }
    const auto now = Clock::now();
    if (now >= next_gauges) {
      publish_gauges();
      next_gauges = now + std::chrono::seconds(10);
    }
    auto b = backend();
    if (!b) continue;
    const bool listing = (config_.full_pass_interval.count() > 0 && now >= next_full) ||
                         (config_.refresh_interval.count() > 0 && now >= next_refresh);
    for (const auto& inst : institutions_) {
      identity::Sync sync(*cache_, inst, sync_options());
      if (config_.full_pass_interval.count() > 0 && now >= next_full) {
        auto r = sync.full_pass(*b, {}, &stop_flag_);
        if (r)
          obs::log(spdlog::level::info, 0, {}, "identity cache: full pass done",
                   {{"listed", std::to_string(r->listed)},
                    {"removed", std::to_string(r->removed)},
                    {"resumed", r->resumed ? "yes" : "no"}});
        else if (r.error() != "library system: not supported by this library system")
          obs::log(spdlog::level::warn, 0, {}, "identity cache: full pass failed",
                   {{"error", r.error()}});
      } else if (config_.refresh_interval.count() > 0 && now >= next_refresh) {
        auto r = sync.refresh(*b, now_seconds());
        if (!r)
          obs::log(spdlog::level::warn, 0, {}, "identity cache: refresh failed",
                   {{"error", r.error()}});
        else if (*r > 0)
          obs::log(spdlog::level::info, 0, {}, "identity cache: refreshed",
                   {{"patrons", std::to_string(*r)}});
      }
      if (now >= next_purge) {
        auto r = sync.purge(now_seconds());
        if (!r)
          obs::log(spdlog::level::warn, 0, {}, "identity cache: purge failed",
                   {{"error", r.error()}});
        else if (r->records + r->verifiers + r->lockouts + r->resealed > 0)
          obs::log(spdlog::level::info, 0, {}, "identity cache: purged",
                   {{"records", std::to_string(r->records)},
                    {"verifiers", std::to_string(r->verifiers)},
                    {"lockouts", std::to_string(r->lockouts)},
                    {"resealed", std::to_string(r->resealed)}});
      }
    }
    if (listing) completion_->rescan();  // the listing may have left records partial
    next_complete = complete_due(b);
    if (now >= next_full) next_full = now + config_.full_pass_interval;
    if (now >= next_refresh) next_refresh = now + config_.refresh_interval;
    if (now >= next_purge) next_purge = now + config_.purge_interval;
  }
}

}  // namespace server
