// The real gateway under malformed and oddly split input: every frame gets an answer or a 96,
// and the session goes on.
#define BOOST_TEST_MODULE integration_protocol_abuse
#include <boost/test/unit_test.hpp>

#include "checks.hpp"
#include "gateway_stack.hpp"
#include "requests.hpp"

namespace integration {
namespace {

struct LoggedIn : GatewayStack {
  SipClient kiosk = login();

  /// The command of the next answer ("" when none comes).
  std::string next_command(std::chrono::milliseconds timeout = 5s) {
    auto m = kiosk.read_message(timeout);
    return m ? m->command : std::string();
  }
};

/// A short partial-frame timeout so an unterminated frame is dropped quickly.
StackOptions short_partial_frame_timeout() {
  return {[](nlohmann::json& c) { c["limits"]["partial_frame_timeout_seconds"] = 1; }, true};
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(empty_frame_is_ignored_and_next_frame_answered, LoggedIn) {
  BOOST_REQUIRE(!kiosk.send_raw("\r"));
  auto a = answer(kiosk.exchange(req::sc_status()), "98");
  BOOST_TEST(fixed(a, "online_status") == "Y");
  BOOST_TEST(!kiosk.read_frame(300ms).has_value(), "an empty frame got an answer");
}

BOOST_FIXTURE_TEST_CASE(overlong_frame_gets_96_and_session_continues, LoggedIn) {
  const std::string huge = "23001" + req::now() + "AOMAIN|AA" + std::string(9000, '7') + "|";
  (void)answer(kiosk.exchange(huge), "96");
  auto a = answer(kiosk.exchange(req::sc_status()), "98");
  BOOST_TEST(fixed(a, "online_status") == "Y");
}

BOOST_FIXTURE_TEST_CASE(frame_with_nul_byte_gets_96, LoggedIn) {
  std::string status = req::sc_status();
  status.insert(4, 1, '\0');
  (void)answer(kiosk.exchange(status), "96");
  (void)answer(kiosk.exchange(req::sc_status()), "98");
}

BOOST_AUTO_TEST_CASE(unterminated_frame_is_dropped_at_partial_frame_timeout) {
  GatewayStack stack(short_partial_frame_timeout());
  auto kiosk = stack.login();
  const auto start = Clock::now();
  BOOST_REQUIRE(!kiosk.send_raw(req::sc_status()));  // no CR
  std::vector<std::string> frames;
  BOOST_TEST(kiosk.closed_within(5s, &frames), "still open 5 s after a partial frame");
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  BOOST_TEST(frames.empty(), "a partial frame got an answer: " << frames.front());
  BOOST_TEST((took >= 900ms), "closed after " << took.count() << " ms");
  BOOST_TEST(stack.wait_for_log("partial_frame_timeout", 2s));
}

BOOST_AUTO_TEST_CASE(frame_dribbled_slower_than_partial_frame_timeout_is_dropped) {
  GatewayStack stack(short_partial_frame_timeout());
  auto kiosk = stack.login();
  const std::string wire = req::patron_status(req::kAda, req::kAdaPin) + "\r";
  const auto start = Clock::now();
  bool closed = false;
  for (std::size_t i = 0; i < wire.size() && !closed && Clock::now() - start < 4s; ++i) {
    if (kiosk.send_raw(wire.substr(i, 1))) break;
    auto f = kiosk.read_frame(300ms);  // paces the bytes: one every 300 ms
    BOOST_REQUIRE_MESSAGE(!f.has_value(), "a dribbled frame got an answer: " << *f);
    closed = f.error() == std::errc::connection_reset;
  }
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  BOOST_TEST(closed, "a frame taking " << took.count() << " ms to arrive kept the session open");
  BOOST_TEST((took < 2500ms), "closed only after " << took.count() << " ms");
}

BOOST_FIXTURE_TEST_CASE(garbage_between_frames_gets_96_and_frames_around_it_are_answered,
                        LoggedIn) {
  const std::string wire = req::sc_status() + "\r" + "\x01\x02#garbage~\x7f" + "\r" +
                           req::item_information(req::kAvailableBook) + "\r";
  BOOST_REQUIRE(!kiosk.send_raw(wire));
  BOOST_TEST(next_command() == "98");
  BOOST_TEST(next_command() == "96");
  BOOST_TEST(next_command() == "18");
}

BOOST_FIXTURE_TEST_CASE(pipelined_frames_are_answered_in_order, LoggedIn) {
  const std::string wire = req::item_information(req::kAvailableBook) + "\r" + req::sc_status() +
                           "\r" + req::patron_status(req::kAda, req::kAdaPin) + "\r";
  BOOST_REQUIRE(!kiosk.send_raw(wire));
  BOOST_TEST(next_command() == "18");
  BOOST_TEST(next_command() == "98");
  BOOST_TEST(next_command() == "24");
}

BOOST_FIXTURE_TEST_CASE(frame_sent_byte_by_byte_gets_one_answer, LoggedIn) {
  const std::string wire = req::sc_status() + "\r";
  for (char c : wire)
    BOOST_REQUIRE(!kiosk.send_raw(std::string(1, c)));
  BOOST_TEST(next_command() == "98");
  BOOST_TEST(!kiosk.read_frame(300ms).has_value(), "more than one answer");
}

}  // namespace integration
