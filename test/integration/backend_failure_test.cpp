// The real gateway when the library system is slow, failing or gone: patrons in the identity
// cache are still validated, everything else gets a timely refusal that says why, /readyz turns
// 503, and backend errors are counted in /metrics.
#define BOOST_TEST_MODULE integration_backend_failure
#include <boost/test/unit_test.hpp>
#include <sstream>

#include "checks.hpp"
#include "gateway_stack.hpp"
#include "requests.hpp"

namespace integration {
namespace {

using Ms = std::chrono::milliseconds;

/// Logged in, with the demo library in the identity cache (its first full pass done, and the
/// records it left partial read in full: no background read meets the failures a test makes).
/// The outbox in online mode: these tests are about the refusals a kiosk gets when the library
/// system fails and nothing may be answered offline (auto mode would answer from local policy).
StackOptions online(StackOptions o) {
  auto edit = std::move(o.edit_config);
  o.edit_config = [edit](nlohmann::json& c) {
    c["outbox"]["mode"] = "online";
    c["identity"]["sync"]["complete_per_second"] = 1000;
    if (edit) edit(c);
  };
  return o;
}

struct LoggedIn : GatewayStack {
  SipClient kiosk = login();
  explicit LoggedIn(StackOptions o = {}) : GatewayStack(online(std::move(o))) {
    BOOST_REQUIRE_MESSAGE(wait_for_full_pass(), "no full pass: " << gateway_log());
    BOOST_REQUIRE_MESSAGE(wait_for_records_read(), "records not read: " << gateway_log());
  }
};

/// A gateway that gives each request one second of library-system time.
struct ShortDeadline : LoggedIn {
  ShortDeadline()
      : LoggedIn({[](nlohmann::json& c) {
                    c["limits"]["request_timeout_ms"] = 1000;
                    c["limits"]["min_mutation_budget_ms"] = 300;
                  },
                  true}) {}
};

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

/// Sum of sip2gw_backend_calls_total samples whose outcome is not "ok".
double backend_errors(const std::string& metrics) {
  std::istringstream lines(metrics);
  double sum = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("sip2gw_backend_calls_total{", 0) != 0 || contains(line, "outcome=\"ok\""))
      continue;
    sum += std::stod(line.substr(line.rfind(' ') + 1));
  }
  return sum;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(slow_library_system_gets_timely_refusal, ShortDeadline) {
  (void)answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");  // PIN checked
  BOOST_REQUIRE_EQUAL(control("latency", {{"ms", 3000}}), 200);

  // A cached patron whose PIN was just checked is answered from the cache, at once.
  auto start = Clock::now();
  auto cached = answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
  auto took = std::chrono::duration_cast<Ms>(Clock::now() - start);
  BOOST_TEST((took < Ms(1000)), "the cached 24 took " << took.count() << " ms");
  BOOST_TEST(field(cached, "CQ") == "Y", screen(cached));

  // A patron the cache does not know must be asked about: a timely refusal.
  start = Clock::now();
  auto status = answer(kiosk.exchange(req::patron_status(req::kUnknownPatron, "1111")), "24");
  took = std::chrono::duration_cast<Ms>(Clock::now() - start);
  BOOST_TEST((took < Ms(2000)), "the 24 took " << took.count() << " ms");
  BOOST_TEST(contains(screen(status), "did not answer"), screen(status));

  start = Clock::now();
  auto lent =
      answer(kiosk.exchange(req::checkout(req::kAda, req::kAvailableBook, req::kAdaPin)), "12");
  took = std::chrono::duration_cast<Ms>(Clock::now() - start);
  // A change sent and not answered is read back before the kiosk is answered: up to 3 s past
  // the deadline (outbox read_back_timeout), here in vain (the library system is as slow).
  BOOST_TEST((took < Ms(5500)), "the 12 took " << took.count() << " ms");
  BOOST_TEST(fixed(lent, "ok") == "0");
  BOOST_TEST(contains(screen(lent), "did not answer"), screen(lent));
}

BOOST_FIXTURE_TEST_CASE(failing_library_system_gets_refusal_saying_not_available, LoggedIn) {
  BOOST_REQUIRE_EQUAL(control("fail", {{"status", 500}, {"count", -1}}), 200);
  auto status = answer(kiosk.exchange(req::patron_status(req::kUnknownPatron, "1111")), "24");
  BOOST_TEST(contains(screen(status), "not available"), screen(status));
  // A cached patron whose PIN was never checked: known, but the PIN cannot be checked.
  auto unchecked = answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
  BOOST_TEST(field(unchecked, "BL") == "Y");
  BOOST_TEST(field(unchecked, "CQ") == "N");
  BOOST_TEST(contains(screen(unchecked), "cannot be checked right now"), screen(unchecked));
  auto lent =
      answer(kiosk.exchange(req::checkout(req::kAda, req::kAvailableBook, req::kAdaPin)), "12");
  BOOST_TEST(fixed(lent, "ok") == "0");
  BOOST_TEST(contains(screen(lent), "cannot be checked right now"), screen(lent));

  BOOST_REQUIRE_EQUAL(control("reset"), 200);
  auto back =
      answer(kiosk.exchange(req::checkout(req::kAda, req::kAvailableBook, req::kAdaPin)), "12");
  BOOST_TEST(fixed(back, "ok") == "1", screen(back));
}

BOOST_FIXTURE_TEST_CASE(library_system_down_makes_readyz_fail_and_counts_errors, LoggedIn) {
  BOOST_TEST(admin_get("/readyz").first == 200);
  (void)answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
  emulator().kill_now();

  auto refused =
      answer(kiosk.exchange(req::checkout(req::kAda, req::kAvailableBook, req::kAdaPin)), "12");
  BOOST_TEST(fixed(refused, "ok") == "0");
  BOOST_TEST(contains(screen(refused), "not available"), screen(refused));

  int ready = 0;
  for (int i = 0; i < 20; ++i) {
    ready = admin_get("/readyz").first;
    if (ready == 503) break;
    // The cached patron is still validated; an unknown one cannot be.
    auto a = answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
    BOOST_TEST(field(a, "BL") == "Y");
    BOOST_TEST(field(a, "CQ") == "Y");
    auto u = answer(kiosk.exchange(req::patron_status(req::kUnknownPatron, "1111")), "24");
    BOOST_TEST(field(u, "BL") == "N");
  }
  BOOST_TEST(ready == 503);
  BOOST_TEST(admin_get("/healthz").first == 200);
  BOOST_TEST(backend_errors(admin_get("/metrics").second) >= 5);
}

/// The repository's profiles and "test-deadline" (the listener's): one second for each
/// request's library-system calls, and `on_deadline` for what a kiosk gets after it.
StackOptions deadline_profile(const std::string& on_deadline) {
  return {[on_deadline](nlohmann::json& c) {
    static TempDir dirs;
    const auto dir = dirs.path() / on_deadline;
    std::filesystem::create_directories(dir);
    for (const auto& e : std::filesystem::directory_iterator(source_root() / "firmware-profiles"))
      if (e.path().extension() == ".json")
        std::filesystem::copy_file(e.path(), dir / e.path().filename(),
                                   std::filesystem::copy_options::overwrite_existing);
    write_file(
        dir / "test-deadline.json",
        nlohmann::json{{"schema_version", 1},
                       {"profile_id", "test-deadline"},
                       {"timeouts", {{"response_deadline_ms", 1000}, {"on_deadline", on_deadline}}}}
            .dump());
    c["profiles"]["dir"] = dir.string();
    c["limits"]["min_mutation_budget_ms"] = 300;  // below the profile's deadline, as required
    c["listeners"][0]["profile"] = "test-deadline";
  }};
}

BOOST_AUTO_TEST_CASE(a_profiles_response_deadline_answers_in_time_or_closes_as_it_says) {
  // The config's request timeout is 8 s; the profile gives each request 1 s. The library
  // system takes 3 s per call.
  {
    LoggedIn stack(deadline_profile("send_failure_response"));
    BOOST_REQUIRE_EQUAL(stack.control("latency", {{"ms", 3000}}), 200);
    const auto start = Clock::now();
    auto status = answer(stack.kiosk.exchange(req::patron_status(req::kUnknownPatron, "1111"),
                                              std::chrono::seconds(10)),
                         "24");
    const auto took = std::chrono::duration_cast<Ms>(Clock::now() - start);
    BOOST_TEST((took < Ms(2500)), "the 24 took " << took.count() << " ms, not the profile's 1 s");
    BOOST_TEST(contains(screen(status), "did not answer"), screen(status));
  }
  {
    LoggedIn stack(deadline_profile("close"));
    BOOST_REQUIRE_EQUAL(stack.control("latency", {{"ms", 3000}}), 200);
    BOOST_REQUIRE(
        !stack.kiosk.send_raw(std::string(req::patron_status(req::kUnknownPatron, "1111")) + "\r"));
    std::vector<std::string> frames;
    BOOST_TEST(stack.kiosk.closed_within(std::chrono::seconds(10), &frames),
               "still open after the deadline");
    BOOST_TEST(frames.empty(), "answered before closing: " << (frames.empty() ? "" : frames[0]));
    BOOST_TEST(stack.wait_for_log("closing unanswered (profile)", Ms(5000)), stack.gateway_log());
  }
}

}  // namespace integration
