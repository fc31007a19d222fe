// The outbox for staff through the real gateway and emulator: `sip2gw outbox list|show|report`
// on a running gateway's data dir, identifiers shown only with --reveal, the report as RFC 4180
// CSV, retry and drop on a stopped gateway's data dir, and the admin endpoint's exceptions queue
// behind the bearer token.
#define BOOST_TEST_MODULE integration_outbox_commands
#include <boost/test/unit_test.hpp>

#include <httplib.h>
#include <signal.h>

#include <functional>
#include <regex>
#include <thread>

#include "checks.hpp"
#include "gateway_stack.hpp"
#include "requests.hpp"

namespace integration {
namespace {

using namespace std::chrono_literals;

const std::string kToken = "outbox-staff-token-0123456789";

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

/// No identifier of the demo patron or the items lent in these tests. (Her PIN, 1234, is part of
/// her barcode; a job never holds a PIN.)
void no_identifiers(const std::string& text) {
  for (auto id : {req::kAda, req::kAvailableBook, req::kUnknownItem, req::kHeldItem})
    BOOST_TEST(!contains(text, id), "'" << id << "' shown in: " << text);
}

int count_of(const std::string& text, std::string_view part) {
  int n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1))
    ++n;
  return n;
}

/// An RFC 4180 reader (records end in CRLF; quoted fields may hold commas, quotes, line breaks).
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row(1);
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        row.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        row.back() += c;
      }
    } else if (c == '"' && row.back().empty()) {
      quoted = true;
    } else if (c == ',') {
      row.emplace_back();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.push_back(std::move(row));
      row.assign(1, "");
      ++i;
    } else if (c == '"' || c == '\r' || c == '\n') {
      BOOST_FAIL("not RFC 4180 at byte " << i << ": " << text);
    } else {
      row.back() += c;
    }
  }
  BOOST_TEST((row.size() == 1 && row[0].empty() && !quoted), "unterminated last record");
  return rows;
}

/// The demo stack in outbox mode offline (kiosks answered at once, jobs forwarded), a fast
/// forwarder, the admin token required. The demo patron checked out three items offline: one
/// the library lends (delivered), one it does not know and one out to someone else (both to
/// the exceptions queue: the kiosk was told yes).
struct Lent : GatewayStack {
  TempDir secrets;
  std::uint64_t delivered_id = 0;
  std::uint64_t unknown_id = 0;  ///< the job of kUnknownItem
  std::uint64_t held_id = 0;     ///< the job of kHeldItem
  std::uint64_t unknown_attempts = 0;
  std::uint64_t held_attempts = 0;

