// Firmware profiles: JSON files in firmware-profiles/ turned into sip2::Dialect values.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "sip2/dialect.hpp"

namespace profiles {

/// One loaded profile: its id, what it extends, and the dialect it yields.
struct Profile {
  std::string id;
  std::string vendor;
  sip2::Dialect dialect;
};

/// Every profile of a directory, layered: built-in baseline ← extended profiles ← the profile.
/// Immutable once loaded; a reload builds a new registry.
class ProfileRegistry {
 public:
  /// The id of the built-in profile every other one extends.
  static constexpr const char* kBaseline = "sip2-baseline";

  /// Loads every *.json of `dir`. Errors read "firmware-profiles/x.json: json.path: reason".
  [[nodiscard]] static std::variant<ProfileRegistry, std::vector<std::string>> load(
      const std::filesystem::path& dir);

  /// The profile with this id, or nullptr.
  [[nodiscard]] const Profile* find(const std::string& id) const;
  [[nodiscard]] std::vector<std::string> ids() const;

 private:
  std::map<std::string, Profile, std::less<>> profiles_;
};

}  // namespace profiles
