// Seed loading: the file, top-level keys, credentials, users and inventory.
#include "seed_loader.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "json_fields.hpp"
#include "seed_schema.hpp"

namespace ils_emulator {
namespace {

using nlohmann::json;

constexpr std::string_view kTopLevelKeys[] = {
    "description",  "serviceUsers",     "tokens",       "servicePoints",   "locations",
    "loanPolicies", "circulationRules", "patronGroups", "blockConditions", "users",
    "instances",    "holdings",         "items",        "loans",           "requests",
    "feefines",     "accounts",         "manualblocks"};

SeedStatus check_top_level(const json& seed) {
  if (!seed.is_object()) return seed_error("(top level): must be an object");
  for (const auto& [key, value] : seed.items()) {
    if (std::find(std::begin(kTopLevelKeys), std::end(kTopLevelKeys), key) ==
        std::end(kTopLevelKeys)) {
      return seed_error(key + ": unknown key");
    }
  }
  return {};
}

SeedStatus load_service_users(const json& seed, LibraryState& state) {
  if (auto e = check_array(seed, "serviceUsers", true)) return seed_error(*e);
  for (std::size_t i = 0; i < seed["serviceUsers"].size(); ++i) {
    const json& u = seed["serviceUsers"][i];
    if (auto e = check_fields(u, element_path("serviceUsers", i),
                              {{"username", FieldType::string}, {"password", FieldType::string}})) {
      return seed_error(*e);
    }
    state.service_passwords[text(u, "username")] = text(u, "password");
  }
  const json& tokens = member(seed, "tokens");
  if (tokens.is_null()) return {};
  if (auto e = check_fields(tokens, "tokens",
                            {{"accessTtlSeconds", FieldType::integer, false},
                             {"refreshTtlSeconds", FieldType::integer, false}})) {
    return seed_error(*e);
  }
  state.access_ttl = std::chrono::seconds(integer(tokens, "accessTtlSeconds", 600));
  state.refresh_ttl = std::chrono::seconds(integer(tokens, "refreshTtlSeconds", 604800));
  if (state.access_ttl.count() < 1 || state.refresh_ttl < state.access_ttl) {
    return seed_error("tokens: need 1 <= accessTtlSeconds <= refreshTtlSeconds");
  }
  return {};
}

SeedStatus check_user(const json& user, const std::string& path, LibraryState& state) {
  if (auto e = check_fields(user, path,
                            {{"id", FieldType::string},
                             {"active", FieldType::boolean},
                             {"patronGroup", FieldType::string},
                             {"barcode", FieldType::string, false},
                             {"username", FieldType::string, false},
                             {"personal", FieldType::object, false},
                             {"expirationDate", FieldType::string, false},
                             {"pin", FieldType::string, false},
                             {"password", FieldType::string, false}})) {
    return seed_error(*e);
  }
  const std::string barcode = text(user, "barcode");
  if (!barcode.empty() && user_by_barcode(state, barcode) != nullptr) {
    return seed_error(path + ".barcode: duplicate barcode " + barcode);
  }
  if (state.users.find(text(user, "id")) != nullptr) return seed_error(path + ".id: duplicate id");
  if (group_for(state, user) == nullptr)
    return seed_error(path + ".patronGroup: no such patron group");
  if (user.contains("expirationDate") && !parse_iso_time(text(user, "expirationDate"))) {
    return seed_error(path + ".expirationDate: not an ISO 8601 date");
  }
  if (user.contains("password") && text(user, "username").empty()) {
    return seed_error(path + ".password: needs a username");
  }
  return {};
}

SeedStatus load_users(const json& seed, LibraryState& state, TimePoint now) {
  if (auto e = check_array(seed, "users", true)) return seed_error(*e);
  for (std::size_t i = 0; i < seed["users"].size(); ++i) {
    json user = seed["users"][i];
    if (auto s = check_user(user, element_path("users", i), state); !s) return s;
    if (user.contains("pin")) state.pins[text(user, "id")] = text(user, "pin");
    if (user.contains("password")) {
      state.patron_passwords[text(user, "username")] = text(user, "password");
    }
    user.erase("pin");
    user.erase("password");
    // Every user carries metadata.updatedDate, as mod-users sets it; seeds may give their own.
    if (text(member(user, "metadata"), "updatedDate").empty()) touch_record(user, now);
    state.users.put(std::move(user));
  }
  return {};
}

SeedStatus load_records(const json& seed, std::string_view key, RecordStore& store) {
  if (auto e = check_array(seed, key, false)) return seed_error(*e);
  const json& records = member(seed, key);
  for (std::size_t i = 0; records.is_array() && i < records.size(); ++i) {
    const std::string path = element_path(key, i);
    if (auto e = check_fields(records[i], path, {{"id", FieldType::string}})) return seed_error(*e);
    if (store.find(text(records[i], "id")) != nullptr)
      return seed_error(path + ".id: duplicate id");
    store.put(records[i]);
  }
  return {};
}

SeedStatus load_items(const json& seed, LibraryState& state) {
  if (auto e = check_array(seed, "items", true)) return seed_error(*e);
  for (std::size_t i = 0; i < seed["items"].size(); ++i) {
    json item = seed["items"][i];
    const std::string path = element_path("items", i);
    if (auto e = check_fields(item, path,
                              {{"id", FieldType::string},
                               {"barcode", FieldType::string},
                               {"holdingsRecordId", FieldType::string},
                               {"status", FieldType::object},
                               {"materialType", FieldType::object},
                               {"effectiveLocation", FieldType::object}})) {
      return seed_error(*e);
    }
    if (text(item, "status", "name").empty()) return seed_error(path + ".status.name: missing");
    if (text(item, "materialType", "name").empty()) {
      return seed_error(path + ".materialType.name: missing");
    }
    if (state.locations.find(text(item, "effectiveLocation", "id")) == nullptr) {
      return seed_error(path + ".effectiveLocation.id: no such location");
    }
    if (item_by_barcode(state, text(item, "barcode")) != nullptr) {
      return seed_error(path + ".barcode: duplicate barcode " + text(item, "barcode"));
    }
    if (state.items.find(text(item, "id")) != nullptr)
      return seed_error(path + ".id: duplicate id");
    const json* holdings = state.holdings.find(text(item, "holdingsRecordId"));
    if (holdings == nullptr) return seed_error(path + ".holdingsRecordId: no such holdings record");
    const json* instance = state.instances.find(text(*holdings, "instanceId"));
    if (instance == nullptr)
      return seed_error(path + ": its holdings record names no known instance");
    item["title"] = text(*instance, "title");
    if (!item.contains("callNumber")) item["callNumber"] = text(*holdings, "callNumber");
    state.items.put(std::move(item));
  }
  return {};
}

}  // namespace

tl::expected<json, std::string> read_seed_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return tl::unexpected(path + ": cannot open file");
  std::stringstream text;
  text << in.rdbuf();
  json seed = json::parse(text.str(), nullptr, false);
  if (seed.is_discarded()) return tl::unexpected(path + ": not valid JSON");
  return seed;
}

tl::expected<LibraryState, std::string> build_library(const json& seed, TimePoint now) {
  LibraryState state;
  SeedStatus status = check_top_level(seed);
  if (status) status = load_policies(seed, state);
  if (status) status = load_service_users(seed, state);
  if (status) status = load_users(seed, state, now);
  if (status) status = load_records(seed, "servicePoints", state.service_points);
  if (status) status = load_records(seed, "locations", state.locations);
  if (status) status = load_records(seed, "instances", state.instances);
  if (status) status = load_records(seed, "holdings", state.holdings);
  if (status) status = load_items(seed, state);
  if (status) status = load_circulation(seed, state, now);
  if (!status) return tl::unexpected(status.error());
  return state;
}

}  // namespace ils_emulator
