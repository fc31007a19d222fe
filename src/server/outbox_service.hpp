// The outbox of a running gateway: the journal in the gateway's store, the forwarder that
// delivers its jobs to the current runtime's library system, the circuit breaker, the metrics
// and the retention purge.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <tl/expected.hpp>

#include "config/config.hpp"
#include "crypto/key_ring.hpp"
#include "handlers/context.hpp"
#include "ils/backend.hpp"
#include "outbox/breaker.hpp"
#include "outbox/forwarder.hpp"
#include "outbox/outbox.hpp"
#include "store/store.hpp"

namespace obs {
class Metrics;
}

namespace server {

/// The outbox's settings from the config's `outbox` section.
[[nodiscard]] outbox::Options outbox_options(const config::OutboxConfig& c,
                                             std::chrono::milliseconds min_mutation_budget);

/// An ils::Backend that forwards every call to the backend set last: the forwarder keeps one
/// backend for its life while a reload (SIGHUP) builds a new one.
class BackendSwitch final : public ils::Backend {
 public:
  void set(std::shared_ptr<ils::Backend> backend);
  [[nodiscard]] ils::Capabilities capabilities() const override;
  [[nodiscard]] ils::Result<ils::Patron> lookup_patron(const ils::CallContext& ctx,
                                                       std::string_view identifier) override;
  [[nodiscard]] ils::Result<ils::CredentialCheck> verify_credential(
      const ils::CallContext& ctx, const ils::Patron& patron, std::string_view secret) override;
  [[nodiscard]] ils::Result<ils::PatronAccount> patron_account(const ils::CallContext& ctx,
                                                               const ils::PatronRef& patron,
                                                               ils::AccountParts parts) override;
  [[nodiscard]] ils::Result<ils::Item> item(const ils::CallContext& ctx,
                                            std::string_view barcode) override;
  [[nodiscard]] ils::Result<ils::Loan> checkout(const ils::CallContext& ctx,
                                                const ils::CheckoutRequest& request) override;
  [[nodiscard]] ils::Result<ils::CheckinResult> checkin(
      const ils::CallContext& ctx, const ils::CheckinRequest& request) override;
  [[nodiscard]] ils::Result<ils::Loan> renew(const ils::CallContext& ctx,
                                             const ils::RenewRequest& request) override;
  [[nodiscard]] ils::Result<ils::RenewAllResult> renew_all(const ils::CallContext& ctx,
                                                           const ils::PatronRef& patron) override;
  [[nodiscard]] ils::Result<ils::Hold> place_hold(const ils::CallContext& ctx,
                                                  const ils::HoldRequest& request) override;
  [[nodiscard]] ils::Result<ils::Hold> cancel_hold(const ils::CallContext& ctx,
                                                   const ils::CancelHoldRequest& request) override;
  [[nodiscard]] ils::Result<ils::PaymentResult> pay_fee(const ils::CallContext& ctx,
                                                        const ils::FeePayment& payment) override;
  [[nodiscard]] ils::Result<ils::Block> block_patron(const ils::CallContext& ctx,
                                                     const ils::BlockRequest& request) override;
  [[nodiscard]] ils::Result<ils::EnableResult> enable_patron(const ils::CallContext& ctx,
                                                             const ils::PatronRef& patron) override;
  [[nodiscard]] ils::Result<ils::PatronSummary> patron_summary(
      const ils::CallContext& ctx, const ils::PatronRef& patron) override;
  [[nodiscard]] ils::Result<ils::PatronPage> list_patrons(
      const ils::CallContext& ctx, const ils::PatronPageRequest& request) override;
  [[nodiscard]] ils::Result<ils::Item> update_item_status(const ils::CallContext& ctx,
                                                          std::string_view barcode,
                                                          std::string_view properties) override;
  [[nodiscard]] ils::Result<std::optional<ils::PaymentResult>> find_payment(
      const ils::CallContext& ctx, const ils::PatronRef& patron,
      std::string_view transaction_id) override;

 private:
  [[nodiscard]] std::shared_ptr<ils::Backend> current() const;
  mutable std::mutex mutex_;
  std::shared_ptr<ils::Backend> backend_;
};

class OutboxService {
 public:
  /// The outbox in the gateway's store (it must outlive this).
  OutboxService(const config::Config& cfg, store::Env& env,
                std::shared_ptr<const crypto::KeyRing> keys, obs::Metrics* metrics);
  ~OutboxService();
  OutboxService(const OutboxService&) = delete;
  OutboxService& operator=(const OutboxService&) = delete;

  /// Gives a runtime's services the outbox; its backend becomes the one the forwarder uses.
  void attach(handlers::Services& services, const std::shared_ptr<ils::Backend>& backend);
  /// A library-system call seen by the runtime (lookups included): feeds the circuit breaker.
  void record_call(bool answered, std::chrono::milliseconds latency);
  /// Recovers jobs left in flight, starts the forwarder and the metrics and purge thread;
  /// errors read "outbox: …".
  [[nodiscard]] tl::expected<void, std::string> start();
  void stop();

  /// Brings the outbox's metrics up to date (depth, states, counters, breaker); every scrape of
  /// /metrics calls it, and the housekeeping thread every few seconds.
  void publish();

  [[nodiscard]] outbox::Outbox& journal() { return outbox_; }
  [[nodiscard]] outbox::Breaker& breaker() { return breaker_; }

 private:
  void housekeeping();

  obs::Metrics* metrics_;
  outbox::Outbox outbox_;
  outbox::Breaker breaker_;
  BackendSwitch backend_;
  outbox::Forwarder forwarder_;
  std::chrono::minutes purge_interval_{10};

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool started_ = false;
  std::thread thread_;
};

}  // namespace server
