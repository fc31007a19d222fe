// The real gateway's session timeouts end to end: a connection that never logs in, and one that
// goes idle. The deadlines' arithmetic (activity extending the idle timeout, dribbled frames,
// blocked writes, drains) is tested on a manual clock in test/server/session_test.cpp, where no
// test waits on the wall clock.
#define BOOST_TEST_MODULE integration_timeouts
#include <boost/test/unit_test.hpp>

#include "checks.hpp"
#include "gateway_stack.hpp"
#include "requests.hpp"

namespace integration {
namespace {

using Ms = std::chrono::milliseconds;

StackOptions limits(const char* key, int seconds) {
  return {[key, seconds](nlohmann::json& c) { c["limits"][key] = seconds; }, true};
}

Ms since(Clock::time_point start) {
  return std::chrono::duration_cast<Ms>(Clock::now() - start);
}

}  // namespace

BOOST_AUTO_TEST_CASE(connection_without_login_is_closed_at_login_timeout) {
  GatewayStack stack(limits("login_timeout_seconds", 1));
  const auto start = Clock::now();
  auto kiosk = stack.connect();
  std::vector<std::string> frames;
  BOOST_TEST(kiosk.closed_within(5s, &frames), "still open 5 s after connecting");
  BOOST_TEST((since(start) >= Ms(900)));
  BOOST_TEST(frames.empty());
  BOOST_TEST(stack.wait_for_log("login_timeout", 2s));
}

BOOST_AUTO_TEST_CASE(status_before_login_does_not_extend_login_timeout) {
  GatewayStack stack(limits("login_timeout_seconds", 1));
  const auto start = Clock::now();
  auto kiosk = stack.connect();
  (void)answer(kiosk.exchange(req::sc_status()), "98");
  BOOST_TEST(kiosk.closed_within(5s), "still open 5 s after connecting");
  BOOST_TEST((since(start) >= Ms(900)));
}

BOOST_AUTO_TEST_CASE(idle_session_is_closed_at_idle_timeout) {
  GatewayStack stack(limits("idle_timeout_seconds", 1));
  auto kiosk = stack.login();
  (void)answer(kiosk.exchange(req::sc_status()), "98");
  const auto start = Clock::now();
  std::vector<std::string> frames;
  BOOST_TEST(kiosk.closed_within(5s, &frames), "still open 5 s after the last request");
  BOOST_TEST((since(start) >= Ms(900)));
  BOOST_TEST(frames.empty());
  BOOST_TEST(stack.wait_for_log("idle_timeout", 2s));
}

}  // namespace integration
