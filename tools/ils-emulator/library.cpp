// Library: construction, credentials, patron views and the ledger.
#include "library.hpp"

#include "json_fields.hpp"
#include "patron_blocks.hpp"
#include "seed_loader.hpp"

namespace ils_emulator {

using nlohmann::json;

namespace {

json group_json(const PatronGroup* group) {
  if (group == nullptr) return nullptr;
  return {{"id", group->id}, {"group", group->group}, {"desc", group->desc}};
}

}  // namespace

tl::expected<std::unique_ptr<Library>, std::string> Library::from_seed(const json& seed) {
  auto state = build_library(seed, std::chrono::system_clock::now());
  if (!state) return tl::unexpected(state.error());
  return std::unique_ptr<Library>(new Library(std::move(*state)));
}

FolioResult Library::bl_user(std::string_view id) {
  std::lock_guard lock(mutex_);
  json user = user_record(state_, id);
  if (user.is_null()) return tl::unexpected(text_failure(404, "User not found"));
  const json group = group_json(group_for(state_, user));
  return json{{"user", std::move(user)}, {"patronGroup", group}};
}

FolioResult Library::automated_patron_blocks(std::string_view user_id) {
  std::lock_guard lock(mutex_);
  const json user = user_record(state_, user_id);
  json blocks = user.is_null() ? json::array() : automated_blocks(state_, user, clock_.now());
  return json{{"automatedPatronBlocks", std::move(blocks)}};
}

bool Library::check_password(std::string_view username, std::string_view password) const {
  std::lock_guard lock(mutex_);
  for (const auto* table : {&state_.service_passwords, &state_.patron_passwords}) {
    const auto it = table->find(std::string(username));
    if (it != table->end() && it->second == password) return true;
  }
  return false;
}

FolioResult Library::verify_pin(const json& body) {
  std::lock_guard lock(mutex_);
  const std::string id = text(body, "id");
  std::string pin;
  if (const auto it = state_.pins.find(id); it != state_.pins.end()) {
    pin = it->second;
  } else if (const auto rank = state_.synthetic.rank_of_id(id)) {
    pin = SyntheticPatrons::profile(state_.synthetic.number_at(*rank)).pin;
  }
  if (pin.empty() || !member(body, "pin").is_string() || pin != text(body, "pin")) {
    return tl::unexpected(FolioFailure{422, nullptr, ""});
  }
  return json();
}

FolioResult Library::patron_login(const json& body) {
  std::lock_guard lock(mutex_);
  const std::string username = text(body, "username");
  const auto it = state_.patron_passwords.find(username);
  if (username.empty() || it == state_.patron_passwords.end() ||
      !member(body, "password").is_string() || it->second != text(body, "password")) {
    return tl::unexpected(
        validation_failure({{"Wrong username or password or account is blocked.",
                             {},
                             "wrong.username.or.wrong.password.or.account.blocked"}}));
  }
  const json* user = state_.users.find_by("username", username);
  if (user == nullptr) return tl::unexpected(text_failure(404, "User not found"));
  return json{{"user", *user}, {"patronGroup", group_json(group_for(state_, *user))}};
}

json Library::ledger(long long after_seq) const {
  std::lock_guard lock(mutex_);
  json out = json::array();
  for (const auto& entry : state_.ledger) {
    if (entry.seq <= after_seq) continue;
    json e = {{"seq", entry.seq},
              {"action", entry.action},
              {"item_barcode", entry.subject.item_barcode},
              {"item_id", entry.subject.item_id},
              {"user_barcode", entry.subject.user_barcode},
              {"user_id", entry.subject.user_id},
              {"at", entry.at},
              {"recorded_at", entry.recorded_at}};
    if (entry.detail.is_object()) {
      for (const auto& [key, value] : entry.detail.items())
        e[key] = value;
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace ils_emulator
