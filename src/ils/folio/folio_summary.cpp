// One patron's blocks, fee balance and counts for the identity cache, counted by FOLIO
// (`limit=0` answers carry only totalRecords) instead of reading every loan and request.
#include "ils/folio/cql.hpp"
#include "ils/folio/folio_backend.hpp"
#include "ils/folio/okapi_client.hpp"

namespace ils::folio {

Result<std::size_t> FolioBackend::count(const CallContext& ctx, std::string operation,
                                        const std::string& resource, std::string query) {
  auto json = search(ctx, std::move(operation), resource, std::move(query), 0);
  if (!json) return tl::unexpected(json.error());
  const auto total = json->find("totalRecords");
  if (total == json->end() || !total->is_number_unsigned())
    return fail(errc::bad_response, "FOLIO sent no totalRecords");
  return total->get<std::size_t>();
}

Result<PatronSummary> FolioBackend::patron_summary(const CallContext& ctx,
                                                   const PatronRef& patron) {
  if (!cql::is_record_id(patron.id)) return fail(errc::invalid_identifier, "bad patron id");
  PatronSummary summary;
  auto found = blocks(ctx, patron.id);
  if (!found) return tl::unexpected(found.error());
  summary.blocks = std::move(*found);
  auto fees = open_fees(ctx, patron.id);
  if (!fees) return tl::unexpected(fees.error());
  for (const Fee& fee : *fees)
    summary.fee_balance += fee.remaining;

  const std::string now = format_timestamp(now_utc());
  const std::pair<std::string, std::size_t*> counts[] = {
      {cql::open_loans_of_user(patron.id), &summary.loans},
      {cql::overdue_loans_of_user(patron.id, now), &summary.overdue},
  };
  for (const auto& [query, into] : counts) {
    auto n = count(ctx, "circulation.loans-count", "/circulation/loans", query);
    if (!n) return tl::unexpected(n.error());
    *into = *n;
  }
  auto holds = count(ctx, "circulation.requests-count", "/circulation/requests",
                     cql::open_holds_of_user(patron.id));
  if (!holds) return tl::unexpected(holds.error());
  auto available = count(ctx, "circulation.requests-count", "/circulation/requests",
                         cql::available_holds_of_user(patron.id));
  if (!available) return tl::unexpected(available.error());
  summary.holds_available = std::min(*available, *holds);
  summary.holds_unavailable = *holds - summary.holds_available;
  summary.complete = true;
  return summary;
}

}  // namespace ils::folio
