// The outbox commands: arguments, then one journal call each. List, show and report print
// pseudonyms only; `show --reveal` opens the sealed request and result (patron data).
#include "server/outbox_commands.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <iostream>
#include <optional>
#include <string_view>
#include <variant>

#include "crypto/key_ring.hpp"
#include "outbox/outbox.hpp"
#include "server/csv.hpp"
#include "server/outbox_service.hpp"
#include "server/outbox_views.hpp"
#include "server/store_service.hpp"

namespace server {

namespace {

constexpr const char* kUsage =
    "usage: sip2gw outbox list [--state STATE] [--op OP] [--after ID] [--limit N] --config FILE\n"
    "       sip2gw outbox show ID [--reveal] --config FILE\n"
    "       sip2gw outbox retry ID --config FILE\n"
    "       sip2gw outbox drop ID --reason TEXT --config FILE\n"
    "       sip2gw outbox report --csv [--state STATE|all] --config FILE\n"
    "       sip2gw outbox stats --config FILE\n"
    "STATE: queued, in_flight, delivered, refused, exception, dropped\n"
    "OP: checkout, checkin, renew, renew_all, fee_paid, hold_place, hold_cancel, block_patron,\n"
    "    enable_patron, item_status\n";

constexpr std::size_t report_page = 1000;

/// A command line taken apart.
struct Words {
  std::string what;
  std::optional<std::uint64_t> id;
  outbox::Filter filter;
  bool all_states = false;
  std::optional<std::string> reason;
  bool csv = false;
  bool reveal = false;
};

std::optional<std::uint64_t> number(const std::string& s) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

/// Reads one option and its value into `w`; a problem for the usage message, or "".
std::string take_option(const std::string& opt, const std::string& value, Words& w) {
  if (opt == "--state" && value == "all" && w.what == "report") {
    w.all_states = true;
  } else if (opt == "--state") {
    w.filter.state = outbox::state_named(value);
    if (!w.filter.state) return "unknown state '" + value + "'";
  } else if (opt == "--op") {
    w.filter.op = outbox::op_named(value);
    if (!w.filter.op) return "unknown op '" + value + "'";
  } else if (opt == "--after") {
    auto n = number(value);
    if (!n) return "--after needs a job id";
    w.filter.after_id = *n;
  } else if (opt == "--limit") {
    auto n = number(value);
    if (!n || *n == 0 || *n > 10000) return "--limit needs a number from 1 to 10000";
    w.filter.limit = static_cast<std::size_t>(*n);
  } else if (opt == "--reason") {
    if (auto problem = reason_problem(value); !problem.empty()) return "--reason: " + problem;
    w.reason = value;
  } else {
    return "unknown option '" + opt + "'";
  }
  return {};
}

/// Which options each command takes: the rest is a usage error.
bool allowed(const Words& w, const std::string& opt) {
  if (w.what == "list")
    return opt == "--state" || opt == "--op" || opt == "--after" || opt == "--limit";
  if (w.what == "report") return opt == "--state" || opt == "--csv";
  if (w.what == "show") return opt == "--reveal";
  if (w.what == "drop") return opt == "--reason";
  return false;
}

/// The words, or a problem for the usage message.
std::variant<Words, std::string> parse(const std::vector<std::string>& words) {
  Words w;
  if (words.empty()) return std::string("which command?");
  w.what = words[0];
  constexpr std::array<std::string_view, 6> commands = {"list", "show",   "retry",
                                                        "drop", "report", "stats"};
  if (std::find(commands.begin(), commands.end(), w.what) == commands.end())
    return "unknown command '" + w.what + "'";
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word.rfind("--", 0) != 0) {
      const bool wants_id = w.what == "show" || w.what == "retry" || w.what == "drop";
      if (!wants_id || w.id) return "unexpected '" + word + "'";
      if (!(w.id = number(word))) return "not a job id: '" + word + "'";
      continue;
    }
    if (!allowed(w, word)) return "sip2gw outbox " + w.what + " takes no " + word;
    if (word == "--csv" || word == "--reveal") {
      (word == "--csv" ? w.csv : w.reveal) = true;
      continue;
    }
    if (i + 1 >= words.size()) return word + " needs a value";
    if (auto problem = take_option(word, words[++i], w); !problem.empty()) return problem;
  }
  if ((w.what == "show" || w.what == "retry" || w.what == "drop") && !w.id)
    return "sip2gw outbox " + w.what + " needs a job id";
  if (w.what == "drop" && !w.reason) return "sip2gw outbox drop needs --reason TEXT";
  if (w.what == "report" && !w.csv) return "sip2gw outbox report needs --csv (its only format)";
  if (w.what == "report" && !w.filter.state && !w.all_states)
    w.filter.state = outbox::State::exception;
  return w;
}

