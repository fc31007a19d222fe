// Library: CQL searches and reads by id over every collection, in FOLIO's list shapes.
#include "cql_query.hpp"
#include "json_fields.hpp"
#include "library.hpp"
#include "record_views.hpp"

namespace ils_emulator {
namespace {

using nlohmann::json;

/// The array key FOLIO uses in each collection's list response.
const char* list_key(Collection c) {
  switch (c) {
    case Collection::users:
      return "users";
    case Collection::inventory_items:
      return "items";
    case Collection::storage_items:
      return "items";
    case Collection::holdings:
      return "holdingsRecords";
    case Collection::instances:
      return "instances";
    case Collection::search_instances:
      return "instances";
    case Collection::loans:
      return "loans";
    case Collection::requests:
      return "requests";
    case Collection::accounts:
      return "accounts";
    case Collection::feefines:
      return "feefines";
    case Collection::feefineactions:
      return "feefineactions";
    case Collection::manualblocks:
      return "manualblocks";
    case Collection::service_points:
      return "servicepoints";
    case Collection::locations:
      return "locations";
    case Collection::loan_policies:
      return "loanPolicies";
    case Collection::groups:
      return "usergroups";
  }
  return "records";
}

template <typename View>
std::vector<json> map_all(const std::vector<json>& records, View view) {
  std::vector<json> out;
  out.reserve(records.size());
  for (const auto& r : records)
    out.push_back(view(r));
  return out;
}

/// The records of a collection as its endpoint represents them.
std::vector<json> records_of(LibraryState& s, Collection c) {
  switch (c) {
    case Collection::users:
      return s.users.all();
    case Collection::inventory_items:
      return map_all(s.items.all(), [&](const json& r) { return item_view(s, r); });
    case Collection::storage_items:
      return map_all(s.items.all(), storage_item_view);
    case Collection::holdings:
      return s.holdings.all();
    case Collection::instances:
      return s.instances.all();
    case Collection::search_instances:
      return search_instance_views(s);
    case Collection::loans:
      return map_all(s.loans.all(), [&](const json& r) { return loan_view(s, r); });
    case Collection::requests:
      return map_all(s.requests.all(), [&](const json& r) { return request_view(s, r); });
    case Collection::accounts:
      return s.accounts.all();
    case Collection::feefines:
      return s.feefines.all();
    case Collection::feefineactions:
      return s.feefineactions.all();
    case Collection::manualblocks:
      return s.manualblocks.all();
    case Collection::service_points:
      return s.service_points.all();
    case Collection::locations:
      return s.locations.all();
    case Collection::loan_policies:
      return s.loan_policies.all();
    case Collection::groups: {
      std::vector<json> groups;
      for (const auto& g : s.groups) {
        groups.push_back({{"id", g.id}, {"group", g.group}, {"desc", g.desc}});
      }
      return groups;
    }
  }
  return {};
}

}  // namespace

FolioResult Library::query(Collection collection, const std::optional<std::string>& cql,
                           Paging paging) {
  std::optional<CqlQuery> parsed;
  if (cql && !cql->empty()) {
    auto result = parse_cql(*cql);
    if (!result) {
      return tl::unexpected(text_failure(400, "CQL error at position " +
                                                  std::to_string(result.error().position) + ": " +
                                                  result.error().message));
    }
    parsed = std::move(*result);
  }
  std::lock_guard lock(mutex_);
  const Page page =
      select_page(records_of(state_, collection), parsed ? &*parsed : nullptr, paging);
  const auto total = static_cast<long long>(page.total);
  return json{
      {list_key(collection), page.records},
      {"totalRecords", total},
      {"resultInfo",
       {{"totalRecords", total}, {"facets", json::array()}, {"diagnostics", json::array()}}}};
}

FolioResult Library::get(Collection collection, std::string_view id) {
  std::lock_guard lock(mutex_);
  for (auto& record : records_of(state_, collection)) {
    if (text(record, "id") == id) return std::move(record);
  }
  return tl::unexpected(text_failure(404, "Not found"));
}

}  // namespace ils_emulator