  Lent() : GatewayStack({nullptr, false}) {
    write_file(secrets.path() / "admin.token", kToken + "\n");
    std::filesystem::permissions(secrets.path() / "admin.token",
                                 std::filesystem::perms::owner_read);
    config()["outbox"]["mode"] = "offline";
    config()["outbox"]["forwarder"] = {{"backoff_base_ms", 100}, {"backoff_cap_seconds", 1}};
    config()["admin"]["token_file"] = (secrets.path() / "admin.token").string();
    write_config();
    start_gateway();
    BOOST_REQUIRE_MESSAGE(wait_for_full_pass(), "no full pass: " << gateway_log());
    auto kiosk = login();
    // Checked online once: the cache holds her PIN's verifier for the offline answers.
    (void)answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin), 15s), "24");
    for (auto item : {req::kAvailableBook, req::kUnknownItem, req::kHeldItem}) {
      auto a = answer(kiosk.exchange(req::checkout(req::kAda, item, req::kAdaPin), 15s), "12");
      BOOST_REQUIRE_MESSAGE(fixed(a, "ok") == "1", "answered offline with yes: " << screen(a));
    }
    wait_for_stats(
        [](const nlohmann::json& s) {
          return s["depth"] == 0 && s["by_state"]["exception"] == 2 &&
                 s["by_state"]["delivered"] == 1;
        },
        "three jobs forwarded: one delivered, two exceptions");
    const auto jobs = report_rows("all");
    BOOST_REQUIRE_EQUAL(jobs.size(), 3u);
    delivered_id = jobs[0]["id"].get<std::uint64_t>();
    unknown_id = jobs[1]["id"].get<std::uint64_t>();
    held_id = jobs[2]["id"].get<std::uint64_t>();
    unknown_attempts = std::stoull(jobs[1]["attempts"].get<std::string>());
    held_attempts = std::stoull(jobs[2]["attempts"].get<std::string>());
  }

  std::vector<std::string> with_config(std::vector<std::string> words) {
    words.insert(words.end(),
                 {"--config", config_path().string(), "--data-dir", (dir() / "data").string()});
    return words;
  }
  CommandRun outbox(std::vector<std::string> words) {
    words.insert(words.begin(), "outbox");
    return run_sip2gw(dir(), with_config(std::move(words)));
  }

  /// GET on the admin endpoint with the token, as JSON (null when not 200).
  nlohmann::json admin_json(const std::string& path) {
    auto [status, body] = admin_get(path, kToken);
    if (status != 200) return nullptr;
    return nlohmann::json::parse(body, nullptr, false);
  }
  /// POST on the admin endpoint: (status, body).
  std::pair<int, std::string> admin_post(const std::string& path, const std::string& body,
                                         bool with_token = true) {
    httplib::Client c("127.0.0.1", admin_port());
    c.set_connection_timeout(5);
    c.set_read_timeout(10);
    httplib::Headers headers;
    if (with_token) headers.emplace("Authorization", "Bearer " + kToken);
    auto res = c.Post(path.c_str(), headers, body, "application/json");
    if (!res) return {0, {}};
    return {res->status, res->body};
  }
  /// Polls /outbox/stats until `done` holds (20 s at most, a test failure naming `what`).
  nlohmann::json wait_for_stats(const std::function<bool(const nlohmann::json&)>& done,
                                const std::string& what) {
    const auto deadline = Clock::now() + 20s;
    nlohmann::json stats;
    for (;;) {
      stats = admin_json("/outbox/stats");
      if (stats.is_object() && done(stats)) return stats;
      if (Clock::now() >= deadline) break;
      std::this_thread::sleep_for(100ms);  // polling the gateway to a deadline
    }
    BOOST_FAIL("not within 20 s: " << what << "; stats " << stats.dump());
    return stats;
  }
  /// The rows of `outbox report --csv --state STATE` ("all": every job) as JSON objects keyed
  /// by column (id as a number, the rest as text).
  std::vector<nlohmann::json> report_rows(const std::string& state) {
    auto r = outbox({"report", "--csv", "--state", state});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto rows = parse_csv(r.out);
    BOOST_REQUIRE(!rows.empty());
    std::vector<nlohmann::json> jobs;
    for (std::size_t i = 1; i < rows.size(); ++i) {
      nlohmann::json j;
      for (std::size_t k = 0; k < rows[0].size() && k < rows[i].size(); ++k)
        j[rows[0][k]] = rows[i][k];
      j["id"] = std::stoull(rows[i][0]);
      jobs.push_back(std::move(j));
    }
    return jobs;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(list_show_and_report_show_pseudonyms_and_reveal_only_when_asked, Lent) {
  auto list = outbox({"list"});
  BOOST_TEST(list.exit_code == 0, list.err);
  BOOST_TEST(count_of(list.out, "\n") == 4, list.out);  // the header and three jobs
  BOOST_TEST(count_of(list.out, " exception ") == 2, list.out);
  BOOST_TEST(count_of(list.out, " delivered ") == 1, list.out);
  BOOST_TEST(std::regex_search(list.out, std::regex("\\bp:[0-9a-f]{16}\\b")), list.out);
  no_identifiers(list.out);

  auto page = outbox({"list", "--state", "exception", "--limit", "1"});
  BOOST_TEST(page.exit_code == 0, page.err);
  BOOST_TEST(count_of(page.out, " exception ") == 1, page.out);
  BOOST_TEST(contains(page.out, "more may follow: --after " + std::to_string(unknown_id)),
             page.out);

  auto show = outbox({"show", std::to_string(unknown_id)});
  BOOST_TEST(show.exit_code == 0, show.err);
  BOOST_TEST(contains(show.out, "state          exception"), show.out);
  BOOST_TEST(contains(show.out, "refused after the kiosk was told yes"), show.out);
  BOOST_TEST(contains(show.out, "request        sealed"), show.out);
  no_identifiers(show.out + show.err);

  auto revealed = outbox({"show", std::to_string(unknown_id), "--reveal"});
  BOOST_TEST(revealed.exit_code == 0, revealed.err);
  BOOST_TEST(contains(revealed.out, req::kUnknownItem), revealed.out);
  BOOST_TEST(contains(revealed.out, req::kAda), revealed.out);
  BOOST_TEST(contains(revealed.err, "patron data"), revealed.err);

  auto report = outbox({"report", "--csv"});
  BOOST_TEST(report.exit_code == 0, report.err);
  no_identifiers(report.out);
  BOOST_TEST(report.out.substr(report.out.size() - 2) == "\r\n");
  const auto rows = parse_csv(report.out);
  BOOST_TEST_REQUIRE(rows.size() == 3u, report.out);  // the header and the two exceptions
  BOOST_TEST(
      (rows[0] == std::vector<std::string>{"id", "created", "op", "state", "attempts", "reason",
                                           "patron", "item", "institution", "last_read_back"}));
  for (std::size_t i = 1; i < rows.size(); ++i) {
    BOOST_TEST_REQUIRE(rows[i].size() == rows[0].size());
    BOOST_TEST(rows[i][2] == "checkout");
    BOOST_TEST(rows[i][3] == "exception");
    BOOST_TEST(!rows[i][5].empty());
    BOOST_TEST(std::regex_match(rows[i][6], std::regex("p:[0-9a-f]{16}")), rows[i][6]);
    BOOST_TEST(rows[i][8] == "MAIN");
  }
  BOOST_TEST(rows[1][0] == std::to_string(unknown_id));
  BOOST_TEST(rows[2][0] == std::to_string(held_id));

  auto stats = outbox({"stats"});
  BOOST_TEST(stats.exit_code == 0, stats.err);
  BOOST_TEST(contains(stats.out, "exception  2"), stats.out);
  BOOST_TEST(contains(stats.out, "delivered  1"), stats.out);
}

BOOST_FIXTURE_TEST_CASE(usage_errors_exit_2_and_refusals_exit_1, Lent) {
  for (const auto& words :
       std::vector<std::vector<std::string>>{{"frobnicate"},
                                             {"list", "--state", "lost"},
                                             {"list", "--op", "borrow"},
                                             {"list", "--limit", "0"},
                                             {"list", "--reveal"},
                                             {"show"},
                                             {"show", "x"},
                                             {"drop", std::to_string(unknown_id)},
                                             {"drop", std::to_string(unknown_id), "--reason", ""},
                                             {"report"},
                                             {"report", "--csv", "--state", "lost"}}) {
    auto r = outbox(words);
    BOOST_TEST(r.exit_code == 2, words[0] << " " << r.err);
    BOOST_TEST(contains(r.err, "usage: sip2gw outbox"), r.err);
  }
  auto r = outbox({"show", "99999"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "no job 99999"), r.err);
  r = outbox({"retry", std::to_string(delivered_id)});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "is delivered"), r.err);
  r = outbox({"drop", std::to_string(delivered_id), "--reason", "by mistake"});
  BOOST_TEST(r.exit_code == 1);
  BOOST_TEST(contains(r.err, "is delivered"), r.err);
}

