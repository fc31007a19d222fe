// Patron listing for the identity cache: /users pages in id order (keyset paging), with each
// page's manual blocks and open fees read in a few bulk queries.
#include <algorithm>
#include <unordered_map>

#include "ils/folio/cql.hpp"
#include "ils/folio/folio_backend.hpp"
#include "ils/folio/okapi_client.hpp"
#include "ils/folio/patron_filter.hpp"
#include "ils/folio/patron_groups.hpp"

namespace ils::folio {
namespace {

/// Ids per `userId==(...)` query: 50 UUIDs keep the request line near 2.6 KB once
/// percent-encoded, under the 4 KB that Okapi's HTTP server accepts by default.
constexpr std::size_t ids_per_query = 50;

}  // namespace

Result<std::vector<Json>> FolioBackend::search_all(const CallContext& ctx,
                                                   const std::string& operation,
                                                   const std::string& resource,
                                                   const std::string& query, const char* key) {
  std::vector<Json> out;
  for (std::size_t offset = 0;;) {
    std::vector<std::pair<std::string, std::string>> params = {
        {"query", query}, {"limit", std::to_string(config_.fee_limit)}};
    if (offset > 0) params.emplace_back("offset", std::to_string(offset));
    auto json = okapi_->call(ctx, Call::get(operation, resource + cql::query_string(params)));
    if (!json) return tl::unexpected(json.error());
    const Json& records = array(*json, key);
    for (const auto& record : records)
      out.push_back(record);
    offset += records.size();
    const auto total = json->find("totalRecords");
    if (records.empty() || total == json->end() || !total->is_number_unsigned() ||
        offset >= total->get<std::size_t>())
      return out;
  }
}

Result<void> FolioBackend::name_groups(const CallContext& ctx, std::vector<Patron>& patrons) {
  std::vector<std::string> ids;
  for (const Patron& p : patrons)
    ids.push_back(p.patron_group_id);
  if (groups_->needs_refresh(ids)) {
    auto json = search(ctx, "groups.list", "/groups", "cql.allRecords=1", config_.fee_limit);
    if (!json) return tl::unexpected(json.error());
    groups_->store(*json);
  }
  for (Patron& p : patrons)
    p.patron_group = groups_->name(p.patron_group_id);
  return {};
}

Result<std::vector<PatronSummary>> FolioBackend::page_summaries(
    const CallContext& ctx, const std::vector<Patron>& patrons) {
  std::vector<PatronSummary> out(patrons.size());
  std::unordered_map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < patrons.size(); ++i) {
    position.emplace(patrons[i].id, i);
    out[i].complete = false;  // automated blocks and loan counts are per patron in FOLIO
  }
  const auto of_user = [&](const Json& record) -> PatronSummary* {
    const auto it = position.find(text(record, "userId"));
    return it == position.end() ? nullptr : &out[it->second];
  };
  const Timestamp now = now_utc();
  for (std::size_t first = 0; first < patrons.size(); first += ids_per_query) {
    std::vector<std::string> ids;
    for (std::size_t i = first; i < std::min(patrons.size(), first + ids_per_query); ++i)
      ids.push_back(patrons[i].id);
    auto blocks = search_all(ctx, "manualblocks.list", "/manualblocks",
                             cql::manual_blocks_of_users(ids), "manualblocks");
    if (!blocks) return tl::unexpected(blocks.error());
    for (const Json& record : *blocks) {
      Block block = manual_block_from_json(record, config_.block_marker);
      PatronSummary* summary = of_user(record);
      if (summary != nullptr && (!block.expires_at || *block.expires_at > now))
        summary->blocks.push_back(std::move(block));
    }
    auto fees =
        search_all(ctx, "accounts.list", "/accounts", cql::open_fees_of_users(ids), "accounts");
    if (!fees) return tl::unexpected(fees.error());
    for (const Json& record : *fees)
      if (PatronSummary* summary = of_user(record))
        summary->fee_balance += fee_from_json(record).remaining;
  }
  return out;
}

Result<PatronPage> FolioBackend::list_patrons(const CallContext& ctx,
                                              const PatronPageRequest& request) {
  if (!request.cursor.empty() && !cql::is_record_id(request.cursor))
    return fail(errc::invalid_identifier, "bad listing cursor");
  const std::size_t limit = std::max<std::size_t>(request.limit, 1);
  const std::string since =
      request.updated_since ? format_timestamp(*request.updated_since) : std::string();
  auto json = search(ctx, "users.list", "/users", cql::users_page(request.cursor, since),
                     static_cast<int>(limit));
  if (!json) return tl::unexpected(json.error());
  const Json& users = array(*json, "users");

  PatronPage page;
  const auto total = json->find("totalRecords");
  if (request.cursor.empty() && total != json->end() && total->is_number_unsigned())
    page.total = total->get<std::size_t>();
  if (users.size() >= limit) {
    // The cursor is the last id FOLIO sent, patron or not, so no user is read twice.
    page.next_cursor = text(users.back(), "id");
    if (!cql::is_record_id(page.next_cursor) || page.next_cursor <= request.cursor)
      return fail(errc::bad_response, "user listing did not advance in id order");
  }
  std::vector<const Json*> records;
  for (const auto& user : users) {
    if (!cql::is_record_id(text(user, "id"))) continue;
    page.patrons.push_back(patron_from_json(user));
    records.push_back(&user);
  }
  if (auto named = name_groups(ctx, page.patrons); !named) return tl::unexpected(named.error());
  std::size_t kept = 0;
  for (std::size_t i = 0; i < page.patrons.size(); ++i) {
    if (!reachable_patron(*records[i], config_, page.patrons[i].patron_group)) continue;
    if (kept != i) page.patrons[kept] = std::move(page.patrons[i]);
    ++kept;
  }
  page.patrons.resize(kept);

  auto summaries = page_summaries(ctx, page.patrons);
  if (!summaries) return tl::unexpected(summaries.error());
  page.summaries = std::move(*summaries);
  return page;
}

}  // namespace ils::folio
