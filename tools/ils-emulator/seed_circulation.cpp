// Seed loading: open loans, request queues, fees and manual blocks, with dates relative to now.
#include <chrono>

#include "json_fields.hpp"
#include "seed_loader.hpp"
#include "seed_schema.hpp"

namespace ils_emulator {
namespace {

using nlohmann::json;

TimePoint days_from(TimePoint now, long long days) {
  return now + std::chrono::hours(24 * days);
}

std::string default_service_point(LibraryState& s) {
  return s.service_points.all().empty() ? std::string() : text(s.service_points.all()[0], "id");
}

SeedStatus load_loans(const json& seed, LibraryState& state, TimePoint now) {
  if (auto e = check_array(seed, "loans", false)) return seed_error(*e);
  const json loans = seed.value("loans", json::array());
  for (std::size_t i = 0; i < loans.size(); ++i) {
    const json& l = loans[i];
    const std::string path = element_path("loans", i);
    if (auto e = check_fields(l, path,
                              {{"itemBarcode", FieldType::string},
                               {"userBarcode", FieldType::string},
                               {"dueInDays", FieldType::integer},
                               {"loanDaysAgo", FieldType::integer, false},
                               {"renewalCount", FieldType::integer, false}})) {
      return seed_error(*e);
    }
    json* item = item_by_barcode(state, text(l, "itemBarcode"));
    if (item == nullptr) return seed_error(path + ".itemBarcode: no such item");
    const json* user = user_by_barcode(state, text(l, "userBarcode"));
    if (user == nullptr) return seed_error(path + ".userBarcode: no such user");
    if (open_loan_for_item(state, text(*item, "id")) != nullptr) {
      return seed_error(path + ".itemBarcode: item already has an open loan");
    }
    const LoanPolicy& policy = policy_for(state, *user, *item);
    state.loans.put(
        {{"id", new_uuid()},
         {"userId", text(*user, "id")},
         {"itemId", text(*item, "id")},
         {"status", {{"name", "Open"}}},
         {"action", "checkedout"},
         {"loanDate", format_folio_time(days_from(now, -integer(l, "loanDaysAgo", 14)))},
         {"dueDate", format_folio_time(days_from(now, integer(l, "dueInDays")))},
         {"renewalCount", integer(l, "renewalCount")},
         {"loanPolicyId", policy.id},
         {"checkoutServicePointId", default_service_point(state)},
         {"patronGroupIdAtCheckout", text(*user, "patronGroup")}});
    set_item_status(*item, "Checked out", now);
  }
  return {};
}

SeedStatus load_requests(const json& seed, LibraryState& state, TimePoint now) {
  if (auto e = check_array(seed, "requests", false)) return seed_error(*e);
  const json requests = seed.value("requests", json::array());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const json& r = requests[i];
    const std::string path = element_path("requests", i);
    if (auto e = check_fields(r, path,
                              {{"itemBarcode", FieldType::string},
                               {"requesterBarcode", FieldType::string},
                               {"requestType", FieldType::string},
                               {"status", FieldType::string, false},
                               {"pickupServicePointId", FieldType::string, false},
                               {"requestDaysAgo", FieldType::integer, false}})) {
      return seed_error(*e);
    }
    json* item = item_by_barcode(state, text(r, "itemBarcode"));
    if (item == nullptr) return seed_error(path + ".itemBarcode: no such item");
    const json* user = user_by_barcode(state, text(r, "requesterBarcode"));
    if (user == nullptr) return seed_error(path + ".requesterBarcode: no such user");
    const std::string pickup = text_or(r, "pickupServicePointId", default_service_point(state));
    if (state.service_points.find(pickup) == nullptr) {
      return seed_error(path + ".pickupServicePointId: no such service point");
    }
    const std::string item_id = text(*item, "id");
    const std::string status = text_or(r, "status", "Open - Not yet filled");
    const json* holdings = state.holdings.find(text(*item, "holdingsRecordId"));
    json request = {
        {"id", new_uuid()},
        {"requestType", text(r, "requestType")},
        {"requestLevel", "Item"},
        {"requestDate", format_folio_time(days_from(now, -integer(r, "requestDaysAgo", 1)))},
        {"requesterId", text(*user, "id")},
        {"itemId", item_id},
        {"holdingsRecordId", text(*item, "holdingsRecordId")},
        {"instanceId", holdings ? text(*holdings, "instanceId") : ""},
        {"status", status},
        {"position", static_cast<int>(request_queue(state, item_id).size()) + 1},
        {"fulfillmentPreference", "Hold Shelf"},
        {"pickupServicePointId", pickup}};
    if (status == "Open - Awaiting pickup") {
      request["holdShelfExpirationDate"] = format_folio_time(days_from(now, 7));
      set_item_status(*item, "Awaiting pickup", now);
    }
    state.requests.put(std::move(request));
  }
  return {};
}

SeedStatus load_fees_and_blocks(const json& seed, LibraryState& state) {
  for (const auto* key : {"feefines", "accounts", "manualblocks"}) {
    if (auto e = check_array(seed, key, false)) return seed_error(*e);
  }
  for (const auto& f : seed.value("feefines", json::array()))
    state.feefines.put(f);
  const json accounts = seed.value("accounts", json::array());
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    const std::string path = element_path("accounts", i);
    if (auto e = check_fields(accounts[i], path,
                              {{"id", FieldType::string},
                               {"userId", FieldType::string},
                               {"amount", FieldType::number},
                               {"remaining", FieldType::number},
                               {"status", FieldType::object},
                               {"paymentStatus", FieldType::object}})) {
      return seed_error(*e);
    }
    if (number(accounts[i], "remaining") < 0 ||
        number(accounts[i], "remaining") > number(accounts[i], "amount")) {
      return seed_error(path + ".remaining: must be between 0 and amount");
    }
    if (state.users.find(text(accounts[i], "userId")) == nullptr) {
      return seed_error(path + ".userId: no such user");
    }
    state.accounts.put(accounts[i]);
  }
  const json blocks = seed.value("manualblocks", json::array());
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    if (auto e = check_fields(blocks[i], element_path("manualblocks", i),
                              {{"id", FieldType::string},
                               {"userId", FieldType::string},
                               {"desc", FieldType::string}})) {
      return seed_error(*e);
    }
    state.manualblocks.put(blocks[i]);
  }
  return {};
}

}  // namespace

tl::expected<void, std::string> load_circulation(const json& seed, LibraryState& state,
                                                 TimePoint now) {
  SeedStatus status = load_loans(seed, state, now);
  if (status) status = load_requests(seed, state, now);
  if (status) status = load_fees_and_blocks(seed, state);
  return status;
}

}  // namespace ils_emulator
