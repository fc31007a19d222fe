// Manual and automated patron blocks; SIP 01 creates and SIP 25 lifts the gateway's own.
#include "ils/folio/cql.hpp"
#include "ils/folio/folio_backend.hpp"
#include "ils/folio/okapi_client.hpp"

namespace ils::folio {

Result<std::vector<Block>> FolioBackend::manual_blocks(const CallContext& ctx,
                                                       const std::string& user_id) {
  auto json = search(ctx, "manualblocks.list", "/manualblocks", cql::manual_blocks_of_user(user_id),
                     config_.fee_limit);
  if (!json) return tl::unexpected(json.error());
  std::vector<Block> out;
  const Timestamp now = now_utc();
  for (const auto& record : array(*json, "manualblocks")) {
    Block block = manual_block_from_json(record, config_.block_marker);
    if (!block.expires_at || *block.expires_at > now) out.push_back(std::move(block));
  }
  return out;
}

Result<std::vector<Block>> FolioBackend::blocks(const CallContext& ctx,
                                                const std::string& user_id) {
  auto out = manual_blocks(ctx, user_id);
  if (!out) return out;
  auto automated =
      okapi_->call(ctx, Call::get("automated-blocks.get", "/automated-patron-blocks/" + user_id));
  // A user mod-patron-blocks has never seen is a 404, meaning no automated blocks.
  if (!automated && automated.error().code != errc::not_found)
    return tl::unexpected(automated.error());
  if (automated)
    for (const auto& record : array(*automated, "automatedPatronBlocks"))
      out->push_back(automated_block_from_json(record));
  return out;
}

Result<Block> FolioBackend::block_patron(const CallContext& ctx, const BlockRequest& request) {
  if (!config_.enabled.block_patron) return fail(errc::not_supported, "Blocking not offered");
  if (!cql::is_record_id(request.patron.id)) return fail(errc::invalid_identifier, "bad patron id");
  auto existing = manual_blocks(ctx, request.patron.id);
  if (!existing) return tl::unexpected(existing.error());
  // A repeated SIP 01 finds the gateway's block and adds no second one.
  for (Block& block : *existing)
    if (block.created_by_gateway) return std::move(block);

  const std::string reason =
      request.reason.empty() ? "Blocked at a self-service kiosk" : request.reason;
  Json body{{"userId", request.patron.id},
            {"type", "Manual"},
            {"desc", config_.block_marker + " " + reason},
            {"patronMessage", reason},
            {"staffInformation",
             request.card_retained ? "SIP2 block patron; card retained" : "SIP2 block patron"},
            {"borrowing", true},
            {"renewals", true},
            {"requests", true}};
  auto json = okapi_->call(ctx, Call::post("manualblocks.create", "/manualblocks", body));
  if (!json) return tl::unexpected(json.error());
  Block block = manual_block_from_json(json->is_object() ? *json : body, config_.block_marker);
  block.created_by_gateway = true;
  return block;
}

Result<EnableResult> FolioBackend::enable_patron(const CallContext& ctx, const PatronRef& patron) {
  if (!config_.enabled.enable_patron) return fail(errc::not_supported, "Enabling not offered");
  if (!cql::is_record_id(patron.id)) return fail(errc::invalid_identifier, "bad patron id");
  auto current = blocks(ctx, patron.id);
  if (!current) return tl::unexpected(current.error());
  EnableResult result;
  for (Block& block : *current) {
    // Only blocks carrying the gateway's marker are ours to lift; staff and automated blocks stay.
    if (!block.created_by_gateway || !cql::is_record_id(block.id)) {
      result.remaining.push_back(std::move(block));
      continue;
    }
    auto removed = okapi_->call(ctx, Call::del("manualblocks.delete", "/manualblocks/" + block.id));
    if (!removed && removed.error().code != errc::not_found) return tl::unexpected(removed.error());
    ++result.removed;
  }
  return result;
}

}  // namespace ils::folio
