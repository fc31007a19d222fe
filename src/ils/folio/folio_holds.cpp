// SIP 15 hold place and cancel through mod-circulation requests: edge-sip2 has no 15, so this
// mapping is our own and not yet checked against a live FOLIO.
#include "ils/folio/cql.hpp"
#include "ils/folio/folio_backend.hpp"
#include "ils/folio/okapi_client.hpp"

namespace ils::folio {

Result<Hold> FolioBackend::place_hold(const CallContext& ctx, const HoldRequest& request) {
  if (!config_.enabled.hold) return fail(errc::not_supported, "Holds not offered");
  if (!cql::is_record_id(request.patron.id)) return fail(errc::invalid_identifier, "bad patron id");
  auto item = inventory_item(ctx, request.item_barcode);
  if (!item) return tl::unexpected(item.error());
  // Item-level requests need the instance, which /inventory/items may leave out.
  if (item->instance_id.empty() && cql::is_record_id(item->holdings_record_id)) {
    auto holdings = okapi_->call(
        ctx,
        Call::get("inventory.holdings", "/holdings-storage/holdings/" + item->holdings_record_id));
    if (!holdings) return tl::unexpected(holdings.error());
    item->instance_id = text(*holdings, "instanceId");
  }
  // A hold on an available item is usually refused by request policy; a page fetches it.
  const std::string type =
      item->status == ItemStatus::available ? config_.request_type_for_available : "Hold";
  Json body{{"requestLevel", "Item"},
            {"requestType", type},
            {"requestDate", format_timestamp(now_utc())},
            {"requesterId", request.patron.id},
            {"itemId", item->id},
            {"fulfillmentPreference", "Hold Shelf"},
            {"pickupServicePointId", service_point(request.pickup_location_id)}};
  if (!item->holdings_record_id.empty()) body["holdingsRecordId"] = item->holdings_record_id;
  if (!item->instance_id.empty()) body["instanceId"] = item->instance_id;
  if (request.expires_at) body["requestExpirationDate"] = format_timestamp(*request.expires_at);
  auto json = okapi_->call(
      ctx, Call::post("circulation.request-create", "/circulation/requests", std::move(body)));
  if (!json) return tl::unexpected(json.error());
  Hold hold = hold_from_json(*json);
  if (hold.item_barcode.empty()) hold.item_barcode = item->barcode;
  if (hold.title.empty()) hold.title = item->title;
  return hold;
}

Result<Json> FolioBackend::find_open_request(const CallContext& ctx,
                                             const CancelHoldRequest& request) {
  if (!request.hold_id.empty()) {
    if (!cql::is_record_id(request.hold_id)) return fail(errc::invalid_identifier, "bad hold id");
    auto json = okapi_->call(
        ctx, Call::get("circulation.request-get", "/circulation/requests/" + request.hold_id));
    if (!json) return json;
    // Another patron's request is reported as absent, never cancelled.
    if (text(*json, "requesterId") != request.patron.id)
      return fail(errc::not_found, "Request not found");
    if (!text(*json, "status").starts_with("Open"))
      return fail(errc::rejected, "Request is already closed");
    return json;
  }
  auto item = inventory_item(ctx, request.item_barcode);
  if (!item) return tl::unexpected(item.error());
  auto json =
      search(ctx, "circulation.requests", "/circulation/requests",
             cql::open_requests_of_user_for_item(request.patron.id, item->id), config_.list_limit);
  if (!json) return json;
  const Json& requests = array(*json, "requests");
  if (requests.empty()) return fail(errc::not_found, "No open request for this item");
  return requests.front();
}

Result<Hold> FolioBackend::cancel_hold(const CallContext& ctx, const CancelHoldRequest& request) {
  if (!capabilities().cancel_hold) return fail(errc::not_supported, "Hold cancel not offered");
  if (!cql::is_record_id(request.patron.id)) return fail(errc::invalid_identifier, "bad patron id");
  auto record = find_open_request(ctx, request);
  if (!record) return tl::unexpected(record.error());
  const std::string id = text(*record, "id");
  if (!cql::is_record_id(id)) return fail(errc::bad_response, "request without a valid id");

  // mod-circulation cancels by a PUT of the whole record with the cancellation fields set.
  Json& updated = *record;
  updated["status"] = "Closed - Cancelled";
  updated["cancelledDate"] = format_timestamp(now_utc());
  updated["cancelledByUserId"] = request.patron.id;
  updated["cancellationAdditionalInformation"] = "Cancelled at a self-service kiosk";
  updated["cancellationReasonId"] = config_.cancellation_reason_id;
  auto json = okapi_->call(
      ctx, Call::put("circulation.request-update", "/circulation/requests/" + id, updated));
  if (!json) return tl::unexpected(json.error());
  return hold_from_json(updated);
}

}  // namespace ils::folio