BOOST_FIXTURE_TEST_CASE(the_admin_endpoint_serves_the_exceptions_queue_behind_the_token, Lent) {
  BOOST_TEST(admin_get("/outbox/exceptions").first == 401);
  BOOST_TEST(admin_get("/outbox/stats").first == 401);
  BOOST_TEST(admin_post("/outbox/jobs/" + std::to_string(held_id) + "/retry", "{}", false).first ==
             401);
  BOOST_TEST(
      admin_post("/outbox/jobs/" + std::to_string(held_id) + "/drop", R"({"reason":"x"})", false)
          .first == 401);

  auto [status, body] = admin_get("/outbox/exceptions", kToken);
  BOOST_TEST_REQUIRE(status == 200, body);
  no_identifiers(body);
  auto queue = nlohmann::json::parse(body);
  BOOST_TEST_REQUIRE(queue["jobs"].size() == 2u, body);
  BOOST_TEST(queue["jobs"][0]["id"] == unknown_id);
  BOOST_TEST(queue["jobs"][1]["id"] == held_id);
  for (const auto& job : queue["jobs"]) {
    BOOST_TEST(job["op"] == "checkout");
    BOOST_TEST(job["state"] == "exception");
    BOOST_TEST(job["acknowledged"] == true);
    BOOST_TEST(!job.contains("args"));
  }

  // Staff retry the job of the item out to someone else: the library refuses it again.
  const auto attempts = admin_json("/outbox/stats")["attempts"].get<std::uint64_t>();
  auto retried = admin_post("/outbox/jobs/" + std::to_string(held_id) + "/retry", "{}");
  BOOST_TEST_REQUIRE(retried.first == 200, retried.second);
  BOOST_TEST(nlohmann::json::parse(retried.second)["job"]["state"] == "queued");
  wait_for_stats(
      [&](const nlohmann::json& s) {
        return s["depth"] == 0 && s["attempts"].get<std::uint64_t>() > attempts;
      },
      "the retried job attempted again");
  queue = admin_json("/outbox/exceptions?after=" + std::to_string(unknown_id));
  BOOST_TEST_REQUIRE(queue["jobs"].size() == 1u, queue.dump());
  BOOST_TEST(queue["jobs"][0]["attempts"].get<std::uint64_t>() > held_attempts);

  auto dropped = admin_post("/outbox/jobs/" + std::to_string(held_id) + "/drop",
                            R"({"reason":"on the shelf after all, see desk note"})");
  BOOST_TEST_REQUIRE(dropped.first == 200, dropped.second);
  const auto job = nlohmann::json::parse(dropped.second)["job"];
  BOOST_TEST(job["state"] == "dropped");
  BOOST_TEST(job["reason"] == "dropped by staff: on the shelf after all, see desk note");
  BOOST_TEST(
      admin_post("/outbox/jobs/" + std::to_string(held_id) + "/drop", R"({"reason":"x"})").first ==
      409);
  BOOST_TEST(admin_post("/outbox/jobs/99999/retry", "{}").first == 404);
  BOOST_TEST(
      admin_post("/outbox/jobs/" + std::to_string(unknown_id) + "/drop", R"({"why":"x"})").first ==
      400);
  queue = admin_json("/outbox/exceptions");
  BOOST_TEST(queue["jobs"].size() == 1u, queue.dump());
}

