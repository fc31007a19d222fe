// `sip2gw check-config` on good and broken files: every problem as "json.path: reason", exit 2.
#define BOOST_TEST_MODULE integration_check_config
#include <boost/test/unit_test.hpp>
#include <regex>
#include <sstream>

#include "gateway_stack.hpp"

namespace integration {
namespace {

struct Run {
  int exit_code = -1;
  std::string out;
  std::vector<std::string> err_lines;
};

/// Runs `sip2gw WORDS... --config FILE` (or `sip2gw check-config FILE` without words) to its
/// end.
Run run_sip2gw(const TempDir& dir, const nlohmann::json& config,
               std::vector<std::string> words = {}) {
  const auto file = dir.path() / "check.json";
  write_file(file, config.dump(2));
  const auto err = dir.path() / "check.err";
  if (words.empty()) {
    words = {"check-config", file.string()};
  } else {
    words.push_back("--config");
    words.push_back(file.string());
  }
  ChildProcess p(env("SIP2GW"), words, err.string());
  BOOST_REQUIRE(p.spawned());
  Run r;
  const auto deadline = Clock::now() + 10s;
  while (auto line = p.read_line(deadline))
    r.out += *line + "\n";
  const auto code = p.wait_exit(deadline);
  BOOST_REQUIRE_MESSAGE(code.has_value(), "check-config did not finish");
  r.exit_code = *code;
  std::istringstream lines(read_file(err));
  for (std::string line; std::getline(lines, line);)
    r.err_lines.push_back(line);
  return r;
}

Run check_config(const TempDir& dir, const nlohmann::json& config) {
  return run_sip2gw(dir, config);
}

bool has_line(const Run& r, const std::string& prefix) {
  for (const auto& l : r.err_lines)
    if (l.rfind(prefix, 0) == 0) return true;
  return false;
}

std::string all(const Run& r) {
  std::string s;
  for (const auto& l : r.err_lines)
    s += l + "\n";
  return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(check_config_accepts_demo_config) {
  TempDir dir;
  const auto r = check_config(dir, demo_config());
  BOOST_TEST(r.exit_code == 0, all(r));
  BOOST_TEST(r.out.find("ok") != std::string::npos, r.out);
  BOOST_TEST(r.err_lines.empty(), all(r));
}

BOOST_AUTO_TEST_CASE(check_config_reports_every_problem_as_json_path_and_exits_2) {
  TempDir dir;
  auto c = demo_config();
  c["listeners"][0]["listen"] = "no-port-here";
  c["limits"]["idle_timeout_seconds"] = "soon";
  c["accounts"][0].erase("password_hash");
  c["currency"] = "EURO";
  c["backend"]["folio"]["patron_verification"] = "fingerprint";
  const auto r = check_config(dir, c);
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(r.err_lines.size() >= 5u, all(r));
  const std::regex shape(
      R"(^[A-Za-z_][A-Za-z0-9_]*(\[[0-9]+\])?(\.[A-Za-z_][A-Za-z0-9_]*(\[[0-9]+\])?)*: .+$)");
  for (const auto& line : r.err_lines)
    BOOST_TEST(std::regex_match(line, shape), "not 'json.path: reason': " << line);
  BOOST_TEST(has_line(r, "listeners[0].listen: "), all(r));
  BOOST_TEST(has_line(r, "limits.idle_timeout_seconds: "), all(r));
  BOOST_TEST(has_line(r, "accounts[0].password_hash: "), all(r));
  BOOST_TEST(has_line(r, "currency: "), all(r));
  BOOST_TEST(has_line(r, "backend.folio.patron_verification: "), all(r));
}

BOOST_AUTO_TEST_CASE(check_config_reports_unknown_keys) {
  TempDir dir;
  auto c = demo_config();
  c["limits"]["idle_timeout"] = 5;  // a typo of idle_timeout_seconds
  c["listners"] = nlohmann::json::array();
  c["accounts"][1]["policy"]["chekout"] = false;
  const auto r = check_config(dir, c);
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(has_line(r, "limits.idle_timeout: "), all(r));
  BOOST_TEST(has_line(r, "listners: "), all(r));
  BOOST_TEST(has_line(r, "accounts[1].policy.chekout: "), all(r));
}

BOOST_AUTO_TEST_CASE(check_config_reports_invalid_json_and_missing_profile) {
  TempDir dir;
  const auto file = dir.path() / "broken.json";
  write_file(file, "{\"version\": 1,");
  ChildProcess p(env("SIP2GW"), {"check-config", file.string()},
                 (dir.path() / "broken.err").string());
  BOOST_TEST((p.wait_exit(Clock::now() + 10s) == std::optional<int>(2)));
  BOOST_TEST(read_file(dir.path() / "broken.err").find("config: not valid JSON") !=
             std::string::npos);

  auto c = demo_config();
  c["accounts"][0]["profile"] = "no-such-firmware";
  const auto r = check_config(dir, c);
  BOOST_TEST(r.exit_code == 2);
  BOOST_TEST(has_line(r, "accounts[0].profile: "), all(r));
}

/// The shipped profiles copied to DIR/profiles, with `extra` files beside them, and the demo
/// config pointed at that directory.
nlohmann::json with_profiles(const TempDir& dir,
                             const std::vector<std::pair<std::string, nlohmann::json>>& extra) {
  const auto profiles = dir.path() / "profiles";
  std::filesystem::create_directories(profiles);
  for (const auto& e : std::filesystem::directory_iterator(source_root() / "firmware-profiles"))
    if (e.is_regular_file() && e.path().extension() == ".json")
      std::filesystem::copy_file(e.path(), profiles / e.path().filename());
  for (const auto& [name, json] : extra)
    write_file(profiles / name, json.dump(2));
  auto c = demo_config();
  c["profiles"]["dir"] = profiles.string();
  return c;
}

/// The output line that starts with `prefix`, or "".
std::string out_line(const Run& r, const std::string& prefix) {
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(prefix, 0) == 0) return line;
  return "";
}

BOOST_AUTO_TEST_CASE(profiles_show_prints_every_value_with_the_file_it_came_from) {
  TempDir dir;
  const auto c = with_profiles(dir, {{"site-3m.json",
                                      {{"schema_version", 1},
                                       {"profile_id", "site-3m"},
                                       {"extends", {"3m-bibliotheca-selfcheck-v-series"}},
                                       {"encoding", {{"wire_charset", "ascii"}}}}}});
  const auto r = run_sip2gw(dir, c, {"profiles", "show", "site-3m"});
  BOOST_TEST(r.exit_code == 0, all(r));
  BOOST_TEST(out_line(r, "profile site-3m") == "profile site-3m (firmware-profiles/site-3m.json)",
             r.out);
  const auto charset = out_line(r, "encoding.wire_charset = ");
  BOOST_TEST(charset.starts_with("encoding.wire_charset = \"ascii\" "), r.out);
  BOOST_TEST(charset.ends_with("from firmware-profiles/site-3m.json"), charset);
  const auto basis = out_line(r, "error_detection.checksum_basis = ");
  BOOST_TEST(basis.starts_with("error_detection.checksum_basis = \"code_points\" "), r.out);
  BOOST_TEST(basis.ends_with("from firmware-profiles/3m-bibliotheca-selfcheck-v-series.json"),
             basis);
  BOOST_TEST(out_line(r, "framing.field_delimiter = ").ends_with("from (built-in sip2-baseline)"),
             r.out);
  BOOST_TEST(out_line(r, "offline.checkout_no_block = ")
                 .ends_with("from firmware-profiles/3m-bibliotheca-selfcheck-v-series.json"),
             r.out);

  const auto missing = run_sip2gw(dir, c, {"profiles", "show", "nope"});
  BOOST_TEST(missing.exit_code == 1);
  BOOST_TEST(has_line(missing, "sip2gw profiles show: no profile 'nope'"), all(missing));
}

BOOST_AUTO_TEST_CASE(profiles_match_says_which_profile_a_kiosk_gets_and_why) {
  TempDir dir;
  auto c = with_profiles(dir, {{"site-sc.json",
                                {{"schema_version", 1},
                                 {"profile_id", "site-sc"},
                                 {"extends", {"3m-bibliotheca-selfcheck-v-series"}},
                                 {"match", {{"login_id_prefixes", {"sc-"}}}}}},
                               {"site-net.json",
                                {{"schema_version", 1},
                                 {"profile_id", "site-net"},
                                 {"extends", {"envisionware-onestop"}},
                                 {"match", {{"source_cidrs", {"10.9.0.0/16"}}}}}}});
  c["profiles"]["bindings"] = {{{"login", "sc-9"}, {"profile", "mk-solutions-selfcheck"}}};
  BOOST_TEST_REQUIRE(c["listeners"][0]["listen"] == "127.0.0.1:6001");  // the demo's kiosks
  const std::string port = "6001";
  auto match = [&](std::vector<std::string> extra) {
    std::vector<std::string> words{"profiles", "match", "--port", port};
    words.insert(words.end(), extra.begin(), extra.end());
    return run_sip2gw(dir, c, words);
  };
  // By network at accept.
  auto r = match({"--addr", "10.9.1.2"});
  BOOST_TEST(r.exit_code == 0, all(r));
  BOOST_TEST(out_line(r, "at accept: ") ==
                 "at accept: site-net (firmware-profiles/site-net.json match (source_cidrs "
                 "10.9.0.0/16))",
             r.out);
  BOOST_TEST(out_line(r, "profile: ") == "profile: site-net", r.out);
  // Elsewhere the listener's profile, then a login prefix rule at login.
  r = match({"--addr", "127.0.0.1", "--login", "sc-7"});
  BOOST_TEST(
      out_line(r, "at accept: ") == "at accept: sip2-baseline (config listener 'kiosks' profile)",
      r.out);
  BOOST_TEST(out_line(r, "at login: ") ==
                 "at login: site-sc (firmware-profiles/site-sc.json match (login_id_prefixes "
                 "'sc-'))",
             r.out);
  BOOST_TEST(out_line(r, "profile: ") == "profile: site-sc", r.out);
  // The config's binding comes before a profile's own rule.
  r = match({"--addr", "127.0.0.1", "--login", "sc-9"});
  BOOST_TEST(
      out_line(r, "at login: ") == "at login: mk-solutions-selfcheck (config profiles.bindings[0])",
      r.out);
  // An account's profile too; a login nothing names keeps the accept-time profile.
  const auto sorter = c["accounts"][1]["login"].get<std::string>();
  r = match({"--addr", "127.0.0.1", "--login", sorter});
  BOOST_TEST(out_line(r, "at login: ") ==
                 "at login: pv-supa-libretto-sorter (config account '" + sorter + "' profile)",
             r.out);
  r = match({"--addr", "127.0.0.1", "--login", "kiosk1"});
  BOOST_TEST(out_line(r, "profile: ") == "profile: sip2-baseline", r.out);
  BOOST_TEST(match({"--addr", "127.0.0.1", "--port", "0"}).exit_code == 2);
  BOOST_TEST(match({"--login", "x"}).exit_code == 2);
}

BOOST_AUTO_TEST_CASE(the_readmes_worked_overlay_loads_and_binds_by_its_login_prefix) {
  TempDir dir;
  const auto example = source_root() / "firmware-profiles" / "examples" / "central-3m-ascii.json";
  const auto c =
      with_profiles(dir, {{"central-3m-ascii.json", nlohmann::json::parse(read_file(example))}});
  auto r = run_sip2gw(dir, c, {"profiles", "show", "central-3m-ascii"});
  BOOST_TEST(r.exit_code == 0, all(r));
  const auto charset = out_line(r, "encoding.wire_charset = ");
  BOOST_TEST(charset.starts_with("encoding.wire_charset = \"ascii\" "), r.out);
  BOOST_TEST(charset.ends_with("from firmware-profiles/central-3m-ascii.json"), r.out);
  r = run_sip2gw(dir, c,
                 {"profiles", "match", "--port", "6001", "--addr", "10.20.3.17", "--login",
                  "central-sc-04", "--location", "CENTRAL"});
  BOOST_TEST(out_line(r, "profile: ") == "profile: central-3m-ascii", r.out);
}

BOOST_AUTO_TEST_CASE(a_bad_profile_stops_every_command_with_its_file_and_json_path) {
  TempDir dir;
  const auto c = with_profiles(dir, {{"site-bad.json",
                                      {{"schema_version", 1},
                                       {"profile_id", "site-bad"},
                                       {"extends", {"envisionware-onestop"}},
                                       {"encoding", {{"wire_charset", "ebcdic"}}},
                                       {"framing", {{"terminator", "CR"}}}}}});
  for (const auto& r : {check_config(dir, c), run_sip2gw(dir, c, {"profiles", "list"})}) {
    BOOST_TEST(r.exit_code == 2, all(r));
    BOOST_TEST(has_line(r, "firmware-profiles/site-bad.json: encoding.wire_charset: must be"),
               all(r));
    BOOST_TEST(has_line(r, "firmware-profiles/site-bad.json: framing.terminator: unknown key"),
               all(r));
  }
}

BOOST_AUTO_TEST_CASE(a_profile_asking_what_the_config_cannot_honour_is_refused_at_start) {
  TempDir dir;
  // A schema key this version does not act on, and a device replay window longer than the
  // journal keeps its keys: both stop the gateway before the first kiosk.
  auto c = with_profiles(dir, {{"site-later.json",
                                {{"schema_version", 1},
                                 {"profile_id", "site-later"},
                                 {"fields", {{"extensions", nlohmann::json::array()}}}}}});
  auto r = check_config(dir, c);
  BOOST_TEST(r.exit_code == 2, all(r));
  BOOST_TEST(has_line(r,
                      "firmware-profiles/site-later.json: fields.extensions: not supported by "
                      "this version of sip2gw"),
             all(r));
  std::filesystem::remove(dir.path() / "profiles" / "site-later.json");
  // A response deadline no change fits in (limits.min_mutation_budget_ms is 1500 by default).
  TempDir other;
  auto hurried = with_profiles(other, {{"site-hurried.json",
                                        {{"schema_version", 1},
                                         {"profile_id", "site-hurried"},
                                         {"timeouts", {{"response_deadline_ms", 1000}}}}}});
  r = check_config(other, hurried);
  BOOST_TEST(r.exit_code == 2, all(r));
  BOOST_TEST(has_line(r,
                      "firmware-profiles/site-hurried.json: timeouts.response_deadline_ms: 1000 "
                      "ms leaves no room for a change"),
             all(r));
  // A dates.timezone the system's zone database does not know.
  TempDir elsewhere;
  auto lost = with_profiles(elsewhere, {{"site-zone.json",
                                         {{"schema_version", 1},
                                          {"profile_id", "site-zone"},
                                          {"dates", {{"timezone", "Mars/Olympus_Mons"}}}}}});
  r = check_config(elsewhere, lost);
  BOOST_TEST(r.exit_code == 2, all(r));
  BOOST_TEST(has_line(r,
                      "firmware-profiles/site-zone.json: dates.timezone: 'Mars/Olympus_Mons' is "
                      "not a zone of the system's time zone database"),
             all(r));
  c["outbox"]["retention_hours"] = 1;
  c["outbox"]["key_window_hours"] = 12;
  r = check_config(dir, c);
  BOOST_TEST(r.exit_code == 2, all(r));
  BOOST_TEST(has_line(r,
                      "firmware-profiles/pv-supa-libretto-sorter.json: "
                      "offline.idempotency_window_s: 86400 s is longer than the journal keeps"),
             all(r));
}

}  // namespace integration
