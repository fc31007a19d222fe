// Firmware profiles: JSON files in firmware-profiles/, layered over the built-in baseline with
// `extends`, turned into sip2::Dialect values, with where every value came from.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/cidr.hpp"
#include "profiles/behaviour.hpp"
#include "sip2/dialect.hpp"

namespace profiles {

/// What is known of a connection when a profile is chosen: the listener's port and the peer's
/// address at accept; the 93's login (CN) and location (CP) once it has logged in.
struct Connection {
  std::uint16_t port = 0;
  std::string address;
  std::optional<std::string> login;
  std::optional<std::string> location;
};

/// A profile file's own `match` section: every rule present must hold (rules are not inherited
/// through `extends`). A match with a login or location rule is decided at login, any other at
/// accept.
struct Match {
  std::vector<std::uint16_t> listener_ports;
  std::vector<config::Cidr> source_cidrs;
  std::vector<std::string> login_ids;
  std::vector<std::string> login_id_prefixes;
  std::vector<std::string> location_codes;

  [[nodiscard]] bool empty() const;
  /// True when a rule needs the 93 (login ids, prefixes, location codes).
  [[nodiscard]] bool at_login() const;
  /// Every present rule holds for `c` (a login rule fails while `c` has no login).
  [[nodiscard]] bool holds(const Connection& c) const;
  /// The rules as text, e.g. "listener_ports 6001, login_id_prefixes 'sc-'".
  [[nodiscard]] std::string describe() const;
};

/// One loaded profile: the merged values and where each came from.
struct Profile {
  std::string id;
  std::string vendor;
  std::string file;                  ///< "firmware-profiles/x.json"; the built-in's is kBuiltIn
  std::vector<std::string> extends;  ///< as written (the baseline is under every profile)
  Match match;
  sip2::Dialect dialect;
  Behaviour behaviour;
  /// The effective profile: baseline ← parents, left to right ← this file (objects merge,
  /// arrays replace). Per-file keys (profile_id, extends, match, evidence, notes) are not in it.
  nlohmann::json effective;
  /// JSON pointer of every leaf (and every array) of `effective` → the file that set it.
  std::map<std::string, std::string> sources;
};

/// Every profile of a directory, layered: built-in baseline ← extended profiles ← the profile.
/// Immutable once loaded; a reload builds a new registry.
class ProfileRegistry {
 public:
  /// The id of the built-in profile every other one extends.
  static constexpr const char* kBaseline = "sip2-baseline";
  /// Where the baseline's values come from, in `Profile::sources` and error messages.
  static constexpr const char* kBuiltIn = "(built-in sip2-baseline)";

  /// Loads every *.json of `dir` but schema.json. Every problem reads
  /// "firmware-profiles/x.json: json.path: reason", naming the file that set the value.
  [[nodiscard]] static std::variant<ProfileRegistry, std::vector<std::string>> load(
      const std::filesystem::path& dir);

  /// The profile with this id, or nullptr.
  [[nodiscard]] const Profile* find(const std::string& id) const;
  [[nodiscard]] std::vector<std::string> ids() const;
  /// The first profile, by id, whose own `match` holds for `c` and is decided at this moment
  /// (`at_login` false: rules without login or location; true: rules with one), or nullptr.
  [[nodiscard]] const Profile* matching(const Connection& c, bool at_login) const;

 private:
  std::map<std::string, Profile, std::less<>> profiles_;
};

/// True when this version acts on the value at `pointer` (a JSON pointer into an effective
/// profile, e.g. "/encoding/wire_charset"); `device` is description. The loader refuses every
/// other key the schema allows, so every value a loaded profile holds acts; the tests check
/// that this list and the loader agree.
[[nodiscard]] bool acted_on(std::string_view pointer);

/// The JSON the built-in baseline profile is made of: SIP 2.00 as written.
[[nodiscard]] const nlohmann::json& baseline_json();

}  // namespace profiles
