// The emulated FOLIO tenant: records, circulation rules and the ledger behind one mutex.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "emulator_clock.hpp"
#include "folio_failure.hpp"
#include "library_state.hpp"
#include "record_store.hpp"

namespace ils_emulator {

/// The record collections that can be searched with CQL or read by id.
enum class Collection {
  users,
  inventory_items,
  storage_items,
  holdings,
  instances,
  search_instances,
  loans,
  requests,
  accounts,
  feefines,
  feefineactions,
  manualblocks,
  service_points,
  locations,
  loan_policies,
  groups,
};

/// One FOLIO tenant's data with FOLIO's rules; every member function is thread-safe.
class Library {
 public:
  /// Builds the library from a seed document; errors read `json.path: reason`.
  [[nodiscard]] static tl::expected<std::unique_ptr<Library>, std::string> from_seed(
      const nlohmann::json& seed);

  /// `{"<collection>":[...],"totalRecords":n,"resultInfo":{...}}`, or 400 for a bad query.
  [[nodiscard]] FolioResult query(Collection collection, const std::optional<std::string>& cql,
                                  Paging paging);
  /// One record by id, or 404.
  [[nodiscard]] FolioResult get(Collection collection, std::string_view id);
  /// `GET /bl-users/by-id/{id}`: `{"user":..,"patronGroup":{..}}`.
  [[nodiscard]] FolioResult bl_user(std::string_view id);
  /// `GET /automated-patron-blocks/{userId}`.
  [[nodiscard]] FolioResult automated_patron_blocks(std::string_view user_id);

  /// True for a known service user or patron username with this password.
  [[nodiscard]] bool check_password(std::string_view username, std::string_view password) const;
  /// `POST /patron-pin/verify`: null on a match, else 422 with an empty body.
  [[nodiscard]] FolioResult verify_pin(const nlohmann::json& body);
  /// `POST /bl-users/login`: the user and group of a patron whose password matches.
  [[nodiscard]] FolioResult patron_login(const nlohmann::json& body);

  /// `POST /circulation/check-out-by-barcode` (the new loan, for a 201).
  [[nodiscard]] FolioResult check_out(const nlohmann::json& body);
  /// `POST /circulation/check-in-by-barcode`.
  [[nodiscard]] FolioResult check_in(const nlohmann::json& body);
  /// `POST /circulation/renew-by-barcode`.
  [[nodiscard]] FolioResult renew_by_barcode(const nlohmann::json& body);
  /// `POST /circulation/renew-by-id`.
  [[nodiscard]] FolioResult renew_by_id(const nlohmann::json& body);
  /// `POST /circulation/loans/{id}/change-due-date` `{"dueDate"}`: null on success (201).
  [[nodiscard]] FolioResult change_due_date(std::string_view loan_id, const nlohmann::json& body);
  /// `POST /circulation/requests` (the new request, for a 201).
  [[nodiscard]] FolioResult create_request(const nlohmann::json& body);
  /// `PUT /circulation/requests/{id}`: null on success (204); cancels when status says so.
  [[nodiscard]] FolioResult update_request(std::string_view id, const nlohmann::json& body);

  /// `POST /accounts/{id}/pay`.
  [[nodiscard]] FolioResult pay(std::string_view account_id, const nlohmann::json& body);
  /// `POST /accounts/{id}/check-pay`.
  [[nodiscard]] FolioResult check_pay(std::string_view account_id, const nlohmann::json& body);
  /// `POST /accounts-bulk/pay`.
  [[nodiscard]] FolioResult pay_bulk(const nlohmann::json& body);

  /// `POST /manualblocks` (the stored block, for a 201).
  [[nodiscard]] FolioResult create_manual_block(const nlohmann::json& body);
  /// `DELETE /manualblocks/{id}`: null on success (204).
  [[nodiscard]] FolioResult delete_manual_block(std::string_view id);

  /// Adds `count` generated patrons (patron n as SyntheticPatrons::profile(n) describes), with
  /// their manual blocks and open fees; returns how long it took in milliseconds.
  long long generate_patrons(std::size_t count);
  /// Control: sets `pin`, `active` and/or `expirationDate` (ISO or null) of the patron named by
  /// `id` or `barcode`; `{"id","barcode","updatedDate"}`.
  [[nodiscard]] FolioResult update_patron(const nlohmann::json& body);
  /// Control: adds a manual block (`desc`, `patronMessage`, `borrowing`, `renewals`, `requests`,
  /// `expirationDate`) to the patron; `{"id","barcode","updatedDate","block_id"}`.
  [[nodiscard]] FolioResult block_patron(const nlohmann::json& body);
  /// Control: removes the manual block `block_id`, or every manual block of the patron.
  [[nodiscard]] FolioResult unblock_patron(const nlohmann::json& body);
  /// Control: deletes the patron (its loans, fees and blocks stay).
  [[nodiscard]] FolioResult delete_patron(const nlohmann::json& body);

  /// The ledger entries after `after_seq` as a JSON array of `{"seq","action","item_barcode",
  /// "item_id","user_barcode","user_id","at","recorded_at",...}` (tools/ils-emulator/README.md).
  [[nodiscard]] nlohmann::json ledger(long long after_seq = 0) const;
  /// The emulated clock.
  [[nodiscard]] EmulatorClock& clock() { return clock_; }
  /// Access and refresh token lifetimes from the seed.
  [[nodiscard]] std::chrono::seconds access_ttl() const { return state_.access_ttl; }
  [[nodiscard]] std::chrono::seconds refresh_ttl() const { return state_.refresh_ttl; }

 private:
  explicit Library(LibraryState state) : state_(std::move(state)) {}

  [[nodiscard]] FolioResult renew_loan(nlohmann::json& loan, const nlohmann::json& user,
                                       nlohmann::json& item, TimePoint now);
  [[nodiscard]] tl::expected<nlohmann::json*, FolioFailure> control_target(
      const nlohmann::json& body);
  [[nodiscard]] nlohmann::json changed(nlohmann::json& user, TimePoint now);
  [[nodiscard]] FolioResult apply_payment(const std::vector<std::string>& account_ids,
                                          const nlohmann::json& body, bool bulk, bool dry_run);

  mutable std::mutex mutex_;
  LibraryState state_;
  EmulatorClock clock_;
};

}  // namespace ils_emulator
