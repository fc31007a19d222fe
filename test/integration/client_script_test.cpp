// The real sip2-client running scripts, recording and replaying against the real gateway and
// the emulator: exit statuses, expectations, traces, and no PIN or password in any output.
#define BOOST_TEST_MODULE integration_client_script
#include <boost/test/unit_test.hpp>

#include <sstream>

#include <nlohmann/json.hpp>

#include "client_run.hpp"
#include "gateway_stack.hpp"

namespace integration {
namespace {

// A patron whose PIN appears in no barcode, so its absence from output means something.
constexpr const char* kPatron = "21234000000075";
constexpr const char* kPin = "7777";
constexpr const char* kPassword = "demo-kiosk";

struct Stack : GatewayStack {
  Stack() {
    write_file(dir() / "kiosk1.password", kPassword);
    write_file(dir() / "pins", std::string(kPatron) + " " + kPin + "\n21234000000026 2222\n");
  }
  /// The options of a logged-in session on the demo gateway.
  std::vector<std::string> session(std::vector<std::string> more = {}) const {
    std::vector<std::string> args{
        "--port",          std::to_string(sip_port()), "--login",    "kiosk1",
        "--password-file", "kiosk1.password",          "--pin-file", "pins"};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }
};

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

void check_no_secrets(const std::string& text) {
  BOOST_TEST(!contains(text, kPin), "the PIN was printed");
  BOOST_TEST(!contains(text, kPassword), "the password was printed");
}

/// The trace with its check-in request (09: the transaction date at offset 3) carrying the date
/// of its check-out request (11: at offset 4), as a kiosk whose clock stands still sends them.
std::string with_checkin_at_checkout_date(const std::string& trace) {
  constexpr std::size_t kDate = 18;
  std::vector<nlohmann::json> lines;
  std::istringstream in(trace);
  std::string date;
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line);
    const std::string request = j.value("request", "");
    if (request.starts_with("11")) date = request.substr(4, kDate);
    if (request.starts_with("09")) {
      BOOST_TEST_REQUIRE(date.size() == kDate, "the trace has a check-out before its check-in");
      j["request"] = request.substr(0, 3) + date + request.substr(3 + kDate);
    }
    lines.push_back(std::move(j));
  }
  std::string out;
  for (const auto& j : lines)
    out += j.dump() + '\n';
  return out;
}

constexpr const char* kHealthCheck = R"(# a health check staff can run from cron
status
expect online_status=Y checkout_ok=Y AO=MAIN
patron 21234000000075 -
expect BL=Y CQ=Y AE?
info overdue
expect overdue_items_count>=2 AT~31234000000099
checkout 31234000000016
expect 12 ok=Y AF~"checked out" rtt_ms<5000
checkin 31234000000016
expect ok=Y alert=N
item 31234000000016
expect circulation_status~available
end
expect end_session=Y
)";

}  // namespace

BOOST_AUTO_TEST_CASE(a_health_check_script_passes_with_exit_status_zero) {
  Stack stack;
  write_file(stack.dir() / "check.sip", kHealthCheck);
  const auto run = run_client(stack.dir(), stack.session({"--script", "check.sip"}));
  BOOST_TEST(run.status == 0, run.all());
  BOOST_TEST(contains(run.out, "<< 12 checkout response"));
  BOOST_TEST(contains(run.out, "expect ok=Y: held"));
  BOOST_TEST(!contains(run.all(), "FAILED"), run.all());
  BOOST_TEST(contains(run.err, "0 failures"));
  check_no_secrets(run.all());
}

BOOST_AUTO_TEST_CASE(a_failed_expectation_gives_exit_status_one_and_says_what_came) {
  Stack stack;
  const auto run = run_client(stack.dir(), stack.session(),
                              "patron 21234000000026 -\ncheckout 31234000000024\n"
                              "expect ok=Y\nexpect AF~blocked\nitem 31234000000024\nexpect 18\n");
  BOOST_TEST(run.status == 1, run.all());
  BOOST_TEST(contains(run.out, "expect ok=Y: FAILED, ok is \"0\""), run.out);
  BOOST_TEST(contains(run.out, "expect AF~blocked: held"), run.out);
  BOOST_TEST(contains(run.out, "<< 18 item information response"), "the script stopped early");
  BOOST_TEST(contains(run.err, "1 failure"));
}

BOOST_AUTO_TEST_CASE(a_line_that_is_not_a_command_stops_the_script_with_status_two) {
  Stack stack;
  const auto run = run_client(stack.dir(), stack.session(),
                              "status\ncheckot 31234000000016\n"
                              "status\n");
  BOOST_TEST(run.status == 2, run.all());
  BOOST_TEST(contains(run.all(), "unknown command 'checkot'"));
  BOOST_TEST(contains(run.err, "stdin:2: not run"));
}

