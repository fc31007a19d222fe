// The outbox's life in the gateway: options from the config, the backend switch, the forwarder,
// metrics and retention.
#include "server/outbox_service.hpp"

#include "obs/log.hpp"
#include "obs/metrics.hpp"

namespace server {

outbox::Options outbox_options(const config::OutboxConfig& c,
                               std::chrono::milliseconds min_mutation_budget) {
  outbox::Options o;
  o.retention = c.retention;
  o.key_window = c.key_window;
  o.retry_window = c.retry_window;
  o.backoff.base = c.backoff_base;
  o.backoff.cap = c.backoff_cap;
  o.backoff.max_attempts = c.max_attempts;
  o.backoff.max_age = c.max_age;
  o.min_mutation_budget = min_mutation_budget;
  o.forwarder_threads = static_cast<unsigned>(c.forwarder_threads);
  o.breaker.window = c.breaker_window;
  o.breaker.min_calls = c.breaker_min_calls;
  o.breaker.error_rate = c.breaker_error_percent / 100.0;
  o.breaker.slow_call = c.breaker_slow_call;
  o.breaker.open_for = c.breaker_open;
  return o;
}

// --- BackendSwitch ---------------------------------------------------------------------------

void BackendSwitch::set(std::shared_ptr<ils::Backend> backend) {
  std::lock_guard lock(mutex_);
  backend_ = std::move(backend);
}

std::shared_ptr<ils::Backend> BackendSwitch::current() const {
  std::lock_guard lock(mutex_);
  return backend_;
}

ils::Capabilities BackendSwitch::capabilities() const {
  auto b = current();
  return b ? b->capabilities() : ils::Capabilities{};
}

// Every call: the backend of the moment, kept alive for the call; none yet: unavailable.
#define SIP2GW_SWITCH(call)                                       \
  auto b = current();                                             \
  if (!b) return ils::fail(ils::errc::unavailable, "no backend"); \
  return b->call

ils::Result<ils::Patron> BackendSwitch::lookup_patron(const ils::CallContext& ctx,
                                                      std::string_view identifier) {
  SIP2GW_SWITCH(lookup_patron(ctx, identifier));
}
ils::Result<ils::CredentialCheck> BackendSwitch::verify_credential(const ils::CallContext& ctx,
                                                                   const ils::Patron& patron,
                                                                   std::string_view secret) {
  SIP2GW_SWITCH(verify_credential(ctx, patron, secret));
}
ils::Result<ils::PatronAccount> BackendSwitch::patron_account(const ils::CallContext& ctx,
                                                              const ils::PatronRef& patron,
                                                              ils::AccountParts parts) {
  SIP2GW_SWITCH(patron_account(ctx, patron, parts));
}
ils::Result<ils::Item> BackendSwitch::item(const ils::CallContext& ctx, std::string_view barcode) {
  SIP2GW_SWITCH(item(ctx, barcode));
}
ils::Result<ils::Loan> BackendSwitch::checkout(const ils::CallContext& ctx,
                                               const ils::CheckoutRequest& request) {
  SIP2GW_SWITCH(checkout(ctx, request));
}
ils::Result<ils::CheckinResult> BackendSwitch::checkin(const ils::CallContext& ctx,
                                                       const ils::CheckinRequest& request) {
  SIP2GW_SWITCH(checkin(ctx, request));
}
ils::Result<ils::Loan> BackendSwitch::renew(const ils::CallContext& ctx,
                                            const ils::RenewRequest& request) {
  SIP2GW_SWITCH(renew(ctx, request));
}
ils::Result<ils::RenewAllResult> BackendSwitch::renew_all(const ils::CallContext& ctx,
                                                          const ils::PatronRef& patron) {
  SIP2GW_SWITCH(renew_all(ctx, patron));
}
ils::Result<ils::Hold> BackendSwitch::place_hold(const ils::CallContext& ctx,
                                                 const ils::HoldRequest& request) {
  SIP2GW_SWITCH(place_hold(ctx, request));
}
ils::Result<ils::Hold> BackendSwitch::cancel_hold(const ils::CallContext& ctx,
                                                  const ils::CancelHoldRequest& request) {
  SIP2GW_SWITCH(cancel_hold(ctx, request));
}
ils::Result<ils::PaymentResult> BackendSwitch::pay_fee(const ils::CallContext& ctx,
                                                       const ils::FeePayment& payment) {
  SIP2GW_SWITCH(pay_fee(ctx, payment));
}
ils::Result<ils::Block> BackendSwitch::block_patron(const ils::CallContext& ctx,
                                                    const ils::BlockRequest& request) {
  SIP2GW_SWITCH(block_patron(ctx, request));
}
ils::Result<ils::EnableResult> BackendSwitch::enable_patron(const ils::CallContext& ctx,
                                                            const ils::PatronRef& patron) {
  SIP2GW_SWITCH(enable_patron(ctx, patron));
}
ils::Result<ils::PatronSummary> BackendSwitch::patron_summary(const ils::CallContext& ctx,
                                                              const ils::PatronRef& patron) {
  SIP2GW_SWITCH(patron_summary(ctx, patron));
}
ils::Result<ils::PatronPage> BackendSwitch::list_patrons(const ils::CallContext& ctx,
                                                         const ils::PatronPageRequest& request) {
  SIP2GW_SWITCH(list_patrons(ctx, request));
}
ils::Result<ils::Item> BackendSwitch::update_item_status(const ils::CallContext& ctx,
                                                         std::string_view barcode,
                                                         std::string_view properties) {
  SIP2GW_SWITCH(update_item_status(ctx, barcode, properties));
}
ils::Result<std::optional<ils::PaymentResult>> BackendSwitch::find_payment(
    const ils::CallContext& ctx, const ils::PatronRef& patron, std::string_view transaction_id) {
  SIP2GW_SWITCH(find_payment(ctx, patron, transaction_id));
}

#undef SIP2GW_SWITCH

// --- OutboxService ---------------------------------------------------------------------------

OutboxService::OutboxService(const config::Config& cfg, store::Env& env,
                             std::shared_ptr<const crypto::KeyRing> keys, obs::Metrics* metrics)
    : metrics_(metrics),
      outbox_(env, std::move(keys), outbox_options(cfg.outbox, cfg.limits.min_mutation_budget)),
      breaker_(outbox_.options().breaker, outbox::steady_now, &outbox_.counters()),
      forwarder_(outbox_, backend_, breaker_) {}

OutboxService::~OutboxService() {
  stop();
}

void OutboxService::attach(handlers::Services& services,
                           const std::shared_ptr<ils::Backend>& backend) {
  backend_.set(backend);
  services.outbox = &outbox_;
  services.forwarder = &forwarder_;
  services.breaker = &breaker_;
}

void OutboxService::record_call(bool answered, std::chrono::milliseconds latency) {
  breaker_.record(answered, latency);
}

namespace {

/// One line per settled job, with pseudonyms only: its outcome, or (at debug level) the retry
/// to come. The reason of a refusal or an exception stays in the journal (`sip2gw outbox show`):
/// the library system's words may name the item or the patron.
void log_settled(const outbox::Job& job) {
  using outbox::State;
  spdlog::level::level_enum level = spdlog::level::info;
  std::string_view message;
  switch (job.state) {
    case State::delivered:
      message = job.withdrawn ? "outbox: job applied although the kiosk was told it failed"
                              : "outbox: job delivered";
      // A kiosk answered with the library system's decision at its first attempt already saw
      // the outcome (the session logs the request): that delivery is a debug line.
      if (job.withdrawn)
        level = spdlog::level::warn;
      else if (!job.acknowledged && job.attempts <= 1)
        level = spdlog::level::debug;
      break;
    case State::refused:
      message = "outbox: job refused by the library system";
      break;
    case State::dropped:
      if (job.withdrawn) {
        message = "outbox: withdrawn job dropped (it was not applied)";
      } else {
        level = spdlog::level::warn;
        message = "outbox: job cannot be delivered; logged only, as its firmware profile asks";
      }
      break;
    case State::queued:
      level = spdlog::level::debug;
      message = "outbox: job attempt failed, retried later";
      break;
    default:
      // A profile whose device reports to staff by other means queues without a warning.
      level = job.args.is_object() &&
                      job.args.value(outbox::kExceptionsArg, std::string()) == "queue_for_staff"
                  ? spdlog::level::info
                  : spdlog::level::warn;
      message = "outbox: job needs staff (sip2gw outbox show)";
  }
  if (!obs::should_log(level)) return;
  obs::log(level, 0, {}, message,
           {{"job", std::to_string(job.id)},
            {"op", std::string(outbox::name_of(job.op))},
            {"patron", job.patron},
            {"item", job.item},
            {"attempts", std::to_string(job.attempts)}});
}

}  // namespace

tl::expected<void, std::string> OutboxService::start() {
  forwarder_.on_settled(log_settled);
  auto recovered = forwarder_.start();
  if (!recovered) return tl::unexpected("outbox: " + recovered.error().message());
  if (*recovered > 0)
    obs::log(spdlog::level::warn, 0, {}, "outbox: jobs in flight at the last stop are read back",
             {{"jobs", std::to_string(*recovered)}});
  std::lock_guard lock(mutex_);
  started_ = true;
  thread_ = std::thread([this] { housekeeping(); });
  return {};
}

void OutboxService::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!started_) return;
    started_ = false;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  forwarder_.stop();
}

