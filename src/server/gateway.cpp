// Starting, reloading and draining the gateway.
#include "server/gateway.hpp"

#include <sys/prctl.h>
#include <sys/resource.h>

#include <atomic>
#include <iostream>
#include <mutex>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/redirect_error.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include "admin/admin_server.hpp"
#include "crypto/key_ring.hpp"
#include "obs/log.hpp"
#include "server/identity_service.hpp"
#include "server/listener.hpp"
#include "server/outbox_admin_hooks.hpp"
#include "server/outbox_service.hpp"
#include "server/store_service.hpp"

namespace server {

namespace {

/// The admin bearer token: set on the io thread at a reload, read by the admin threads.
class AdminToken {
 public:
  explicit AdminToken(std::string token) : token_(std::move(token)) {}
  void set(std::string token) {
    const std::lock_guard lock(mutex_);
    token_ = std::move(token);
  }
  [[nodiscard]] std::string get() const {
    const std::lock_guard lock(mutex_);
    return token_;
  }

 private:
  mutable std::mutex mutex_;
  std::string token_;
};

obs::LogSettings log_settings(const config::Config& c) {
  return {c.logging.format == config::LogFormat::json ? obs::LogFormat::json : obs::LogFormat::text,
          c.logging.level, c.logging.file};
}

bool same_listeners(const config::Config& a, const config::Config& b) {
  if (a.listeners.size() != b.listeners.size()) return false;
  for (std::size_t i = 0; i < a.listeners.size(); ++i) {
    const auto& x = a.listeners[i];
    const auto& y = b.listeners[i];
    if (x.host != y.host || x.port != y.port || x.tls.has_value() != y.tls.has_value() ||
        x.proxy_protocol != y.proxy_protocol)
      return false;
  }
  return true;
}

void reload(Hub& hub, BackendHealth& health, std::vector<std::unique_ptr<Listener>>& listeners,
            const std::filesystem::path& file, const config::Overrides& overrides,
            IdentityService* identity, OutboxService* outbox) {
  auto loaded = config::load(file, overrides);
  std::vector<std::string> errors;
  if (auto* e = std::get_if<config::Errors>(&loaded)) errors = *e;
  std::shared_ptr<const Runtime> next;
  if (errors.empty()) {
    auto built = build_runtime(std::get<config::Config>(std::move(loaded)), &hub.metrics, &health,
                               identity, outbox);
    if (auto* e = std::get_if<std::vector<std::string>>(&built))
      errors = *e;
    else
      next = std::get<std::shared_ptr<const Runtime>>(built);
  }
  if (!errors.empty()) {
    for (const auto& e : errors)
      obs::log(spdlog::level::err, 0, {}, "reload refused", {{"problem", e}});
    obs::log(spdlog::level::err, 0, {}, "config not reloaded: the running config stays");
    return;
  }
  if (!same_listeners(hub.runtime->config, next->config))
    obs::log(spdlog::level::warn, 0, {}, "listener changes take effect at the next restart");
  if (auto r = obs::try_init_logging(log_settings(next->config)); !r)
    obs::log(spdlog::level::err, 0, {}, "logging settings not applied", {{"problem", r.error()}});
  hub.login_guard.resize(next->config.limits.login_table_size);
  hub.runtime = std::move(next);
  for (auto& l : listeners)
    l->reload_tls(hub.runtime->config);
  hub.sessions.reloaded();
  obs::log(spdlog::level::info, 0, {}, "config reloaded");
}

asio::awaitable<void> drain(Hub& hub, std::vector<std::unique_ptr<Listener>>& listeners) {
  hub.stopping = true;
  for (auto& l : listeners)
    l->close();
  hub.sessions.stop_all();
  const auto limit = std::chrono::steady_clock::now() + hub.runtime->config.limits.drain_timeout;
  asio::steady_timer t(hub.io);
  while (hub.connections.total() > 0 && std::chrono::steady_clock::now() < limit) {
    t.expires_after(std::chrono::milliseconds(20));
    std::error_code ec;
    co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  obs::log(spdlog::level::info, 0, {}, "stopped",
           {{"sessions_left", std::to_string(hub.connections.total())}});
  hub.io.stop();
}

/// A core dump holds whatever was in memory: PINs and passwords in flight, keys. Off (and the
/// process not dumpable, so no core pattern or debugger of another user reads it) unless the
/// config allows it.
void limit_core_dumps(const config::SecurityConfig& security) {
  if (security.allow_core_dumps) {
    obs::log(spdlog::level::warn, 0, {}, "core dumps allowed: a core file may hold secrets",
             {{"setting", "security.allow_core_dumps"}});
    return;
  }
  rlimit none{0, 0};
  (void)::setrlimit(RLIMIT_CORE, &none);
  (void)::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

bool loopback(const std::string& host) {
  std::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

/// Says at start (a warning line and sip2gw_insecure_setting) what in the config weakens
/// security, so it is a decision someone can see, not an accident.
void warn_insecure(const config::Config& c, obs::Metrics& metrics) {
  auto warn = [&metrics](std::string_view setting, std::string_view why) {
    metrics.insecure_setting(setting);
    obs::log(spdlog::level::warn, 0, {}, "insecure setting",
             {{"setting", std::string(setting)}, {"why", std::string(why)}});
  };
  if (!c.backend.folio.http.verify_tls)
    warn("backend.folio.http.verify_tls", "the library system's certificate is not checked");
  for (const auto& l : c.listeners)
    if (!l.tls && !loopback(l.host))
      warn("listeners." + l.name + ".tls",
           "kiosk passwords and patron PINs cross the network in clear text");
  if (c.admin.enabled && c.admin.token.empty() && !loopback(c.admin.host))
    warn("admin.token_file", "metrics and readiness are open to anyone on the network");
  if (c.security.allow_core_dumps) metrics.insecure_setting("security.allow_core_dumps");
}

/// Raises the open-file limit to its hard maximum: every kiosk is a descriptor.
void raise_file_limit(std::size_t wanted) {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  lim.rlim_cur = lim.rlim_max;
  (void)::setrlimit(RLIMIT_NOFILE, &lim);
  if (lim.rlim_cur < wanted + 64)
    obs::log(
        spdlog::level::warn, 0, {},
        "open-file limit is too low for limits.max_connections plus headroom",
        {{"limit", std::to_string(lim.rlim_cur)}, {"max_connections", std::to_string(wanted)}});
}

/// The key file, created when missing so that a fresh machine starts with no setup step; null
/// (after saying why on stderr) when it cannot be read or created.
std::shared_ptr<const crypto::KeyRing> open_keys(const config::SecurityConfig& security) {
  auto opened = crypto::open_key_file(security.key_file, security.legacy_pseudonym_key_file);
  if (!opened) {
    std::cerr << "security.key_file: " << opened.error() << "\n";
    return nullptr;
  }
  const std::string file = security.key_file.string();
  if (opened->origin == crypto::KeyFileOrigin::created)
    obs::log(spdlog::level::info, 0, {}, "created key file", {{"file", file}});
  if (opened->origin == crypto::KeyFileOrigin::migrated)
    obs::log(spdlog::level::info, 0, {}, "created key file with the old pseudonym key",
             {{"file", file},
              {"from", security.legacy_pseudonym_key_file.string()},
              {"note", "log pseudonyms stay the same; the old file is no longer read"}});
  return std::make_shared<const crypto::KeyRing>(std::move(opened->ring));
}

}  // namespace

int run_gateway(const std::filesystem::path& config_file, const config::Overrides& overrides,
                config::Config cfg) {
  obs::init_logging(log_settings(cfg));
  limit_core_dumps(cfg.security);
  raise_file_limit(cfg.limits.max_connections);
  auto keys = open_keys(cfg.security);
  if (!keys) return 2;
  const obs::Pseudonymizer pseudonym(keys->pseudonym_key);
  obs::Metrics metrics;
  warn_insecure(cfg, metrics);
  BackendHealth health;
  asio::thread_pool backend_pool(static_cast<std::size_t>(cfg.workers.backend_threads));
  asio::thread_pool crypto_pool(static_cast<std::size_t>(cfg.workers.crypto_threads));
  auto store = open_store(cfg);
  if (!store) {
    std::cerr << store.error() << "\n";
    return 1;
  }
  std::unique_ptr<IdentityService> identity;
  if (cfg.identity.enabled) {
    auto opened = IdentityService::open(cfg, **store, keys, &metrics);
    if (!opened) {
      std::cerr << opened.error() << "\n";
      return 1;
    }
    identity = std::move(*opened);
    identity->use_pools(crypto_pool, backend_pool,
                        static_cast<std::size_t>(cfg.workers.crypto_queue_limit));
  }
  // Every circulation change is journalled in the outbox before a kiosk is answered.
  OutboxService outbox(cfg, **store, keys, &metrics);
  auto built = build_runtime(cfg, &metrics, &health, identity.get(), &outbox);
  if (auto* e = std::get_if<std::vector<std::string>>(&built)) {
    for (const auto& line : *e)
      std::cerr << line << "\n";
    return 2;
  }
  asio::io_context io(1);
  TerminalAuth auth;
  SteadySessionClock clock;
  Hub hub(io, backend_pool, crypto_pool, metrics, pseudonym, auth,
          std::get<std::shared_ptr<const Runtime>>(built), clock);
  hub.keys = std::move(keys);

  std::vector<std::unique_ptr<Listener>> listeners;
  for (std::size_t i = 0; i < cfg.listeners.size(); ++i) {
    auto l = Listener::bind(hub, cfg.listeners[i], i);
    if (!l) {
      std::cerr << l.error() << "\n";
      return 1;
    }
    const auto ep = (*l)->local();
    std::cout << "listening sip " << cfg.listeners[i].name << " "
              << (ep.address().is_v6() ? "[" + ep.address().to_string() + "]"
                                       : ep.address().to_string())
              << ":" << ep.port() << (cfg.listeners[i].tls ? " tls" : "") << std::endl;
    listeners.push_back(std::move(*l));
  }
  std::atomic<bool> draining{false};  // read by the admin threads
  AdminToken admin_token(cfg.admin.token);
  admin::AdminServer admin_server({[&metrics, &outbox] {
                                     outbox.publish();  // the journal's gauges as of this scrape
                                     return metrics.serialize();
                                   },
                                   [&draining, &health, &store]() -> std::pair<bool, std::string> {
                                     if (draining) return {false, "shutting down"};
                                     if (!health.reachable())
                                       return {false, "library system unreachable"};
                                     if (auto f = store_fault(**store); !f.empty())
                                       return {false, f};
                                     return {true, "ready"};
                                   },
                                   [&admin_token] { return admin_token.get(); }},
                                  outbox_admin_hooks(outbox.journal()));
  if (cfg.admin.enabled) {
    auto port = admin_server.start(cfg.admin.host, cfg.admin.port);
    if (!port) {
      std::cerr << port.error() << "\n";
      return 1;
    }
    std::cout << "listening admin " << cfg.admin.host << ":" << *port << std::endl;
  }
  // Jobs a crash left in flight are read back before any kiosk is served.
  if (auto started = outbox.start(); !started) {
    std::cerr << started.error() << "\n";
    return 1;
  }
  for (auto& l : listeners)
    asio::co_spawn(io, l->run(), asio::detached);

  asio::signal_set stop_signals(io, SIGTERM, SIGINT);
  asio::signal_set hup(io, SIGHUP);
  stop_signals.async_wait([&](std::error_code ec, int) {
    if (ec) return;
    draining = true;
    obs::log(spdlog::level::info, 0, {}, "shutting down: finishing requests in flight");
    hup.cancel();
    asio::co_spawn(io, drain(hub, listeners), asio::detached);
  });
  std::function<void(std::error_code, int)> on_hup = [&](std::error_code ec, int) {
    if (ec) return;
    reload(hub, health, listeners, config_file, overrides, identity.get(), &outbox);
    admin_token.set(hub.runtime->config.admin.token);
    hup.async_wait(on_hup);
  };
  hup.async_wait(on_hup);
  obs::log(spdlog::level::info, 0, {}, "sip2gw started",
           {{"listeners", std::to_string(listeners.size())},
            {"accounts", std::to_string(cfg.accounts.size())}});
  if (identity) identity->start_sync();
  io.run();
  admin_server.stop();
  if (identity) identity->stop_sync();
  // Jobs still queued stay in the journal for the next start.
  outbox.stop();
  // Requests still queued for a worker belong to sessions the drain has closed: nobody waits
  // for their answers, and none was journalled or answered, so they are dropped instead of run
  // (a backlog of PIN checks took minutes to stop). Requests already running finish; they may
  // still need the crypto pool, which stops after them.
  backend_pool.stop();
  backend_pool.join();
  crypto_pool.stop();
  crypto_pool.join();
  obs::shutdown_logging();
  return 0;
}

}  // namespace server
