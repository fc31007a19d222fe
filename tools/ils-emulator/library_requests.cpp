// Library: item-level requests (hold, recall, page), placing and cancelling.
#include <algorithm>

#include "item_routing.hpp"
#include "json_fields.hpp"
#include "library.hpp"
#include "patron_blocks.hpp"
#include "record_views.hpp"

namespace ils_emulator {
namespace {

using nlohmann::json;

bool type_allowed(std::string_view type, std::string_view status) {
  if (type == "Page") return status == "Available";
  // Holds may also wait for a missing item; recalls need every status but the last.
  static constexpr std::string_view holdable[] = {
      "Checked out", "Awaiting pickup", "In transit",        "Paged",
      "On order",    "In process",      "Awaiting delivery", "Missing"};
  const auto end = type == "Hold" ? std::end(holdable) : std::end(holdable) - 1;
  return std::find(std::begin(holdable), end, status) != end;
}

std::vector<ValidationError> shape_errors(LibraryState& s, const json& body) {
  std::vector<ValidationError> errors;
  for (const char* key :
       {"requesterId", "requestType", "requestDate", "fulfillmentPreference", "itemId"}) {
    if (text(body, key).empty())
      errors.push_back({key + std::string(" is required"), {{key, ""}}, ""});
  }
  const std::string type = text(body, "requestType");
  if (!type.empty() && type != "Hold" && type != "Recall" && type != "Page") {
    errors.push_back({"requestType must be Hold, Recall or Page", {{"requestType", type}}, ""});
  }
  if (text_or(body, "requestLevel", "Item") != "Item") {
    errors.push_back({"requestLevel must be one of the following: \"Item\"",
                      {{"requestLevel", text(body, "requestLevel")}},
                      "REQUEST_LEVEL_IS_NOT_ALLOWED"});
  }
  const std::string pickup = text(body, "pickupServicePointId");
  if (text(body, "fulfillmentPreference") == "Hold Shelf" && pickup.empty()) {
    errors.push_back({"Hold Shelf Fulfillment Requests require a Pickup Service Point",
                      {},
                      "HOLD_SHELF_REQUESTS_REQUIRE_PICKUP_SERVICE_POINT"});
  } else if (!pickup.empty() && s.service_points.find(pickup) == nullptr) {
    errors.push_back(
        {"Pickup service point does not exist", {{"pickupServicePointId", pickup}}, ""});
  }
  if (!text(body, "id").empty() && s.requests.find(text(body, "id")) != nullptr) {
    errors.push_back({"Request with this id already exists", {{"id", text(body, "id")}}, ""});
  }
  return errors;
}

std::vector<ValidationError> rule_errors(LibraryState& s, const json& user, const json& item,
                                         std::string_view type, TimePoint now) {
  const std::string user_id = text(user, "id"), item_id = text(item, "id");
  std::vector<ValidationError> errors;
  if (!user_is_active(user, now)) {
    errors.push_back({"Inactive users cannot make requests", {{"requesterId", user_id}}, ""});
  }
  for (auto& e : block_errors(s, user, PatronAction::requests, now))
    errors.push_back(std::move(e));
  for (const json* r : request_queue(s, item_id)) {
    if (text(*r, "requesterId") == user_id) {
      errors.push_back({"This requester already has an open request for this item",
                        {{"itemId", item_id}, {"requesterId", user_id}},
                        "ITEM_ALREADY_REQUESTED"});
      break;
    }
  }
  const json* loan = open_loan_for_item(s, item_id);
  if (loan != nullptr && text(*loan, "userId") == user_id) {
    errors.push_back({"This requester currently has this item on loan.",
                      {{"itemId", item_id}, {"userId", user_id}},
                      "REQUESTER_ALREADY_HAS_THIS_ITEM_ON_LOAN"});
  }
  if (!type_allowed(type, item_status(item)) || !policy_for(s, user, item).loanable) {
    errors.push_back({std::string(type) + " requests are not allowed for this patron and item "
                                          "combination",
                      {{"requestType", std::string(type)}},
                      "REQUEST_NOT_ALLOWED_FOR_PATRON_ITEM_COMBINATION"});
  }
  return errors;
}

/// Closes the request as cancelled, renumbers the queue and releases an item held for it.
void cancel_request(LibraryState& s, json& request, const json& body, TimePoint now) {
  const std::string was = text(request, "status");
  request["status"] = "Closed - Cancelled";
  for (const char* key :
       {"cancellationReasonId", "cancelledByUserId", "cancellationAdditionalInformation"}) {
    if (member(body, key).is_string()) request[key] = text(body, key);
  }
  request["cancelledDate"] = text_or(body, "cancelledDate", format_folio_time(now));
  request.erase("position");
  const std::string item_id = text(request, "itemId");
  renumber_queue(s, item_id);
  json* item = s.items.find(item_id);
  const bool held_for_this =
      item != nullptr &&
      (was == "Open - Awaiting pickup" ||
       (item_status(*item) == "Paged" && text(request, "requestType") == "Page"));
  if (held_for_this) route_item(s, *item, text(request, "pickupServicePointId"), now);
  const json* user = find_user(s, text(request, "requesterId"));
  record_mutation(s, "cancel_hold", ledger_subject(item, user), now, now,
                  {{"request_id", text(request, "id")}});
}

}  // namespace

FolioResult Library::create_request(const json& body) {
  std::lock_guard lock(mutex_);
  const TimePoint now = clock_.now();
  std::vector<ValidationError> errors = shape_errors(state_, body);
  if (!errors.empty()) return tl::unexpected(validation_failure(errors));
  const json* user = find_user(state_, text(body, "requesterId"));
  json* item = state_.items.find(text(body, "itemId"));
  if (user == nullptr) {
    errors.push_back({"A valid user and patron group are required. User is null",
                      {{"requesterId", text(body, "requesterId")}},
                      ""});
  }
  if (item == nullptr)
    errors.push_back({"Item does not exist", {{"itemId", text(body, "itemId")}}, ""});
  const std::string type = text(body, "requestType");
  if (errors.empty()) errors = rule_errors(state_, *user, *item, type, now);
  if (!errors.empty()) return tl::unexpected(validation_failure(errors));

  const json* holdings = state_.holdings.find(text(*item, "holdingsRecordId"));
  json request = body;
  request["id"] = text_or(body, "id", new_uuid());
  request["requestLevel"] = "Item";
  request["status"] = "Open - Not yet filled";
  request["position"] = static_cast<int>(request_queue(state_, text(*item, "id")).size()) + 1;
  request["holdingsRecordId"] = text(*item, "holdingsRecordId");
  request["instanceId"] = holdings ? text(*holdings, "instanceId") : std::string();
  request["metadata"] = {{"createdDate", format_folio_time(now)}};
  if (type == "Page") set_item_status(*item, "Paged", now);
  const json& stored = state_.requests.put(std::move(request));
  json view = request_view(state_, stored);
  record_mutation(state_, "hold", ledger_subject(item, user), now, now,
                  {{"request_id", text(view, "id")}, {"request_type", type}});
  return view;
}

FolioResult Library::update_request(std::string_view id, const json& body) {
  std::lock_guard lock(mutex_);
  json* request = state_.requests.find(id);
  if (request == nullptr) return tl::unexpected(text_failure(404, "Request not found"));
  const std::string status = text(body, "status");
  const std::string current = text(*request, "status");
  if (!current.starts_with("Open")) {
    return tl::unexpected(validation_failure({{"The Request has already been closed",
                                               {{"id", std::string(id)}},
                                               "REQUEST_ALREADY_CLOSED"}}));
  }
  for (const char* key : {"pickupServicePointId", "requestExpirationDate", "patronComments"}) {
    if (member(body, key).is_string()) (*request)[key] = text(body, key);
  }
  if (status.empty() || status == current) return json();
  if (status != "Closed - Cancelled") {
    return tl::unexpected(validation_failure(
        {{"Only cancellation can change a request's status here", {{"status", status}}, ""}}));
  }
  if (text(body, "cancellationReasonId").empty()) {
    return tl::unexpected(validation_failure(
        {{"Cancellation reason is required", {{"cancellationReasonId", ""}}, ""}}));
  }
  cancel_request(state_, *request, body, clock_.now());
  return json();
}

}  // namespace ils_emulator
