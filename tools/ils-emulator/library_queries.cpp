// Library: CQL searches and reads by id over every collection, in FOLIO's list shapes.
#include <algorithm>
#include <utility>

#include "cql_query.hpp"
#include "json_fields.hpp"
#include "library.hpp"
#include "record_views.hpp"
#include "user_listing.hpp"

namespace ils_emulator {
namespace {

using nlohmann::json;

/// How a collection is stored and shown.
struct CollectionInfo {
  const char* list_key;                       ///< the array key of FOLIO's list response
  RecordStore LibraryState::*store;           ///< stored records, or nullptr when computed
  bool renamed;                               ///< the view renames or drops stored fields
  std::vector<std::string_view> view_fields;  ///< fields only the view has
};

const CollectionInfo& info(Collection c) {
  using S = LibraryState;
  static const std::pair<Collection, CollectionInfo> table[] = {
      {Collection::users, {"users", &S::users, false, {}}},
      {Collection::inventory_items,
       {"items", &S::items, false, {"inTransitDestinationServicePoint"}}},
      {Collection::storage_items, {"items", &S::items, true, {}}},
      {Collection::holdings, {"holdingsRecords", &S::holdings, false, {}}},
      {Collection::instances, {"instances", &S::instances, false, {}}},
      {Collection::search_instances, {"instances", nullptr, true, {}}},
      {Collection::loans, {"loans", &S::loans, false, {"item", "borrower", "isDcb"}}},
      {Collection::requests,
       {"requests", &S::requests, false, {"item", "instance", "requester", "pickupServicePoint"}}},
      {Collection::accounts, {"accounts", &S::accounts, false, {}}},
      {Collection::feefines, {"feefines", &S::feefines, false, {}}},
      {Collection::feefineactions, {"feefineactions", &S::feefineactions, false, {}}},
      {Collection::manualblocks, {"manualblocks", &S::manualblocks, false, {}}},
      {Collection::service_points, {"servicepoints", &S::service_points, false, {}}},
      {Collection::locations, {"locations", &S::locations, false, {}}},
      {Collection::loan_policies, {"loanPolicies", &S::loan_policies, false, {}}},
      {Collection::groups, {"usergroups", nullptr, true, {}}},
  };
  for (const auto& [collection, entry] : table) {
    if (collection == c) return entry;
  }
  return table[0].second;
}

/// The record as the collection's endpoint shows it.
json view_of(LibraryState& s, Collection c, const json& record) {
  switch (c) {
    case Collection::inventory_items:
      return item_view(s, record);
    case Collection::storage_items:
      return storage_item_view(record);
    case Collection::loans:
      return loan_view(s, record);
    case Collection::requests:
      return request_view(s, record);
    default:
      return record;
  }
}

/// Every record of the collection, as its endpoint shows them.
std::vector<json> all_views(LibraryState& s, Collection c) {
  if (c == Collection::search_instances) return search_instance_views(s);
  std::vector<json> views;
  if (c == Collection::groups) {
    for (const auto& g : s.groups)
      views.push_back({{"id", g.id}, {"group", g.group}, {"desc", g.desc}});
    return views;
  }
  for (const auto& record : (s.*info(c).store).all())
    views.push_back(view_of(s, c, record));
  return views;
}

/// True when the query names a field that only the view has, so stored records cannot answer.
bool needs_views(const CqlQuery* query, const CollectionInfo& entry) {
  if (entry.renamed || entry.store == nullptr) return true;
  if (query == nullptr || entry.view_fields.empty()) return false;
  const auto view_only = [&](const std::string& index) {
    const std::string_view top = std::string_view(index).substr(0, index.find('.'));
    return std::find(entry.view_fields.begin(), entry.view_fields.end(), top) !=
           entry.view_fields.end();
  };
  for (const auto& node : query->nodes) {
    if (node.is_term && view_only(node.index)) return true;
  }
  return std::any_of(query->sort.begin(), query->sort.end(),
                     [&](const CqlSortKey& key) { return view_only(key.index); });
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
  const CqlQuery* query = parsed ? &*parsed : nullptr;
  const CollectionInfo& entry = info(collection);
  std::lock_guard lock(mutex_);
  Page page;
  if (collection == Collection::users) {
    auto users = select_users(state_, query, paging);
    if (!users) return tl::unexpected(users.error());
    page = std::move(*users);
  } else if (needs_views(query, entry)) {
    page = select_page(all_views(state_, collection), query, paging);
  } else {
    // Views only add fields the query does not name: filter stored records, then show the page.
    page = select_page(state_.*entry.store, query, paging);
    for (auto& record : page.records)
      record = view_of(state_, collection, record);
  }
  const auto total = static_cast<long long>(page.total);
  return json{
      {entry.list_key, page.records},
      {"totalRecords", total},
      {"resultInfo",
       {{"totalRecords", total}, {"facets", json::array()}, {"diagnostics", json::array()}}}};
}

FolioResult Library::get(Collection collection, std::string_view id) {
  std::lock_guard lock(mutex_);
  const CollectionInfo& entry = info(collection);
  if (collection == Collection::users) {
    json user = user_record(state_, id);
    if (!user.is_null()) return user;
  } else if (entry.store != nullptr) {
    const json* record = (state_.*entry.store).find(id);
    if (record != nullptr) return view_of(state_, collection, *record);
  } else {
    for (auto& record : all_views(state_, collection)) {
      if (text(record, "id") == id) return std::move(record);
    }
  }
  return tl::unexpected(text_failure(404, "Not found"));
}

}  // namespace ils_emulator
