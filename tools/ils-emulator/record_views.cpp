// Composite record views.
#include "record_views.hpp"

#include <unordered_map>

#include "json_fields.hpp"

namespace ils_emulator {

using nlohmann::json;

namespace {

json service_point_summary(LibraryState& s, const std::string& id) {
  const json* sp = id.empty() ? nullptr : s.service_points.find(id);
  if (sp == nullptr) return nullptr;
  return {{"id", id},
          {"name", text(*sp, "name")},
          {"code", text(*sp, "code")},
          {"discoveryDisplayName", text(*sp, "discoveryDisplayName")}};
}

std::string instance_id_of(LibraryState& s, const json& item) {
  const json* holdings = s.holdings.find(text(item, "holdingsRecordId"));
  return holdings ? text(*holdings, "instanceId") : std::string();
}

}  // namespace

json item_view(LibraryState& s, const json& item) {
  json view = item;
  const json destination =
      service_point_summary(s, text(item, "inTransitDestinationServicePointId"));
  if (!destination.is_null()) view["inTransitDestinationServicePoint"] = destination;
  return view;
}

json storage_item_view(const json& item) {
  json view = item;
  view.erase("title");
  view.erase("inTransitDestinationServicePoint");
  for (const char* key : {"effectiveLocation", "permanentLocation", "materialType"}) {
    if (view.contains(key)) {
      view[std::string(key) + "Id"] = text(item, key, "id");
      view.erase(key);
    }
  }
  return view;
}

json loan_item_view(LibraryState& s, const json& item) {
  const std::string instance_id = instance_id_of(s, item);
  const json* instance = s.instances.find(instance_id);
  json view = {{"id", text(item, "id")},
               {"title", text(item, "title")},
               {"barcode", text(item, "barcode")},
               {"callNumber", text(item, "callNumber")},
               {"status", {{"name", item_status(item)}}},
               {"location", {{"name", text(item, "effectiveLocation", "name")}}},
               {"materialType", {{"name", text(item, "materialType", "name")}}},
               {"holdingsRecordId", text(item, "holdingsRecordId")},
               {"instanceId", instance_id},
               {"contributors", instance ? member(*instance, "contributors") : json()}};
  if (!view["contributors"].is_array()) view["contributors"] = json::array();
  const std::string destination = text(item, "inTransitDestinationServicePointId");
  const json summary = service_point_summary(s, destination);
  if (!summary.is_null()) {
    view["inTransitDestinationServicePointId"] = destination;
    view["inTransitDestinationServicePoint"] = summary;
  }
  return view;
}

json loan_view(LibraryState& s, const json& loan) {
  json view = loan;
  if (const json* item = s.items.find(text(loan, "itemId"))) {
    view["item"] = loan_item_view(s, *item);
  }
  if (const json* user = find_user(s, text(loan, "userId"))) {
    const json& personal = member(*user, "personal");
    view["borrower"] = {{"barcode", text(*user, "barcode")},
                        {"firstName", text(personal, "firstName")},
                        {"lastName", text(personal, "lastName")},
                        {"middleName", text(personal, "middleName")},
                        {"patronGroup", text(*user, "patronGroup")}};
  }
  view["isDcb"] = false;
  return view;
}

json request_view(LibraryState& s, const json& request) {
  json view = request;
  if (const json* item = s.items.find(text(request, "itemId"))) {
    view["item"] = {{"barcode", text(*item, "barcode")},
                    {"title", text(*item, "title")},
                    {"status", item_status(*item)},
                    {"callNumber", text(*item, "callNumber")}};
    view["instance"] = {{"title", text(*item, "title")}};
  }
  if (const json* user = find_user(s, text(request, "requesterId"))) {
    const json& personal = member(*user, "personal");
    view["requester"] = {{"barcode", text(*user, "barcode")},
                         {"firstName", text(personal, "firstName")},
                         {"lastName", text(personal, "lastName")},
                         {"patronGroupId", text(*user, "patronGroup")}};
  }
  const json pickup = service_point_summary(s, text(request, "pickupServicePointId"));
  if (!pickup.is_null()) view["pickupServicePoint"] = pickup;
  return view;
}

std::vector<json> search_instance_views(LibraryState& s) {
  std::vector<json> views;
  std::unordered_map<std::string, std::size_t> by_instance;
  for (const auto& instance : s.instances.all()) {
    by_instance.emplace(text(instance, "id"), views.size());
    json contributors = member(instance, "contributors");
    views.push_back({{"id", text(instance, "id")},
                     {"title", text(instance, "title")},
                     {"contributors", contributors.is_array() ? contributors : json::array()},
                     {"items", json::array()}});
  }
  for (const auto& item : s.items.all()) {
    const auto it = by_instance.find(instance_id_of(s, item));
    if (it == by_instance.end()) continue;
    views[it->second]["items"].push_back({{"id", text(item, "id")},
                                          {"barcode", text(item, "barcode")},
                                          {"status", {{"name", item_status(item)}}},
                                          {"holdingsRecordId", text(item, "holdingsRecordId")}});
  }
  return views;
}

}  // namespace ils_emulator
