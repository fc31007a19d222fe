// A time zone of the system's tz database (/usr/share/zoneinfo), named as in IANA's list.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace zone {

/// One zone: the UTC offset of any instant and the instant of any wall-clock reading. A cheap
/// value; the zone data it points to lives as long as the program. Default: UTC.
class TimeZone {
 public:
  TimeZone() = default;

  /// The zone called `name` ("Europe/Berlin", "UTC"), or nullopt when the database has none.
  [[nodiscard]] static std::optional<TimeZone> locate(std::string_view name);
  /// The system's zone: TZ when it names a known zone, else /etc/localtime, else UTC.
  [[nodiscard]] static TimeZone system();

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  /// The offset from UTC in force at `t` (daylight saving time included).
  [[nodiscard]] std::chrono::minutes offset_at(std::chrono::sys_seconds t) const;
  /// The instant a clock in this zone shows `t`. A reading skipped by a change to daylight saving
  /// time is read with the offset before the change; a repeated reading as the earlier instant.
  [[nodiscard]] std::chrono::sys_seconds to_sys(std::chrono::local_seconds t) const;

  bool operator==(const TimeZone& o) const noexcept { return zone_ == o.zone_; }

 private:
  TimeZone(const date::time_zone* zone, std::string name) : zone_(zone), name_(std::move(name)) {}

  const date::time_zone* zone_ = nullptr;  ///< nullptr: UTC, without the database
  std::string name_ = "UTC";
};

}  // namespace zone