int list(const outbox::Outbox& journal, const Words& w, const zone::TimeZone& tz, std::ostream& out,
         std::ostream& err) {
  auto jobs = journal.list(w.filter);
  if (!jobs) {
    err << "cannot read the outbox journal: " << jobs.error().message() << "\n";
    return 1;
  }
  out << job_list_header() << "\n";
  for (const auto& job : *jobs)
    out << job_line(job, tz) << "\n";
  if (jobs->size() == w.filter.limit)
    out << "(more may follow: --after " << jobs->back().id << ")\n";
  return 0;
}

int report(const outbox::Outbox& journal, Words w, const zone::TimeZone& tz, std::ostream& out,
           std::ostream& err) {
  out << csv_row(csv_header());
  w.filter.limit = report_page;
  for (;;) {
    auto jobs = journal.list(w.filter);
    if (!jobs) {
      err << "cannot read the outbox journal: " << jobs.error().message() << "\n";
      return 1;
    }
    for (const auto& job : *jobs)
      out << csv_row(csv_fields(job, tz));
    if (jobs->size() < report_page) return 0;
    w.filter.after_id = jobs->back().id;
  }
}

int show(const outbox::Outbox& journal, const Words& w, const zone::TimeZone& tz, std::ostream& out,
         std::ostream& err) {
  auto job = journal.find(*w.id);
  if (!job) {
    err << "cannot read the outbox journal: " << job.error().message() << "\n";
    return 1;
  }
  if (!*job) {
    err << "no job " << *w.id << " in the outbox\n";
    return 1;
  }
  if (w.reveal) err << "printing job " << *w.id << "'s request and result: patron data\n";
  out << job_details(**job, tz, w.reveal);
  return 0;
}

int change(outbox::Outbox& journal, const Words& w, std::ostream& out, std::ostream& err) {
  const bool retry = w.what == "retry";
  auto job = retry ? journal.retry(*w.id) : journal.drop(*w.id, *w.reason);
  if (!job) {
    err << refusal_text(retry ? StaffAction::retry : StaffAction::drop, *w.id, job.error(), journal)
        << "\n";
    return 1;
  }
  if (retry)
    out << "job " << job->id
        << " is queued again: a running gateway attempts it within a "
           "minute, a stopped one when it starts\n";
  else
    out << "job " << job->id << " dropped: it will not be sent to the library system\n";
  return 0;
}

}  // namespace

int run_outbox_command(const std::vector<std::string>& words, const config::Config& cfg,
                       std::ostream& out, std::ostream& err) {
  auto parsed = parse(words);
  if (auto* problem = std::get_if<std::string>(&parsed)) {
    err << "sip2gw outbox: " << *problem << "\n" << kUsage;
    return 2;
  }
  auto& w = std::get<Words>(parsed);
  // Never created here: a new key file could open no job of an existing journal.
  auto keys = crypto::load_key_file(cfg.security.key_file);
  if (!keys) {
    err << "security.key_file: " << keys.error() << "\n";
    return 2;
  }
  auto store = open_store(cfg);
  if (!store) {
    err << store.error() << "\n";
    return 1;
  }
  outbox::Outbox journal(**store, std::make_shared<const crypto::KeyRing>(std::move(*keys)),
                         outbox_options(cfg.outbox, cfg.limits.min_mutation_budget));
  const zone::TimeZone& tz = cfg.timezone;
  if (w.what == "list") return list(journal, w, tz, out, err);
  if (w.what == "report") return report(journal, w, tz, out, err);
  if (w.what == "show") return show(journal, w, tz, out, err);
  if (w.what == "stats") {
    auto s = journal.stats();
    if (!s) {
      err << "cannot read the outbox journal: " << s.error().message() << "\n";
      return 1;
    }
    out << stats_text(*s);
    return 0;
  }
  return change(journal, w, out, err);
}

}  // namespace server
