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

/// Runs `sip2gw check-config FILE` to its end.
Run check_config(const TempDir& dir, const nlohmann::json& config) {
  const auto file = dir.path() / "check.json";
  write_file(file, config.dump(2));
  const auto err = dir.path() / "check.err";
  ChildProcess p(env("SIP2GW"), {"check-config", file.string()}, err.string());
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

}  // namespace integration
