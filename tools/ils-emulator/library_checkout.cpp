// Library: check-out by barcode with mod-circulation's validators, errors collected.
#include "due_date.hpp"
#include "json_fields.hpp"
#include "library.hpp"
#include "patron_blocks.hpp"
#include "record_views.hpp"

namespace ils_emulator {
namespace {

using nlohmann::json;

bool refused_status(std::string_view status) {
  return status == "Missing" || status == "Long missing" || status == "Declared lost" ||
         status == "Claimed returned" || status == "Withdrawn" || status == "Lost and paid" ||
         status == "Aged to lost" || status == "Unavailable" || status == "Unknown";
}

/// The request that reserves the item for someone other than `user_id`, or nullptr.
const json* reserved_for_other(LibraryState& s, const json& item, const std::string& user_id) {
  const auto queue = request_queue(s, text(item, "id"));
  if (queue.empty()) return nullptr;
  const json* first = queue.front();
  return text(*first, "requesterId") == user_id ? nullptr : first;
}

std::vector<ValidationError> item_errors(LibraryState& s, const json& item, const json& user,
                                         const LoanPolicy& policy) {
  std::vector<ValidationError> errors;
  const std::string barcode = text(item, "barcode");
  const std::string status = item_status(item);
  if (status == "Checked out" || open_loan_for_item(s, text(item, "id")) != nullptr) {
    errors.push_back({"Item is already checked out", {{"itemBarcode", barcode}}, ""});
  } else if (refused_status(status)) {
    errors.push_back({text(item, "title") + " (" + text(item, "materialType", "name") +
                          ") (Barcode: " + barcode + ") has the item status " + status +
                          " and cannot be checked out",
                      {{"itemBarcode", barcode}},
                      ""});
  }
  if (!policy.loanable) {
    errors.push_back({"Item is not loanable",
                      {{"loanPolicyId", policy.id}, {"loanPolicyName", policy.name}},
                      "ITEM_NOT_LOANABLE"});
  }
  if (errors.empty() && reserved_for_other(s, item, text(user, "id")) != nullptr) {
    errors.push_back({text(item, "title") + " (Barcode: " + barcode +
                          ") cannot be checked out to user " + personal_name(user) +
                          " because it has been requested by another patron",
                      {{"userBarcode", text(user, "barcode")}},
                      ""});
  }
  return errors;
}

/// Closes the requester's own request that the check-out fulfils.
void fulfil_own_request(LibraryState& s, const json& item, const std::string& user_id) {
  for (json* r : request_queue(s, text(item, "id"))) {
    if (text(*r, "requesterId") != user_id) continue;
    (*r)["status"] = "Closed - Filled";
    r->erase("position");
    break;
  }
  renumber_queue(s, text(item, "id"));
}

/// Refusals that need no user or item record: missing fields, unknown service point.
std::vector<ValidationError> request_errors(LibraryState& s, const std::string& item_barcode,
                                            const std::string& user_barcode,
                                            const std::string& service_point) {
  std::vector<ValidationError> errors;
  if (item_barcode.empty()) {
    errors.push_back({"Check out request must have an item barcode", {{"itemBarcode", ""}}, ""});
  }
  if (user_barcode.empty()) {
    errors.push_back({"Check out request must have a user barcode", {{"userBarcode", ""}}, ""});
  }
  if (service_point.empty() || s.service_points.find(service_point) == nullptr) {
    errors.push_back({"Check out must be performed at a service point",
                      {{"servicePointId", service_point}},
                      ""});
  }
  return errors;
}

/// Refusals about the user: unknown, inactive or expired, blocked from borrowing.
void add_user_errors(LibraryState& s, const json* user, const std::string& user_barcode,
                     TimePoint now, std::vector<ValidationError>& errors) {
  if (user == nullptr) {
    if (!user_barcode.empty()) {
      errors.push_back({"Could not find user with matching barcode",
                        {{"userBarcode", user_barcode}},
                        "USER_BARCODE_NOT_FOUND"});
    }
    return;
  }
  if (!user_is_active(*user, now)) {
    errors.push_back({"Cannot check out to inactive user", {{"userBarcode", user_barcode}}, ""});
  }
  for (auto& e : block_errors(s, *user, PatronAction::borrowing, now)) {
    errors.push_back(std::move(e));
  }
}

}  // namespace

FolioResult Library::check_out(const json& body) {
  std::lock_guard lock(mutex_);
  const TimePoint now = clock_.now();
  const std::string item_barcode = text(body, "itemBarcode");
  const std::string user_barcode = text(body, "userBarcode");
  const std::string service_point = text(body, "servicePointId");
  auto errors = request_errors(state_, item_barcode, user_barcode, service_point);
  json* user = user_by_barcode(state_, user_barcode);
  json* item = item_by_barcode(state_, item_barcode);
  if (!item_barcode.empty() && item == nullptr) {
    errors.push_back({"No item with barcode " + item_barcode + " could be found",
                      {{"itemBarcode", item_barcode}},
                      "ITEM_BARCODE_NOT_FOUND"});
  }
  if (user != nullptr && item != nullptr) {
    for (auto& e : item_errors(state_, *item, *user, policy_for(state_, *user, *item))) {
      errors.push_back(std::move(e));
    }
  }
  add_user_errors(state_, user, user_barcode, now, errors);
  if (!errors.empty()) return tl::unexpected(validation_failure(errors));

  const LoanPolicy& policy = policy_for(state_, *user, *item);
  const std::string user_id = text(*user, "id");
  fulfil_own_request(state_, *item, user_id);
  set_item_status(*item, "Checked out", now);
  item->erase("inTransitDestinationServicePointId");
  const json& loan = state_.loans.put({{"id", new_uuid()},
                                       {"userId", user_id},
                                       {"itemId", text(*item, "id")},
                                       {"status", {{"name", "Open"}}},
                                       {"action", "checkedout"},
                                       {"loanDate", format_folio_time(now)},
                                       {"dueDate", format_folio_time(loan_due_date(policy, now))},
                                       {"renewalCount", 0},
                                       {"loanPolicyId", policy.id},
                                       {"checkoutServicePointId", service_point},
                                       {"patronGroupIdAtCheckout", text(*user, "patronGroup")}});
  json view = loan_view(state_, loan);
  record_mutation(state_, "checkout", item_barcode, user_barcode, now);
  return view;
}

}  // namespace ils_emulator
