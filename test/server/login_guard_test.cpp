// Terminal-login brute-force limits: per address and per account, bounded tables.
#define BOOST_TEST_MODULE server_login_guard
#include <boost/test/unit_test.hpp>

#include "server/login_guard.hpp"
#include "server/lru_map.hpp"

using namespace std::chrono_literals;
using server::LoginGuard;

namespace {

config::Limits limits() {
  config::Limits l;
  l.login_failures_before_delay = 3;
  l.login_failures_before_close = 5;
  l.login_failures_per_account = 8;
  l.login_failure_window = 300s;
  return l;
}

const LoginGuard::time_point t0{std::chrono::hours(1)};

}  // namespace

BOOST_AUTO_TEST_CASE(address_is_slowed_then_refused_before_hashing) {
  LoginGuard g;
  const auto l = limits();
  for (int i = 1; i <= 4; ++i) {
    BOOST_TEST(g.check("k1", "192.0.2.1", l, t0).allowed);
    const auto v = g.failed("k1", "192.0.2.1", l, t0);
    BOOST_TEST((v.delay.count() > 0) == (i >= 3));
  }
  BOOST_TEST(g.check("k1", "192.0.2.1", l, t0).allowed);
  BOOST_TEST(g.failed("k1", "192.0.2.1", l, t0).close);
  const auto refused = g.check("k1", "192.0.2.1", l, t0 + 10s);
  BOOST_TEST(!refused.allowed);
  BOOST_TEST(refused.close);
  BOOST_TEST(g.check("k1", "192.0.2.1", l, t0 + 301s).allowed, "the window passed");
}

BOOST_AUTO_TEST_CASE(success_does_not_clear_an_address_failures) {
  LoginGuard g;
  const auto l = limits();
  for (int i = 0; i < 4; ++i)
    (void)g.failed("other", "192.0.2.1", l, t0);
  g.succeeded("k1", "192.0.2.1");  // a valid account cannot launder guesses at another
  (void)g.failed("other", "192.0.2.1", l, t0);
  BOOST_TEST(!g.check("other", "192.0.2.1", l, t0).allowed);
}

BOOST_AUTO_TEST_CASE(guessed_account_still_admits_its_known_kiosks) {
  LoginGuard g;
  const auto l = limits();
  g.succeeded("k1", "192.0.2.50");  // the kiosk logged in before the campaign
  for (int i = 0; i < 8; ++i)       // guesses from many addresses, none over its own limit
    (void)g.failed("k1", "198.51.100." + std::to_string(i), l, t0);
  const auto stranger = g.check("k1", "203.0.113.9", l, t0);
  BOOST_TEST(!stranger.allowed);
  BOOST_TEST(stranger.reason == "account");
  BOOST_TEST(g.check("k1", "192.0.2.50", l, t0).allowed);
  BOOST_TEST(g.check("k2", "203.0.113.9", l, t0).allowed, "other accounts are not affected");
}

BOOST_AUTO_TEST_CASE(unknown_account_names_are_guarded_like_known_ones) {
  LoginGuard g;
  const auto l = limits();
  for (int i = 0; i < 8; ++i)
    (void)g.failed("no-such-kiosk", "198.51.100." + std::to_string(i), l, t0);
  BOOST_TEST(!g.check("no-such-kiosk", "203.0.113.9", l, t0).allowed);
}

BOOST_AUTO_TEST_CASE(tables_forget_the_least_recently_used_never_everything) {
  LoginGuard g(16);
  const auto l = limits();
  for (int i = 0; i < 5; ++i)
    (void)g.failed("k1", "192.0.2.1", l, t0);
  for (int i = 0; i < 14; ++i)  // a spray of addresses fills the table...
    (void)g.failed("spray", "10.0.0." + std::to_string(i), l, t0);
  BOOST_TEST(!g.check("k1", "192.0.2.1", l, t0).allowed);  // ...and the refusal stays
  for (int i = 14; i < 40; ++i)
    (void)g.failed("spray", "10.0.0." + std::to_string(i), l, t0);
  BOOST_TEST(g.check("k1", "192.0.2.1", l, t0).allowed, "least recently used is forgotten");
}

BOOST_AUTO_TEST_CASE(lru_map_evicts_oldest_and_refreshes_on_use) {
  server::LruMap<int> m(2);
  m.get("a") = 1;
  m.get("b") = 2;
  (void)m.get("a");
  m.get("c") = 3;
  BOOST_TEST(m.find("b") == nullptr);
  BOOST_TEST(*m.find("a") == 1);
  BOOST_TEST(*m.find("c") == 3);
  m.set_capacity(1);
  BOOST_TEST(m.size() == 1u);
}
