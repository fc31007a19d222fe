// The real gateway's session rules: login failures and throttling, requests before login, error
// detection (AY/AZ), duplicate replay and 97 resend.
#define BOOST_TEST_MODULE integration_session
#include <boost/test/unit_test.hpp>

#include "checks.hpp"
#include "gateway_stack.hpp"
#include "requests.hpp"

namespace integration {
namespace {

using Ms = std::chrono::milliseconds;

struct LoggedIn : GatewayStack {
  SipClient kiosk = login();
};

/// Throttling after 3 failures, closing at the 4th, so the test stays short.
StackOptions strict_login() {
  return {[](nlohmann::json& c) {
            c["limits"]["login_failures_before_delay"] = 3;
            c["limits"]["login_failures_before_close"] = 4;
          },
          true};
}

/// A profiles directory with the shipped profiles plus one that accepts 99 before 93.
StackOptions status_before_login(const std::filesystem::path& dir) {
  return {[dir](nlohmann::json& c) {
            std::filesystem::create_directories(dir);
            for (const auto& e :
                 std::filesystem::directory_iterator(source_root() / "firmware-profiles"))
              if (e.is_regular_file())  // not examples/
                std::filesystem::copy_file(e.path(), dir / e.path().filename());
            write_file(dir / "status-first.json", R"({"schema_version": 1,
  "profile_id": "status-first", "extends": ["sip2-baseline"],
  "session": {"sc_status_before_login": {"allowed": true}}})");
            c["profiles"]["dir"] = dir.string();
            c["listeners"][0]["profile"] = "status-first";
          },
          true};
}

}  // namespace

BOOST_AUTO_TEST_CASE(repeated_login_failures_are_slowed_then_the_connection_is_closed) {
  GatewayStack stack(strict_login());
  auto kiosk = stack.connect();
  std::vector<Ms> took;
  for (int i = 0; i < 4; ++i) {
    const auto start = Clock::now();
    auto a = answer(kiosk.exchange(req::login("kiosk1", "guess-" + std::to_string(i)), 10s), "94");
    took.push_back(std::chrono::duration_cast<Ms>(Clock::now() - start));
    BOOST_TEST(fixed(a, "ok") == "0");
  }
  BOOST_TEST((took[2] >= Ms(450)), "the third failure took " << took[2].count() << " ms");
  BOOST_TEST((took[3] >= Ms(950)), "the fourth failure took " << took[3].count() << " ms");
  BOOST_TEST((took[0] < took[3]));
  BOOST_TEST(kiosk.closed_within(3s), "the connection stays open after the fourth failure");
  BOOST_TEST(stack.wait_for_log("reason=login_failures", 2s), stack.gateway_log());
}

/// A gateway that reads the records its first full pass left partial at once.
struct ReadAtOnce : GatewayStack {
  ReadAtOnce()
      : GatewayStack(
            {[](nlohmann::json& c) { c["identity"]["sync"]["complete_per_second"] = 1000; },
             true}) {}
};

BOOST_FIXTURE_TEST_CASE(requests_before_login_are_refused, ReadAtOnce) {
  // The identity cache's first full pass reads the library at start, and then reads in full
  // the records it left partial: count from after them.
  BOOST_REQUIRE_MESSAGE(wait_for_full_pass(), "no full pass: " << gateway_log());
  BOOST_REQUIRE_MESSAGE(wait_for_records_read(), "records not read: " << gateway_log());
  const int before = emulator_state("stats").value("total", -1);
  auto kiosk = connect();
  auto a = answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
  BOOST_TEST(field(a, "BL") == "N");
  BOOST_TEST(!screen(a).empty());
  auto c =
      answer(kiosk.exchange(req::checkout(req::kAda, req::kAvailableBook, req::kAdaPin)), "12");
  BOOST_TEST(fixed(c, "ok") == "0");
  auto status = answer(kiosk.exchange(req::sc_status()), "98");
  BOOST_TEST(fixed(status, "online_status") == "N");
  BOOST_TEST(!screen(status).empty(), "a refused 99 says why");
  BOOST_TEST(emulator_state("stats").value("total", -1) == before, "the library system was called");
}

