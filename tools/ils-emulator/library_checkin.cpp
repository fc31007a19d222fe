// Library: check-in by barcode, closing the open loan (if any) and routing the item.
#include "item_routing.hpp"
#include "json_fields.hpp"
#include "library.hpp"
#include "record_views.hpp"

namespace ils_emulator {
namespace {

using nlohmann::json;

json service_point_name(LibraryState& s, const std::string& id) {
  const json* sp = s.service_points.find(id);
  return sp ? text(*sp, "name") : std::string();
}

/// The slip data mod-circulation hands to staff: transit or hold-shelf details.
json staff_slip(LibraryState& s, const json& item, const std::string& service_point,
                const std::string& trapped_request) {
  json slip_item = {{"title", text(item, "title")},
                    {"barcode", text(item, "barcode")},
                    {"status", item_status(item)},
                    {"callNumber", text(item, "callNumber")},
                    {"effectiveLocationSpecific", text(item, "effectiveLocation", "name")},
                    {"fromServicePoint", service_point_name(s, service_point)}};
  const std::string destination = text(item, "inTransitDestinationServicePointId");
  if (!destination.empty()) slip_item["toServicePoint"] = service_point_name(s, destination);
  json slip = {{"item", slip_item}};
  const json* request = trapped_request.empty() ? nullptr : s.requests.find(trapped_request);
  if (request == nullptr) return slip;
  slip["request"] = {
      {"requestID", text(*request, "id")},
      {"requestType", text(*request, "requestType")},
      {"status", text(*request, "status")},
      {"servicePointPickup", service_point_name(s, text(*request, "pickupServicePointId"))},
      {"holdShelfExpirationDate", text(*request, "holdShelfExpirationDate")}};
  if (const json* requester = find_user(s, text(*request, "requesterId"))) {
    slip["requester"] = {{"firstName", text(*requester, "personal", "firstName")},
                         {"lastName", text(*requester, "personal", "lastName")},
                         {"barcode", text(*requester, "barcode")}};
  }
  return slip;
}

}  // namespace

FolioResult Library::check_in(const json& body) {
  std::lock_guard lock(mutex_);
  const TimePoint now = clock_.now();
  const std::string item_barcode = text(body, "itemBarcode");
  const std::string service_point = text(body, "servicePointId");
  std::vector<ValidationError> errors;
  if (item_barcode.empty()) {
    errors.push_back({"Checkin request must have an item barcode", {{"itemBarcode", ""}}, ""});
  }
  if (service_point.empty() || state_.service_points.find(service_point) == nullptr) {
    errors.push_back(
        {"Checkin request must have a service point id", {{"servicePointId", service_point}}, ""});
  }
  const auto check_in_date = parse_iso_time(text(body, "checkInDate"));
  if (body.contains("checkInDate") && !check_in_date) {
    errors.push_back({"Checkin request must have a valid check in date",
                      {{"checkInDate", text(body, "checkInDate")}},
                      ""});
  }
  json* item = item_barcode.empty() ? nullptr : item_by_barcode(state_, item_barcode);
  if (!item_barcode.empty() && item == nullptr) {
    errors.push_back(
        {"No item with barcode " + item_barcode + " exists", {{"itemBarcode", item_barcode}}, ""});
  }
  if (!errors.empty()) return tl::unexpected(validation_failure(errors));

  json response = {{"inHouseUse", false}};
  const TimePoint returned = check_in_date.value_or(now);
  const json* borrower = nullptr;
  json detail = json::object();
  if (json* loan = open_loan_for_item(state_, text(*item, "id"))) {
    (*loan)["status"] = {{"name", "Closed"}};
    (*loan)["action"] = "checkedin";
    (*loan)["returnDate"] = format_folio_time(returned);
    (*loan)["systemReturnDate"] = format_folio_time(now);
    (*loan)["checkinServicePointId"] = service_point;
    borrower = find_user(state_, text(*loan, "userId"));
    detail["loan_id"] = text(*loan, "id");
    response["loan"] = *loan;
  }
  const std::string trapped = route_item(state_, *item, service_point, now);
  if (response.contains("loan")) response["loan"] = loan_view(state_, response["loan"]);
  response["item"] = loan_item_view(state_, *item);
  response["staffSlipContext"] = staff_slip(state_, *item, service_point, trapped);
  detail["item_status"] = item_status(*item);
  LedgerSubject subject = ledger_subject(item, borrower);
  if (borrower == nullptr && response.contains("loan")) {
    subject.user_id = text(response["loan"], "userId");  // a deleted patron's loan
  }
  record_mutation(state_, "checkin", std::move(subject), returned, now, std::move(detail));
  return response;
}

}  // namespace ils_emulator