BOOST_FIXTURE_TEST_CASE(the_gateway_logs_each_outcome_with_pseudonyms_only, Lent) {
  const std::string log = gateway_log();
  BOOST_TEST(count_of(log, "outbox: job needs staff") == 2, log);
  BOOST_TEST(count_of(log, "outbox: job delivered") == 1, log);  // answered offline: logged
  BOOST_TEST(contains(log, "job=" + std::to_string(held_id)), log);
  BOOST_TEST(std::regex_search(log, std::regex("outbox: job needs staff.*op=checkout.*"
                                               "patron=p:[0-9a-f]{16}")),
             log);
  no_identifiers(log);
}

BOOST_FIXTURE_TEST_CASE(a_retry_from_the_command_line_reaches_the_running_gateway, Lent) {
  // Another process changes the journal: the gateway sees the queued job within seconds (its
  // housekeeping looks every 5 s), not at its forwarder's next timer.
  const auto attempts = admin_json("/outbox/stats")["attempts"].get<std::uint64_t>();
  auto r = outbox({"retry", std::to_string(held_id)});
  BOOST_TEST_REQUIRE(r.exit_code == 0, r.err);
  wait_for_stats(
      [&](const nlohmann::json& s) {
        return s["depth"] == 0 && s["attempts"].get<std::uint64_t>() > attempts;
      },
      "the job retried from the command line attempted by the running gateway");
  auto show = outbox({"show", std::to_string(held_id)});
  BOOST_TEST(contains(show.out, "state          exception"), show.out);
  BOOST_TEST(contains(show.out, "attempts       " + std::to_string(held_attempts + 1)), show.out);
}

BOOST_FIXTURE_TEST_CASE(retry_and_drop_work_on_a_stopped_gateways_data_dir, Lent) {
  BOOST_REQUIRE(gateway().signal(SIGTERM));
  BOOST_REQUIRE(gateway().wait_exit(Clock::now() + 10s).has_value());

  auto r = outbox({"retry", std::to_string(unknown_id)});
  BOOST_TEST(r.exit_code == 0, r.err);
  BOOST_TEST(contains(r.out, "queued again"), r.out);
  auto show = outbox({"show", std::to_string(unknown_id)});
  BOOST_TEST(contains(show.out, "state          queued"), show.out);
  BOOST_TEST(contains(show.out, "retried by staff"), show.out);

  // A reason with a comma and quotes comes back whole from the CSV.
  const std::string reason = "returned to the desk, \"damaged\"";
  r = outbox({"drop", std::to_string(held_id), "--reason", reason});
  BOOST_TEST(r.exit_code == 0, r.err);
  r = outbox({"drop", std::to_string(held_id), "--reason", "again"});
  BOOST_TEST(r.exit_code == 1);
  const auto dropped = report_rows("dropped");
  BOOST_TEST_REQUIRE(dropped.size() == 1u);
  BOOST_TEST(dropped[0]["id"] == held_id);
  BOOST_TEST(dropped[0]["reason"] == "dropped by staff: " + reason);
  auto stats = outbox({"stats"});
  BOOST_TEST(contains(stats.out, "queued     1"), stats.out);
  BOOST_TEST(contains(stats.out, "dropped    1"), stats.out);

  // The gateway attempts the retried job when it starts: the library still does not know it.
  start_gateway();
  wait_for_stats(
      [](const nlohmann::json& s) { return s["depth"] == 0 && s["by_state"]["exception"] == 1; },
      "the retried job attempted at start");
  show = outbox({"show", std::to_string(unknown_id)});
  BOOST_TEST(contains(show.out, "state          exception"), show.out);
  BOOST_TEST(contains(show.out, "attempts       " + std::to_string(unknown_attempts + 1)),
             show.out);
  no_identifiers(show.out);
}

}  // namespace integration
