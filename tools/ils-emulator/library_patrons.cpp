// Library: generated patrons and the control API's patron changes (each bumps updatedDate).
#include <chrono>

#include "iso_time.hpp"
#include "json_fields.hpp"
#include "library.hpp"

namespace ils_emulator {
namespace {

using nlohmann::json;

std::optional<std::string> patron_change_error(const json& body) {
  if (body.contains("pin") && (!member(body, "pin").is_string() || text(body, "pin").empty()))
    return "pin: must be a non-empty string";
  if (body.contains("active") && !member(body, "active").is_boolean())
    return "active: must be true or false";
  if (body.contains("expirationDate")) {
    const json& value = member(body, "expirationDate");
    if (!value.is_null() && !(value.is_string() && parse_iso_time(value.get<std::string>())))
      return "expirationDate: must be an ISO 8601 date or null";
  }
  return std::nullopt;
}

}  // namespace

long long Library::generate_patrons(std::size_t count) {
  const auto started = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  std::vector<std::string> group_ids;
  for (const auto& group : state_.groups)
    group_ids.push_back(group.id);
  state_.synthetic.generate(count, std::move(group_ids), clock_.now());
  const json feefine = state_.feefines.all().empty() ? json() : state_.feefines.all().front();
  for (std::size_t n = 0; n < count; ++n) {
    const SyntheticProfile p = SyntheticPatrons::profile(n);
    if (p.blocked) state_.manualblocks.put(state_.synthetic.block_of(n));
    if (p.fee_cents > 0) state_.accounts.put(state_.synthetic.fee_of(n, feefine));
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               started)
      .count();
}

tl::expected<json*, FolioFailure> Library::control_target(const json& body) {
  json* user = nullptr;
  if (!text(body, "id").empty()) {
    user = find_user(state_, text(body, "id"));
  } else if (!text(body, "barcode").empty()) {
    user = user_by_barcode(state_, text(body, "barcode"));
  } else {
    return tl::unexpected(text_failure(400, "id or barcode: required"));
  }
  if (user == nullptr) return tl::unexpected(text_failure(404, "no such patron"));
  return user;
}

json Library::changed(json& user, TimePoint now) {
  touch_record(user, now);
  return {{"id", text(user, "id")},
          {"barcode", text(user, "barcode")},
          {"updatedDate", text(user, "metadata", "updatedDate")}};
}

FolioResult Library::update_patron(const json& body) {
  if (auto error = patron_change_error(body)) return tl::unexpected(text_failure(400, *error));
  std::lock_guard lock(mutex_);
  auto user = control_target(body);
  if (!user) return tl::unexpected(user.error());
  json& u = **user;
  if (body.contains("pin")) state_.pins[text(u, "id")] = text(body, "pin");
  if (body.contains("active")) u["active"] = flag(body, "active");
  if (body.contains("expirationDate")) {
    if (member(body, "expirationDate").is_null())
      u.erase("expirationDate");
    else
      u["expirationDate"] = text(body, "expirationDate");
  }
  return changed(u, clock_.now());
}

FolioResult Library::block_patron(const json& body) {
  std::lock_guard lock(mutex_);
  auto user = control_target(body);
  if (!user) return tl::unexpected(user.error());
  json& u = **user;
  const TimePoint now = clock_.now();
  json block = {{"id", new_uuid()},
                {"userId", text(u, "id")},
                {"type", "Manual"},
                {"desc", text_or(body, "desc", "Blocked by the emulator control API")},
                {"borrowing", flag(body, "borrowing", true)},
                {"renewals", flag(body, "renewals", true)},
                {"requests", flag(body, "requests", true)}};
  for (const char* key : {"patronMessage", "expirationDate"})
    if (!text(body, key).empty()) block[key] = text(body, key);
  touch_record(block, now);
  const json& stored = state_.manualblocks.put(std::move(block));
  record_mutation(state_, "block", ledger_subject(nullptr, &u), now, now,
                  {{"block_id", text(stored, "id")}});
  json reply = changed(u, now);
  reply["block_id"] = text(stored, "id");
  return reply;
}

FolioResult Library::unblock_patron(const json& body) {
  std::lock_guard lock(mutex_);
  const TimePoint now = clock_.now();
  std::vector<std::string> block_ids;
  json* user = nullptr;
  if (!text(body, "block_id").empty()) {
    const json* block = state_.manualblocks.find(text(body, "block_id"));
    if (block == nullptr) return tl::unexpected(text_failure(404, "no such manual block"));
    user = find_user(state_, text(*block, "userId"));
    block_ids.push_back(text(body, "block_id"));
  } else {
    auto target = control_target(body);
    if (!target) return tl::unexpected(target.error());
    user = *target;
    for (const json* block : state_.manualblocks.with("userId", text(*user, "id")))
      block_ids.push_back(text(*block, "id"));
  }
  for (const auto& id : block_ids) {
    if (!state_.manualblocks.erase(id)) continue;
    record_mutation(state_, "unblock", ledger_subject(nullptr, user), now, now, {{"block_id", id}});
  }
  json reply = user ? changed(*user, now) : json::object();
  reply["removed"] = block_ids.size();
  return reply;
}

FolioResult Library::delete_patron(const json& body) {
  std::lock_guard lock(mutex_);
  auto user = control_target(body);
  if (!user) return tl::unexpected(user.error());
  const std::string id = text(**user, "id");
  const std::string barcode = text(**user, "barcode");
  state_.pins.erase(id);
  state_.patron_passwords.erase(text(**user, "username"));
  state_.users.erase(id);
  return json{{"id", id}, {"barcode", barcode}, {"deleted", true}};
}

}  // namespace ils_emulator
