// Rendering outbox jobs for the `outbox` commands and the admin endpoint.
#include "server/outbox_views.hpp"

#include <chrono>
#include <cstdio>

#include "server/csv.hpp"

namespace server {

namespace {

using outbox::Job;
using outbox::Time;

constexpr std::size_t max_reason = 500;

/// `text` on one line: control characters become spaces.
std::string one_line(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return out;
}

std::string or_dash(const std::string& s) {
  return s.empty() ? "-" : s;
}

std::string flags_of(const Job& job) {
  std::string out;
  const auto add = [&](bool on, const char* name) {
    if (!on) return;
    if (!out.empty()) out += ", ";
    out += name;
  };
  add(job.acknowledged, "acknowledged (the kiosk was told yes)");
  add(job.replay, "replay (the kiosk's stored transaction)");
  add(job.withdrawn, "withdrawn (the kiosk was told it failed)");
  add(job.unresolved, "unresolved (read back before the next attempt)");
  return out.empty() ? "none" : out;
}

std::string last_read_back(const Job& job, const zone::TimeZone& tz) {
  if (job.read_backs.empty()) return {};
  const auto& r = job.read_backs.back();
  return std::string(outbox::name_of(r.found)) + " " + local_time(r.at, tz);
}

void add_sealed(std::string& out, const char* label, const nlohmann::json& part, bool purged,
                bool reveal, const char* absent) {
  out += label;
  if (purged)
    out += "purged by retention\n";
  else if (part.is_null())
    out += std::string(absent) + "\n";
  else if (!reveal)
    out += "sealed (--reveal prints it: it holds patron data)\n";
  else
    out += json_text(part) + "\n";
}

}  // namespace

std::string local_time(Time t, const zone::TimeZone& tz) {
  if (t == Time{}) return "-";
  const auto secs = std::chrono::floor<std::chrono::seconds>(t);
  const auto wall = secs + tz.offset_at(secs);
  const auto day = std::chrono::floor<std::chrono::days>(wall);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{wall - day};
  char buf[80];  // room for any value GCC's format check can imagine
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02ld:%02ld:%02ld", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long>(hms.seconds().count()));
  return buf;
}

std::string utc_time(Time t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{t - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ld.%03ldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<long>(hms.hours().count()),
                static_cast<long>(hms.minutes().count()), static_cast<long>(hms.seconds().count()),
                static_cast<long>(hms.subseconds().count()));
  return buf;
}

std::string reason_problem(std::string_view reason) {
  if (reason.find_first_not_of(" \t") == std::string_view::npos) return "the reason is empty";
  if (reason.size() > max_reason)
    return "the reason is longer than " + std::to_string(max_reason) + " bytes";
  for (char c : reason)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      return "the reason holds a control character (a line break, say)";
  return {};
}

std::string refusal_text(StaffAction action, std::uint64_t id, std::error_code ec,
                         const outbox::Outbox& journal) {
  const std::string job = "job " + std::to_string(id);
  if (ec == outbox::errc::not_found) return "no " + job + " in the outbox";
  if (ec != outbox::errc::wrong_state) return "cannot change the outbox journal: " + ec.message();
  std::string state = "in a state that does not allow it";
  if (auto found = journal.find(id); found && *found) {
    state = std::string(outbox::name_of((*found)->state));
    if ((*found)->purged) state += ", its request purged by retention";
  }
  return job + " is " + state +
         (action == StaffAction::retry
              ? ": only a job in the exceptions queue, refused or queued, with its request not yet "
                "purged, can be retried"
              : ": only a queued job or one in the exceptions queue can be dropped (one in flight "
                "after its attempt)");
}

std::string job_list_header() {
  char buf[200];
  std::snprintf(buf, sizeof buf, "%-7s %-13s %-9s %5s  %-19s  %-19s  %-18s  %-18s  %s", "ID", "OP",
                "STATE", "TRIES", "CREATED", "FINISHED", "PATRON", "ITEM", "REASON");
  return buf;
}

std::string job_line(const Job& job, const zone::TimeZone& tz) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "%-7llu %-13s %-9s %5u  %-19s  %-19s  %-18s  %-18s  ",
                static_cast<unsigned long long>(job.id),
                std::string(outbox::name_of(job.op)).c_str(),
                std::string(outbox::name_of(job.state)).c_str(), job.attempts,
                local_time(job.created, tz).c_str(), local_time(job.finished, tz).c_str(),
                or_dash(job.patron).c_str(), or_dash(job.item).c_str());
  return buf + one_line(job.reason);
}

