// The tz database through Howard Hinnant's date/tz library, confined to this file.
#include "zone/time_zone.hpp"

#include <cstdlib>
#include <exception>

#include <date/tz.h>

namespace zone {

namespace {

/// The zone name of a TZ value: ":Europe/Berlin", "Europe/Berlin" or a path into zoneinfo.
std::string_view name_in_tz(std::string_view tz) {
  if (!tz.empty() && tz.front() == ':') tz.remove_prefix(1);
  constexpr std::string_view dir = "/zoneinfo/";
  if (const auto at = tz.rfind(dir); at != std::string_view::npos)
    tz.remove_prefix(at + dir.size());
  return tz;
}

}  // namespace

std::optional<TimeZone> TimeZone::locate(std::string_view name) {
  if (name.empty()) return std::nullopt;
  try {
    const auto* z = date::locate_zone(name);
    return TimeZone(z, std::string(name));
  } catch (const std::exception&) {
    // The library throws for an unknown name and when it cannot read the database.
    return std::nullopt;
  }
}

TimeZone TimeZone::system() {
  if (const char* tz = std::getenv("TZ"); tz != nullptr && *tz != '\0')
    if (auto z = locate(name_in_tz(tz))) return *z;
  try {
    const auto* z = date::current_zone();
    return TimeZone(z, z->name());
  } catch (const std::exception&) {
    return TimeZone();
  }
}

std::chrono::minutes TimeZone::offset_at(std::chrono::sys_seconds t) const {
  if (zone_ == nullptr) return std::chrono::minutes{0};
  return std::chrono::floor<std::chrono::minutes>(zone_->get_info(t).offset);
}

std::chrono::sys_seconds TimeZone::to_sys(std::chrono::local_seconds t) const {
  if (zone_ == nullptr) return std::chrono::sys_seconds{t.time_since_epoch()};
  const date::local_seconds local{t.time_since_epoch()};
  const auto info = zone_->get_info(local);
  // unique and ambiguous: the first interval is the earlier one; nonexistent: the one before.
  return std::chrono::sys_seconds{t.time_since_epoch() - info.first.offset};
}

}  // namespace zone
