// How staff see outbox jobs: one line per job, every plain field of one job, CSV rows and JSON.
// Only --reveal (job_details with reveal) prints a job's sealed request and result, which hold
// the patron's and the item's identifiers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "outbox/job.hpp"
#include "outbox/outbox.hpp"
#include "zone/time_zone.hpp"

namespace server {

/// "YYYY-MM-DD HH:MM:SS" on the wall clock of `tz`; "-" for the epoch (never).
[[nodiscard]] std::string local_time(outbox::Time t, const zone::TimeZone& tz);
/// ISO 8601 in UTC with milliseconds ("2026-12-06T18:00:01.123Z"), for JSON.
[[nodiscard]] std::string utc_time(outbox::Time t);

/// Why a reason staff give for dropping a job cannot be taken (empty, longer than 500 bytes,
/// holding a control character), or "" when it can.
[[nodiscard]] std::string reason_problem(std::string_view reason);

/// What staff asked of a job.
enum class StaffAction { retry, drop };
/// Why `journal` refused `action` on job `id` with `ec` (no such job, its state, a store
/// error), in words for staff.
[[nodiscard]] std::string refusal_text(StaffAction action, std::uint64_t id, std::error_code ec,
                                       const outbox::Outbox& journal);

/// The column titles of job_line.
[[nodiscard]] std::string job_list_header();
/// One line (no newline): id, op, state, attempts, created and finished on the wall clock of
/// `tz`, patron and item pseudonyms, reason.
[[nodiscard]] std::string job_line(const outbox::Job& job, const zone::TimeZone& tz);
/// Every plain field and the read-backs, one per line. The sealed request and result are
/// printed only when `reveal`: they hold patron data.
[[nodiscard]] std::string job_details(const outbox::Job& job, const zone::TimeZone& tz,
                                      bool reveal);
/// `j` as compact JSON text; bytes that are not UTF-8 (a library system's text, say) become
/// U+FFFD instead of failing.
[[nodiscard]] std::string json_text(const nlohmann::json& j);
/// The job's plain fields as JSON (never its request or result).
[[nodiscard]] nlohmann::json job_json(const outbox::Job& job);

/// The journal's counts as text, one per line.
[[nodiscard]] std::string stats_text(const outbox::Stats& stats);
/// The journal's counts as JSON: by_state, depth, attempts, oldest_unfinished_age_seconds.
[[nodiscard]] nlohmann::json stats_json(const outbox::Stats& stats);

/// The report's columns: id, created, op, state, attempts, reason, patron, item, institution,
/// last_read_back.
[[nodiscard]] std::vector<std::string> csv_header();
/// One job in the report's columns (times on the wall clock of `tz`).
[[nodiscard]] std::vector<std::string> csv_fields(const outbox::Job& job, const zone::TimeZone& tz);

}  // namespace server