void OutboxService::housekeeping() {
  auto next_purge = std::chrono::steady_clock::now();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    publish();
    if (std::chrono::steady_clock::now() >= next_purge) {
      auto purged = outbox_.purge(outbox_.now());
      if (!purged)
        obs::log(spdlog::level::err, 0, {}, "outbox: retention purge failed",
                 {{"error", purged.error().message()}});
      else if (purged->stripped + purged->unkeyed > 0)
        obs::log(spdlog::level::info, 0, {}, "outbox: retention purge",
                 {{"stripped", std::to_string(purged->stripped)},
                  {"unkeyed", std::to_string(purged->unkeyed)}});
      next_purge = std::chrono::steady_clock::now() + purge_interval_;
    }
    // A job retried from the command line, by another process, is seen within seconds.
    if (auto due = outbox_.due(outbox_.now(), 1); due && !due->empty()) forwarder_.wake();
    lock.lock();
    wake_.wait_for(lock, std::chrono::seconds(5), [this] { return stopping_; });
  }
}

void OutboxService::publish() {
  if (metrics_ == nullptr) return;
  const auto& c = outbox_.counters();
  const auto total = [&](std::string_view event, std::uint64_t v) {
    metrics_->outbox_event_total(event, static_cast<double>(v));
  };
  total("submitted", c.submitted);
  total("deduplicated", c.deduplicated);
  total("submit_failed", c.submit_failures);
  total("attempt", c.attempts);
  total("sent", c.sends);
  for (auto v : {outbox::Verdict::delivered, outbox::Verdict::refused, outbox::Verdict::retry,
                 outbox::Verdict::exception})
    total(outbox::name_of(v), c.of(v));
  for (auto f : {outbox::Finding::applied, outbox::Finding::not_applied, outbox::Finding::unknown})
    total("readback_" + std::string(outbox::name_of(f)), c.of(f));
  total("stale_event", c.stale_events);
  total("dropped", c.dropped);
  total("retried", c.retried);
  total("breaker_opened", c.breaker_opened);
  total("breaker_closed", c.breaker_closed);
  auto stats = outbox_.stats();
  metrics_->set_gauge("sip2gw_outbox_journal_readable",
                      "1 when the outbox journal could be read for these gauges.",
                      stats ? 1.0 : 0.0);
  if (stats) {
    for (std::size_t i = 0; i < outbox::state_count; ++i)
      metrics_->outbox_jobs(outbox::name_of(static_cast<outbox::State>(i)),
                            static_cast<double>(stats->by_state[i]));
    metrics_->set_gauge("sip2gw_outbox_depth", "Outbox jobs queued or in flight.",
                        static_cast<double>(stats->depth()));
    metrics_->set_gauge("sip2gw_outbox_oldest_age_seconds",
                        "Age of the oldest outbox job not yet delivered (0 when none).",
                        stats->oldest_unfinished_age
                            ? std::chrono::duration<double>(*stats->oldest_unfinished_age).count()
                            : 0.0);
  }
  // The alert for "nothing can be journalled, so kiosks are refused": the store's write fault.
  metrics_->set_gauge("sip2gw_store_write_fault", "1 when the store cannot take writes.",
                      outbox_.env().write_fault() ? 1.0 : 0.0);
  const auto state = breaker_.state();
  metrics_->set_gauge("sip2gw_outbox_breaker_open",
                      "1 while the circuit breaker has kiosks answered offline (open).",
                      state == outbox::BreakerState::open ? 1.0 : 0.0);
  metrics_->set_gauge("sip2gw_outbox_breaker_half_open",
                      "1 while the circuit breaker lets trial calls through.",
                      state == outbox::BreakerState::half_open ? 1.0 : 0.0);
}

}  // namespace server
