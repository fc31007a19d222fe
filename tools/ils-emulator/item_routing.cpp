// Item routing after check-in or a released hold (mod-circulation's request queue rules).
#include "item_routing.hpp"

#include "due_date.hpp"
#include "json_fields.hpp"

namespace ils_emulator {
namespace {

using nlohmann::json;

/// The hold shelf expiry of a service point (`holdShelfExpiryPeriod`, default 7 days).
TimePoint hold_shelf_expiry(LibraryState& s, const std::string& service_point_id, TimePoint now) {
  static const json none;
  const json* sp = s.service_points.find(service_point_id);
  const json& period = sp ? member(*sp, "holdShelfExpiryPeriod") : none;
  LoanPolicy shelf;
  shelf.duration = integer(period, "duration", 7);
  shelf.interval = text_or(period, "intervalId", "Days");
  if (shelf.duration <= 0 || shelf.duration > 1000) shelf.duration = 7;
  return loan_due_date(shelf, now);
}

void send_in_transit(json& item, const std::string& destination, TimePoint now) {
  set_item_status(item, "In transit", now);
  item["inTransitDestinationServicePointId"] = destination;
}

}  // namespace

std::string route_item(LibraryState& s, json& item, const std::string& service_point_id,
                       TimePoint now) {
  const auto queue = request_queue(s, text(item, "id"));
  if (!queue.empty()) {
    json& request = *queue.front();
    const std::string pickup = text(request, "pickupServicePointId");
    if (pickup.empty() || pickup == service_point_id) {
      request["status"] = "Open - Awaiting pickup";
      request["holdShelfExpirationDate"] =
          format_folio_time(hold_shelf_expiry(s, service_point_id, now));
      set_item_status(item, "Awaiting pickup", now);
      item.erase("inTransitDestinationServicePointId");
    } else {
      request["status"] = "Open - In transit";
      send_in_transit(item, pickup, now);
    }
    return text(request, "id");
  }
  const json* location = s.locations.find(text(item, "effectiveLocation", "id"));
  const std::string home = location ? text(*location, "primaryServicePoint") : std::string();
  if (!home.empty() && home != service_point_id && s.service_points.find(home) != nullptr) {
    send_in_transit(item, home, now);
  } else {
    set_item_status(item, "Available", now);
    item.erase("inTransitDestinationServicePointId");
  }
  return {};
}

}  // namespace ils_emulator