std::string job_details(const Job& job, const zone::TimeZone& tz, bool reveal) {
  std::string out = "job " + std::to_string(job.id) + " (times in " + tz.name() + ")\n";
  const auto line = [&](const char* label, const std::string& value) {
    char head[20];
    std::snprintf(head, sizeof head, "%-15s", label);
    out += head + value + "\n";
  };
  line("op", std::string(outbox::name_of(job.op)));
  line("state", std::string(outbox::name_of(job.state)));
  line("reason", or_dash(one_line(job.reason)));
  line("institution", or_dash(job.institution));
  line("patron", or_dash(job.patron));
  line("item", or_dash(job.item));
  line("attempts", std::to_string(job.attempts) +
                       (job.retried == Time{} ? std::string()
                                              : " (" + std::to_string(job.attempts_at_retry) +
                                                    " at the last retry)"));
  line("created", local_time(job.created, tz));
  line("next attempt", job.state == outbox::State::queued ? local_time(job.next_attempt, tz) : "-");
  line("finished", local_time(job.finished, tz));
  line("retried", local_time(job.retried, tz));
  line("flags", flags_of(job));
  line("reference", job.reference());
  line("key", outbox::hex_of(job.key));
  if (job.read_backs.empty()) line("read-backs", "none");
  for (std::size_t i = 0; i < job.read_backs.size(); ++i)
    line(i == 0 ? "read-backs" : "", local_time(job.read_backs[i].at, tz) + "  " +
                                         std::string(outbox::name_of(job.read_backs[i].found)));
  if (job.baseline.present) {
    std::string b = "renewals " + std::to_string(job.baseline.renewal_count);
    if (job.baseline.due_date)
      b += ", due " +
           local_time(std::chrono::sys_seconds(std::chrono::seconds(*job.baseline.due_date)), tz);
    if (!job.baseline.loans.empty())
      b += ", " + std::to_string(job.baseline.loans.size()) + " loans";
    line("before", b);
  }
  add_sealed(out, "request        ", job.args, job.purged, reveal, "none");
  add_sealed(out, "result         ", job.result, job.purged, reveal, "none yet");
  return out;
}

std::string json_text(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json job_json(const Job& job) {
  const auto time_or_null = [](Time t) -> nlohmann::json {
    return t == Time{} ? nlohmann::json(nullptr) : nlohmann::json(utc_time(t));
  };
  nlohmann::json read_backs = nlohmann::json::array();
  for (const auto& r : job.read_backs)
    read_backs.push_back({{"at", utc_time(r.at)}, {"found", outbox::name_of(r.found)}});
  return {{"id", job.id},
          {"op", outbox::name_of(job.op)},
          {"state", outbox::name_of(job.state)},
          {"reason", job.reason},
          {"institution", job.institution},
          {"patron", job.patron},
          {"item", job.item},
          {"attempts", job.attempts},
          {"created", utc_time(job.created)},
          {"next_attempt",
           job.state == outbox::State::queued ? time_or_null(job.next_attempt) : nullptr},
          {"finished", time_or_null(job.finished)},
          {"retried", time_or_null(job.retried)},
          {"acknowledged", job.acknowledged},
          {"replay", job.replay},
          {"withdrawn", job.withdrawn},
          {"unresolved", job.unresolved},
          {"purged", job.purged},
          {"reference", job.reference()},
          {"read_backs", std::move(read_backs)}};
}

std::string stats_text(const outbox::Stats& stats) {
  std::string out;
  for (std::size_t i = 0; i < outbox::state_count; ++i) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%-10s %llu\n",
                  std::string(outbox::name_of(static_cast<outbox::State>(i))).c_str(),
                  static_cast<unsigned long long>(stats.by_state[i]));
    out += buf;
  }
  out += "attempts   " + std::to_string(stats.attempts) + "\n";
  if (stats.oldest_unfinished_age)
    out += "oldest unfinished job: " +
           std::to_string(
               std::chrono::duration_cast<std::chrono::seconds>(*stats.oldest_unfinished_age)
                   .count()) +
           " s old\n";
  return out;
}

nlohmann::json stats_json(const outbox::Stats& stats) {
  nlohmann::json by_state = nlohmann::json::object();
  for (std::size_t i = 0; i < outbox::state_count; ++i)
    by_state[std::string(outbox::name_of(static_cast<outbox::State>(i)))] = stats.by_state[i];
  nlohmann::json age = nullptr;
  if (stats.oldest_unfinished_age)
    age = std::chrono::duration<double>(*stats.oldest_unfinished_age).count();
  return {{"by_state", std::move(by_state)},
          {"depth", stats.depth()},
          {"attempts", stats.attempts},
          {"oldest_unfinished_age_seconds", age}};
}

std::vector<std::string> csv_header() {
  return {"id",     "created", "op",   "state",       "attempts",
          "reason", "patron",  "item", "institution", "last_read_back"};
}

std::vector<std::string> csv_fields(const Job& job, const zone::TimeZone& tz) {
  return {std::to_string(job.id),
          local_time(job.created, tz),
          std::string(outbox::name_of(job.op)),
          std::string(outbox::name_of(job.state)),
          std::to_string(job.attempts),
          csv_text(job.reason),
          job.patron,
          job.item,
          csv_text(job.institution),
          last_read_back(job, tz)};
}

}  // namespace server
