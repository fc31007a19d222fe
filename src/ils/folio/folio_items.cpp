// Item lookup (SIP 17) and the item-scoped loan and request queries other operations reuse.
#include "ils/folio/cql.hpp"
#include "ils/folio/folio_backend.hpp"
#include "ils/folio/okapi_client.hpp"

namespace ils::folio {
namespace {

/// Enrichment calls that may fail without failing the item lookup.
bool tolerable(const Failure& failure) {
  return failure.code == errc::not_found || failure.code == errc::rejected ||
         failure.code == errc::bad_response;
}

}  // namespace

Result<Item> FolioBackend::inventory_item(const CallContext& ctx, std::string_view barcode) {
  auto value = cql::normalize_identifier(barcode);
  if (!value) return tl::unexpected(value.error());
  auto json = search(ctx, "inventory.items", "/inventory/items", cql::item_by_barcode(*value), 1);
  if (!json) return tl::unexpected(json.error());
  const Json& items = array(*json, "items");
  if (items.empty()) return fail(errc::not_found, "Item not found");
  Item item = item_from_json(items.front());
  if (!cql::is_record_id(item.id)) return fail(errc::bad_response, "item without a valid id");
  return item;
}

Result<std::vector<Hold>> FolioBackend::open_requests_for_item(const CallContext& ctx,
                                                               const std::string& item_id,
                                                               bool recalls_only) {
  if (!cql::is_record_id(item_id)) return std::vector<Hold>{};
  auto json = search(
      ctx, "circulation.requests", "/circulation/requests",
      recalls_only ? cql::open_recalls_of_item(item_id) : cql::open_requests_of_item(item_id),
      config_.list_limit);
  if (!json) return tl::unexpected(json.error());
  std::vector<Hold> holds;
  for (const auto& request : array(*json, "requests"))
    holds.push_back(hold_from_json(request));
  return holds;
}

Result<Loan> FolioBackend::open_loan_of_item(const CallContext& ctx, const std::string& item_id) {
  auto json =
      search(ctx, "circulation.loans", "/circulation/loans", cql::open_loan_of_item(item_id), 1);
  if (!json) return tl::unexpected(json.error());
  const Json& loans = array(*json, "loans");
  if (loans.empty()) return fail(errc::not_found, "No open loan");
  return loan_from_json(loans.front(), now_utc());
}

Result<Item> FolioBackend::item(const CallContext& ctx, std::string_view barcode) {
  if (!config_.enabled.item_information) return fail(errc::not_supported, "Items not offered");
  auto item = inventory_item(ctx, barcode);
  if (!item) return item;
  // Holdings and instance fill the title and call number when the item view lacks them.
  if (item->title.empty() && cql::is_record_id(item->holdings_record_id)) {
    auto holdings = okapi_->call(
        ctx,
        Call::get("inventory.holdings", "/holdings-storage/holdings/" + item->holdings_record_id));
    if (!holdings && !tolerable(holdings.error())) return tl::unexpected(holdings.error());
    if (holdings) {
      if (item->instance_id.empty()) item->instance_id = text(*holdings, "instanceId");
      if (item->call_number.empty()) item->call_number = text(*holdings, "callNumber");
    }
    if (cql::is_record_id(item->instance_id)) {
      auto instance = okapi_->call(
          ctx, Call::get("inventory.instances", "/inventory/instances/" + item->instance_id));
      if (!instance && !tolerable(instance.error())) return tl::unexpected(instance.error());
      if (instance) item->title = text(*instance, "title");
    }
  }
  auto loan = open_loan_of_item(ctx, item->id);
  if (!loan && loan.error().code != errc::not_found) return tl::unexpected(loan.error());
  if (loan) {
    item->due_date = loan->due_date;
    item->loan_date = loan->loan_date;
    item->renewal_count = loan->renewal_count;
    item->borrower_id = loan->user_id;
    item->borrower_barcode = loan->user_barcode;
  }
  auto requests = open_requests_for_item(ctx, item->id, false);
  if (!requests) return tl::unexpected(requests.error());
  item->hold_queue_length = requests->size();
  for (const Hold& hold : *requests)
    if (hold.available) item->hold_pickup_location = hold.pickup_location_id;
  return item;
}

}  // namespace ils::folio
