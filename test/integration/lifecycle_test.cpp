// The real gateway's process life: SIGTERM drains requests in flight, SIGHUP reloads the config
// (and refuses a broken one) without dropping sessions.
#define BOOST_TEST_MODULE integration_lifecycle
#include <signal.h>

#include <boost/test/unit_test.hpp>
#include <thread>

#include "checks.hpp"
#include "gateway_stack.hpp"
#include "requests.hpp"

namespace integration {
namespace {

struct LoggedIn : GatewayStack {
  SipClient kiosk = login();
};

/// Waits until the emulator has received `path` at least `n` times.
bool emulator_saw(GatewayStack& s, const std::string& path, int n,
                  std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto stats = s.emulator_state("stats");
    if (stats.is_object() && stats["paths"].value(path, 0) >= n) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling to a deadline
  }
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(sigterm_finishes_request_in_flight_then_exits_zero, LoggedIn) {
  (void)answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");  // token
  BOOST_REQUIRE_EQUAL(
      control("latency", {{"ms", 1500}, {"path_prefix", "/circulation/check-out-by-barcode"}}),
      200);
  BOOST_REQUIRE(
      !kiosk.send_raw(req::checkout(req::kAda, req::kAvailableBook, req::kAdaPin) + "\r"));
  BOOST_REQUIRE_MESSAGE(emulator_saw(*this, "/circulation/check-out-by-barcode", 1, 5s),
                        "the check-out never reached the library system");
  BOOST_REQUIRE(gateway().signal(SIGTERM));

  auto a = answer(kiosk.read_message(5s), "12");
  BOOST_TEST(fixed(a, "ok") == "1", screen(a));
  BOOST_TEST(kiosk.closed_within(3s), "the session stays open after the drain");
  BOOST_TEST((gateway().wait_exit(Clock::now() + 5s) == std::optional<int>(0)));
  BOOST_TEST(gateway_log().find("shutting down") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(sigterm_closes_idle_sessions_and_exits_zero, LoggedIn) {
  (void)answer(kiosk.exchange(req::sc_status()), "98");
  BOOST_REQUIRE(gateway().signal(SIGTERM));
  BOOST_TEST(kiosk.closed_within(3s));
  BOOST_TEST((gateway().wait_exit(Clock::now() + 5s) == std::optional<int>(0)));
}

BOOST_FIXTURE_TEST_CASE(sighup_applies_new_config_to_open_session, LoggedIn) {
  auto before = answer(kiosk.exchange(req::sc_status()), "98");
  BOOST_TEST(field(before, "AM") == "sip2gw demo library");

  write_file(dir() / "messages.json", R"({"end_session.done": "See you soon"})");
  config()["library_name"] = "Reloaded Library";
  config()["messages"] = {{"file", (dir() / "messages.json").string()}};
  write_config();
  BOOST_REQUIRE(gateway().signal(SIGHUP));
  BOOST_REQUIRE_MESSAGE(wait_for_log("config reloaded", 5s), gateway_log());

  auto after = answer(kiosk.exchange(req::sc_status()), "98");
  BOOST_TEST(field(after, "AM") == "Reloaded Library");
  auto bye = answer(kiosk.exchange(req::end_session(req::kAda)), "36");
  BOOST_TEST(field(bye, "AF") == "See you soon");
  BOOST_TEST(gateway().running());
}

BOOST_FIXTURE_TEST_CASE(sighup_with_broken_config_keeps_running_config, LoggedIn) {
  write_file(config_path(), "{ \"version\": 1, this is not JSON");
  BOOST_REQUIRE(gateway().signal(SIGHUP));
  BOOST_REQUIRE_MESSAGE(wait_for_log("reload refused", 5s), gateway_log());
  BOOST_TEST(gateway().running());

  auto same = answer(kiosk.exchange(req::sc_status()), "98");
  BOOST_TEST(field(same, "AM") == "sip2gw demo library");
  auto patron = answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
  BOOST_TEST(field(patron, "BL") == "Y");
  auto other = login("kiosk1");
  (void)answer(other.exchange(req::sc_status()), "98");

  // A config that parses but fails validation is refused the same way.
  config()["limits"]["idle_timeout_seconds"] = -5;
  config()["no_such_key"] = true;
  write_config();
  BOOST_REQUIRE(gateway().signal(SIGHUP));
  BOOST_REQUIRE_MESSAGE(wait_for_log("reload refused", 5s, 3), gateway_log());
  BOOST_TEST(gateway_log().find("no_such_key") != std::string::npos);
  (void)answer(kiosk.exchange(req::sc_status()), "98");
  BOOST_TEST(gateway().running());
}

}  // namespace integration
