// Library: manual patron blocks (mod-feesfines /manualblocks), created and lifted.
#include <optional>

#include "json_fields.hpp"
#include "library.hpp"

namespace ils_emulator {
namespace {

using nlohmann::json;

std::optional<std::string> shape_error(const json& body) {
  if (!body.is_object()) return "body must be a JSON object";
  for (const char* key : {"desc", "userId"}) {
    if (text(body, key).empty()) return std::string(key);
  }
  for (const char* key : {"borrowing", "renewals", "requests"}) {
    if (body.contains(key) && !member(body, key).is_boolean()) return std::string(key);
  }
  for (const char* key :
       {"id", "type", "code", "staffInformation", "patronMessage", "expirationDate"}) {
    if (body.contains(key) && !member(body, key).is_string()) return std::string(key);
  }
  return std::nullopt;
}

}  // namespace

FolioResult Library::create_manual_block(const json& body) {
  if (auto bad = shape_error(body)) {
    return tl::unexpected(validation_failure({{"must not be null", {{*bad, "null"}}, ""}}));
  }
  std::lock_guard lock(mutex_);
  const TimePoint now = clock_.now();
  json block = body;
  block["id"] = text_or(body, "id", new_uuid());
  if (state_.manualblocks.find(text(block, "id")) != nullptr) {
    return tl::unexpected(validation_failure(
        {{"id value already exists in table manualblocks", {{"id", text(block, "id")}}, ""}}));
  }
  block["type"] = text_or(body, "type", "Manual");
  for (const char* key : {"borrowing", "renewals", "requests"})
    block[key] = flag(body, key);
  block["metadata"] = {{"createdDate", format_folio_time(now)},
                       {"updatedDate", format_folio_time(now)}};
  const json* user = find_user(state_, text(body, "userId"));
  const json stored = state_.manualblocks.put(std::move(block));
  record_mutation(state_, "block", ledger_subject(nullptr, user), now, now,
                  {{"block_id", text(stored, "id")}});
  return stored;
}

FolioResult Library::delete_manual_block(std::string_view id) {
  std::lock_guard lock(mutex_);
  const json* block = state_.manualblocks.find(id);
  if (block == nullptr) return tl::unexpected(text_failure(404, "Manual block not found"));
  const LedgerSubject subject = ledger_subject(nullptr, find_user(state_, text(*block, "userId")));
  const bool erased = state_.manualblocks.erase(id);
  if (erased) {
    record_mutation(state_, "unblock", subject, clock_.now(), clock_.now(),
                    {{"block_id", std::string(id)}});
  }
  return json();
}

}  // namespace ils_emulator