BOOST_AUTO_TEST_CASE(raw_messages_and_placeholders_work_in_scripts) {
  Stack stack;
  const auto run = run_client(
      stack.dir(), stack.session({"--error-detection", "--show-wire", "--institution", "MAIN"}),
      "set patron 21234000000075\nset pin 7777\n"
      "23001{now}AO{institution}|AA{patron}|AD{pin}|\nexpect 24 BL=Y CQ=Y\n"
      "raw '9900302.00'\nexpect 98\nresend\nexpect 98\n");
  BOOST_TEST(run.status == 0, run.all());
  BOOST_TEST(contains(run.out, "AD****|AY"), "the wire shows AY/AZ and masks the PIN");
  check_no_secrets(run.all());
}

BOOST_AUTO_TEST_CASE(a_refused_login_gives_status_three_and_no_server_status_four) {
  Stack stack;
  write_file(stack.dir() / "wrong.password", "not-the-password");
  const auto refused = run_client(stack.dir(),
                                  {"--port", std::to_string(stack.sip_port()), "--login", "kiosk1",
                                   "--password-file", "wrong.password"},
                                  "status\n");
  BOOST_TEST(refused.status == 3, refused.all());
  BOOST_TEST(!contains(refused.all(), "not-the-password"));
  const auto nobody = run_client(stack.dir(), {"--port", "1"}, "status\n");
  BOOST_TEST(nobody.status == 4, nobody.all());
  BOOST_TEST(contains(nobody.err, "cannot connect"));
}

BOOST_AUTO_TEST_CASE(json_output_is_one_object_per_response) {
  Stack stack;
  const auto run = run_client(stack.dir(), stack.session({"--json"}),
                              "status\npatron 21234000000075 -\nexpect BL=Y\n");
  BOOST_TEST(run.status == 0, run.all());
  int objects = 0;
  std::istringstream lines(run.out);
  for (std::string line; std::getline(lines, line);) {
    const auto j = nlohmann::json::parse(line, nullptr, false);
    BOOST_TEST_REQUIRE(!j.is_discarded(), line);
    BOOST_TEST(j.contains("command"));
    ++objects;
  }
  BOOST_TEST(objects == 3);  // 94, 98, 24
  check_no_secrets(run.all());
}

BOOST_AUTO_TEST_CASE(a_recorded_session_replays_identically_and_a_changed_one_shows_how) {
  Stack stack;
  const auto recorded = run_client(
      stack.dir(), stack.session({"--record", "case.trace"}),
      "status\npatron 21234000000075 -\ncheckout 31234000000016\ncheckin 31234000000016\n");
  BOOST_TEST_REQUIRE(recorded.status == 0, recorded.all());
  const auto trace = read_file(stack.dir() / "case.trace");
  BOOST_TEST(contains(trace, "{pin}"));
  BOOST_TEST(contains(trace, "{password}"));
  check_no_secrets(trace);

  const std::vector<std::string> replay{
      "replay",          "case.trace",      "--port",     std::to_string(stack.sip_port()),
      "--password-file", "kiosk1.password", "--pin-file", "pins"};
  const auto same = run_client(stack.dir(), replay);
  BOOST_TEST(same.status == 0, same.all());
  BOOST_TEST(contains(same.err, "5 steps, 0 differ"), same.err);

  // Another patron had the item meanwhile. The replayed check-out carries its recorded date: it
  // is the same transaction, and the outbox answers it with its first outcome (never lending
  // twice). The check-in is replayed from a kiosk whose clock stood still (it carries the
  // check-out's date; recorded, the two may or may not fall in one second): that date cannot
  // tell it apart, and as the other patron's loan came after the recorded check-in, it is a new
  // one, and replay shows whose loan it closed.
  const auto taken = run_client(stack.dir(), stack.session(),
                                "patron 21234000000026 -\nset patron 21234000000018\n"
                                "set pin 1234\ncheckout 31234000000016\nexpect ok=Y\n");
  BOOST_TEST_REQUIRE(taken.status == 0, taken.all());
  write_file(stack.dir() / "frozen.trace", with_checkin_at_checkout_date(trace));
  auto frozen = replay;
  frozen[1] = "frozen.trace";
  const auto changed = run_client(stack.dir(), frozen);
  BOOST_TEST(changed.status == 1, changed.all());
  BOOST_TEST(contains(changed.err, "step 5 (checkin 31234000000016): AA: recorded"), changed.err);
  check_no_secrets(changed.all());
}

BOOST_AUTO_TEST_CASE(a_firmware_profile_sets_the_wire_conventions) {
  Stack stack;
  const auto profiles = (source_root() / "firmware-profiles").string();
  const auto run =
      run_client(stack.dir(),
                 stack.session({"--profile", "3m-bibliotheca-selfcheck-v-series", "--profiles-dir",
                                profiles, "--error-detection", "--show-wire"}),
                 "status\nexpect 98\nshow\n");
  BOOST_TEST(run.status == 0, run.all());
  BOOST_TEST(contains(run.out, "utf-8, AY/AZ"), run.out);
  const auto missing = run_client(
      stack.dir(), stack.session({"--profile", "no-such-kiosk", "--profiles-dir", profiles}));
  BOOST_TEST(missing.status == 2);
  BOOST_TEST(contains(missing.err, "no profile 'no-such-kiosk'"), missing.err);
}

}  // namespace integration