BOOST_AUTO_TEST_CASE(status_before_login_is_answered_when_the_profile_allows_it) {
  TempDir profiles;
  GatewayStack stack(status_before_login(profiles.path() / "profiles"));
  auto kiosk = stack.connect();
  auto status = answer(kiosk.exchange(req::sc_status()), "98");
  BOOST_TEST(fixed(status, "online_status") == "N");
  BOOST_TEST(!has_field(status, "AF"), screen(status));
  BOOST_TEST(field(status, "BX").size() == 16u);
  auto patron = answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
  BOOST_TEST(field(patron, "BL") == "N");
}

BOOST_FIXTURE_TEST_CASE(resend_request_before_any_answer_gets_96, GatewayStack) {
  auto kiosk = connect();
  (void)answer(kiosk.exchange("97"), "96");
  (void)answer(kiosk.exchange(req::login("kiosk1", req::kTerminalPassword)), "94");
}

BOOST_FIXTURE_TEST_CASE(answer_mirrors_sequence_number_with_valid_checksum, LoggedIn) {
  auto a = answer(
      kiosk.exchange(req::with_error_detection(req::patron_status(req::kAda, req::kAdaPin), 3)),
      "24");
  BOOST_TEST((a.sequence == std::optional<int>(3)));
  BOOST_TEST((a.checksum_valid == std::optional<bool>(true)));
  auto b = answer(kiosk.exchange(req::with_error_detection(req::sc_status(), 4)), "98");
  BOOST_TEST((b.sequence == std::optional<int>(4)));
  BOOST_TEST((b.checksum_valid == std::optional<bool>(true)));
}

BOOST_FIXTURE_TEST_CASE(bad_checksum_gets_96_and_session_continues, LoggedIn) {
  std::string wire = req::with_error_detection(req::patron_status(req::kAda, req::kAdaPin), 5);
  wire.replace(wire.size() - 4, 4, wire.substr(wire.size() - 4) == "0000" ? "0001" : "0000");
  auto a = answer(kiosk.exchange(wire), "96");
  BOOST_TEST(!a.sequence.has_value());
  auto b = answer(kiosk.exchange(req::sc_status()), "98");
  BOOST_TEST(fixed(b, "online_status") == "Y");
}

BOOST_FIXTURE_TEST_CASE(answer_without_error_detection_when_request_has_none, LoggedIn) {
  const auto frame = kiosk.read_frame(0ms);  // nothing pending
  BOOST_TEST(!frame.has_value());
  auto a = answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
  BOOST_TEST(!a.sequence.has_value());
  BOOST_TEST(!a.checksum.has_value());
}

BOOST_FIXTURE_TEST_CASE(duplicate_checkout_is_replayed_not_run_twice, LoggedIn) {
  const std::string wire =
      req::with_error_detection(req::checkout(req::kAda, req::kAvailableBook, req::kAdaPin), 1) +
      "\r";
  BOOST_REQUIRE(!kiosk.send_raw(wire));
  auto first = kiosk.read_frame();
  BOOST_REQUIRE(first.has_value());
  BOOST_REQUIRE(!kiosk.send_raw(wire));
  auto second = kiosk.read_frame();
  BOOST_REQUIRE(second.has_value());
  BOOST_TEST(*first == *second);
  const auto m = answer(sip2::decode(*first, sip2::Dialect{}, sip2::Mode::strict)
                            .map_error([](const sip2::DecodeError& e) { return e.code.message(); }),
                        "12");
  BOOST_TEST(fixed(m, "ok") == "1", screen(m));

  int checkouts = 0;
  for (const auto& e : emulator_state("ledger"))
    checkouts += e.value("action", "") == "checkout" ? 1 : 0;
  BOOST_TEST(checkouts == 1);
}

BOOST_FIXTURE_TEST_CASE(resend_request_repeats_the_last_answer, LoggedIn) {
  (void)answer(kiosk.exchange("97"), "94");  // the login's answer
  BOOST_REQUIRE(!kiosk.send_raw(req::item_information(req::kAvailableBook) + "\r"));
  auto last = kiosk.read_frame();
  BOOST_REQUIRE(last.has_value());
  BOOST_REQUIRE(!kiosk.send_raw("97\r"));
  auto again = kiosk.read_frame();
  BOOST_REQUIRE(again.has_value());
  BOOST_TEST(*again == *last);
  BOOST_REQUIRE(!kiosk.send_raw(req::with_checksum("97") + "\r"));
  auto third = kiosk.read_frame();
  BOOST_REQUIRE(third.has_value());
  BOOST_TEST(*third == *last);
}

}  // namespace integration
