// The circuit breaker: when it opens (errors, slow calls, enough calls), the sliding window,
// half-open probes closing or reopening it.
#include "outbox_world.hpp"

using outbox::Breaker;
using outbox::BreakerOptions;
using outbox::BreakerState;
using namespace std::chrono_literals;

namespace {

struct Rig {
  BreakerOptions options = [] {
    BreakerOptions o;
    o.window = 10s;
    o.min_calls = 4;
    o.error_rate = 0.5;
    o.slow_call = 2s;
    o.slow_rate = 0.75;
    o.open_for = 5s;
    o.probes = 2;
    return o;
  }();
  outbox::SteadyTime now{};
  outbox::Counters counters;
  Breaker breaker{options, [this] { return now; }, &counters};

  void calls(int ok, int failed, std::chrono::milliseconds latency = 10ms) {
    for (int i = 0; i < ok; ++i)
      breaker.record(true, latency);
    for (int i = 0; i < failed; ++i)
      breaker.record(false, latency);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(breaker)

BOOST_AUTO_TEST_CASE(stays_closed_below_the_minimum_number_of_calls) {
  Rig r;
  r.calls(0, 3);
  BOOST_TEST(r.breaker.state() == BreakerState::closed);
  BOOST_TEST(r.breaker.allow());
}

BOOST_AUTO_TEST_CASE(opens_at_the_error_rate_and_refuses_calls) {
  Rig r;
  r.calls(2, 1);
  BOOST_TEST(r.breaker.state() == BreakerState::closed);
  r.calls(0, 1);  // 2 of 4 failed
  BOOST_TEST(r.breaker.state() == BreakerState::open);
  BOOST_TEST(!r.breaker.allow());
  BOOST_REQUIRE(r.breaker.reopens_at().has_value());
  BOOST_TEST((*r.breaker.reopens_at() == r.now + 5s));
  BOOST_TEST(r.counters.breaker_opened.load() == 1u);
}

BOOST_AUTO_TEST_CASE(opens_when_most_calls_are_slow) {
  Rig r;
  r.calls(1, 0);
  r.calls(3, 0, 2500ms);  // 3 of 4 slower than 2 s, none failed
  BOOST_TEST(r.breaker.state() == BreakerState::open);
}

BOOST_AUTO_TEST_CASE(old_failures_slide_out_of_the_window) {
  Rig r;
  r.calls(0, 3);
  r.now += 11s;
  r.calls(3, 1);  // the three old failures no longer count: 1 of 4
  BOOST_TEST(r.breaker.state() == BreakerState::closed);
}

BOOST_AUTO_TEST_CASE(half_opens_after_a_while_and_closes_after_its_probes) {
  Rig r;
  r.calls(0, 4);
  r.now += 4s;
  BOOST_TEST(r.breaker.state() == BreakerState::open);
  r.now += 1s;
  BOOST_TEST(r.breaker.state() == BreakerState::half_open);
  BOOST_TEST(r.breaker.allow());
  BOOST_TEST(!r.breaker.reopens_at().has_value());
  r.calls(1, 0);
  BOOST_TEST(r.breaker.state() == BreakerState::half_open);
  r.calls(1, 0);
  BOOST_TEST(r.breaker.state() == BreakerState::closed);
  BOOST_TEST(r.counters.breaker_closed.load() == 1u);
  r.calls(0, 1);  // the failures that opened it are forgotten
  BOOST_TEST(r.breaker.state() == BreakerState::closed);
}

BOOST_AUTO_TEST_CASE(a_failed_or_slow_probe_opens_it_again) {
  Rig r;
  r.calls(0, 4);
  r.now += 5s;
  r.calls(1, 0);
  r.calls(0, 1);
  BOOST_TEST(r.breaker.state() == BreakerState::open);
  BOOST_TEST((*r.breaker.reopens_at() == r.now + 5s));
  r.now += 5s;
  r.calls(1, 0, 3s);
  BOOST_TEST(r.breaker.state() == BreakerState::open);
}

BOOST_AUTO_TEST_SUITE_END()
