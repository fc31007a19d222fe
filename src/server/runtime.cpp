// Building a runtime snapshot and answering profile and account questions from it.
#include "server/runtime.hpp"

#include "ils/folio/folio_backend.hpp"
#include "obs/metrics.hpp"
#include "server/identity_service.hpp"
#include "server/outbox_service.hpp"

namespace server {

const config::Account* Runtime::account(std::string_view login) const {
  for (const auto& a : config.accounts)
    if (a.login == login) return &a;
  return nullptr;
}

Runtime::ProfileChoice Runtime::choose_at_accept(const config::ListenerConfig& listener,
                                                 const profiles::Connection& c) const {
  const auto& bindings = config.profiles.bindings;
  for (std::size_t i = 0; i < bindings.size(); ++i) {
    const auto& b = bindings[i];
    if (!b.login.empty() || !b.location_code.empty()) continue;
    if (b.port && *b.port != c.port) continue;
    if (b.cidr && !b.cidr->contains(c.address)) continue;
    if (const auto* p = profiles.find(b.profile))
      return {p, "config profiles.bindings[" + std::to_string(i) + "]"};
  }
  if (const auto* p = profiles.matching(c, false))
    return {p, p->file + " match (" + p->match.describe() + ")"};
  if (!listener.profile.empty())
    if (const auto* p = profiles.find(listener.profile))
      return {p, "config listener '" + listener.name + "' profile"};
  if (const auto* p = profiles.find(config.profiles.default_profile))
    return {p, "config profiles.default"};
  return {profiles.find(profiles::ProfileRegistry::kBaseline), "built-in default"};
}

std::optional<Runtime::ProfileChoice> Runtime::choose_at_login(
    const config::Account* account, const profiles::Connection& c) const {
  const auto& bindings = config.profiles.bindings;
  for (std::size_t i = 0; i < bindings.size(); ++i) {
    const auto& b = bindings[i];
    const bool by_login = !b.login.empty() && c.login && b.login == *c.login;
    const bool by_location =
        !b.location_code.empty() && c.location && b.location_code == *c.location;
    if (by_login || by_location)
      if (const auto* p = profiles.find(b.profile))
        return ProfileChoice{p, "config profiles.bindings[" + std::to_string(i) + "]"};
  }
  if (account != nullptr && !account->profile.empty())
    if (const auto* p = profiles.find(account->profile))
      return ProfileChoice{p, "config account '" + account->login + "' profile"};
  if (const auto* p = profiles.matching(c, true))
    return ProfileChoice{p, p->file + " match (" + p->match.describe() + ")"};
  return std::nullopt;
}

const profiles::Profile& Runtime::profile_at_accept(const config::ListenerConfig& listener,
                                                    const asio::ip::address& peer) const {
  return *choose_at_accept(listener, {listener.port, peer.to_string(), {}, {}}).profile;
}

const profiles::Profile* Runtime::profile_at_login(const config::ListenerConfig& listener,
                                                   std::string_view peer,
                                                   const config::Account& account,
                                                   std::string_view location) const {
  const auto c = choose_at_login(
      &account, {listener.port, std::string(peer), account.login, std::string(location)});
  return c ? c->profile : nullptr;
}

std::variant<std::shared_ptr<const Runtime>, std::vector<std::string>> build_runtime(
    config::Config config, obs::Metrics* metrics, BackendHealth* health, IdentityService* identity,
    OutboxService* outbox) {
  std::vector<std::string> errors;
  auto reg = profiles::ProfileRegistry::load(config.profiles.dir);
  if (auto* e = std::get_if<std::vector<std::string>>(&reg))
    errors.insert(errors.end(), e->begin(), e->end());
  auto cat = handlers::Catalogue::load(config.messages.file);
  if (auto* e = std::get_if<std::vector<std::string>>(&cat))
    errors.insert(errors.end(), e->begin(), e->end());
  if (auto* r = std::get_if<profiles::ProfileRegistry>(&reg)) {
    auto known = [&](const std::string& id) { return id.empty() || r->find(id) != nullptr; };
    if (!known(config.profiles.default_profile))
      errors.push_back("profiles.default: unknown profile '" + config.profiles.default_profile +
                       "'");
    for (std::size_t i = 0; i < config.listeners.size(); ++i)
      if (!known(config.listeners[i].profile))
        errors.push_back("listeners[" + std::to_string(i) + "].profile: unknown profile '" +
                         config.listeners[i].profile + "'");
    for (std::size_t i = 0; i < config.accounts.size(); ++i)
      if (!known(config.accounts[i].profile))
        errors.push_back("accounts[" + std::to_string(i) + "].profile: unknown profile '" +
                         config.accounts[i].profile + "'");
    for (std::size_t i = 0; i < config.profiles.bindings.size(); ++i)
      if (!known(config.profiles.bindings[i].profile))
        errors.push_back("profiles.bindings[" + std::to_string(i) + "].profile: unknown profile '" +
                         config.profiles.bindings[i].profile + "'");
    // A device's replays are recognised for as long as the journal keeps their keys.
    for (const auto& id : r->ids()) {
      const auto* p = r->find(id);
      const auto& window = p->behaviour.offline.idempotency_window;
      if (window && *window > config.outbox.key_window)
        errors.push_back(
            p->sources.at("/offline/idempotency_window_s") +
            ": offline.idempotency_window_s: " + std::to_string(window->count()) +
            " s is longer than the journal keeps idempotency keys (outbox.key_window_hours " +
            std::to_string(config.outbox.key_window.count()) + "); raise outbox.key_window_hours");
      // dates.timezone must name a zone of the system's database (the loader has none).
      if (const auto& tz = p->behaviour.time_zone; !tz.empty() && !zone::TimeZone::locate(tz))
        errors.push_back(p->sources.at("/dates/timezone") + ": dates.timezone: '" + tz +
                         "' is not a zone of the system's time zone database (such as "
                         "Europe/Berlin)");
      // A change is not started with less than the minimum budget left: a shorter deadline
      // would refuse every checkout, checkin, renewal and payment of that kiosk.
      const auto& deadline = p->behaviour.timeouts.response_deadline;
      if (deadline && *deadline <= config.limits.min_mutation_budget)
        errors.push_back(p->sources.at("/timeouts/response_deadline_ms") +
                         ": timeouts.response_deadline_ms: " + std::to_string(deadline->count()) +
                         " ms leaves no room for a change (limits.min_mutation_budget_ms " +
                         std::to_string(config.limits.min_mutation_budget.count()) +
                         "): make it longer");
    }
  }
  if (!errors.empty()) return errors;

  auto rt = std::make_shared<Runtime>();
  rt->profiles = std::get<profiles::ProfileRegistry>(std::move(reg));
  rt->catalogue = std::get<handlers::Catalogue>(std::move(cat));
  ils::folio::Observer observer;
  observer = [metrics, health, outbox](std::string_view op, std::error_code ec,
                                       std::chrono::nanoseconds d) {
    const std::string outcome = ec ? ec.message() : std::string("ok");
    if (metrics != nullptr)
      metrics->backend_call(op, outcome, std::chrono::duration<double>(d).count());
    // Only transport trouble counts: a refusal or a 404 means the library system answered.
    const bool down =
        ec == ils::errc::unavailable || ec == ils::errc::timeout || ec == ils::errc::unauthorized;
    // Every call tells the circuit breaker how the library system is doing, lookups included:
    // kiosks go to store-and-forward before their own changes time out one by one.
    if (outbox != nullptr)
      outbox->record_call(!down, std::chrono::duration_cast<std::chrono::milliseconds>(d));
    if (health == nullptr) return;
    if (down)
      ++health->consecutive_failures;
    else
      health->consecutive_failures = 0;
  };
  rt->backend = ils::folio::make_backend(config.backend.folio, std::move(observer));
  rt->config = std::move(config);
  rt->services = std::make_unique<handlers::Services>(handlers::Services{
      *rt->backend, rt->catalogue, rt->config.currency, rt->config.library_name});
  rt->services->settings = handlers::Settings::from(rt->config);
  if (identity != nullptr && rt->config.identity.enabled)
    identity->attach(*rt->services, rt->backend);
  if (outbox != nullptr) outbox->attach(*rt->services, rt->backend);
  return std::shared_ptr<const Runtime>(std::move(rt));
}

}  // namespace server
