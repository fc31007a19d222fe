// Sessions over an in-memory channel on a manual clock: deadlines, drain and the exception
// boundary, with no socket and no wall-clock pacing.
#define BOOST_TEST_MODULE server_session
#include <boost/test/unit_test.hpp>

#include "session_rig.hpp"

using namespace std::chrono_literals;
using server::test::kLogin;
using server::test::SessionRig;

namespace {

std::function<void(nlohmann::json&)> limits(nlohmann::json values) {
  return [values](nlohmann::json& c) { c["limits"] = values; };
}

/// Pipelines `n` status requests (answered even before login) without reading the answers.
void pipeline_status(net::MemoryPeer& peer, int n) {
  std::string burst;
  for (int i = 0; i < n; ++i)
    burst += "9900302.00\r";
  peer.send(burst);
}

bool metric_has(SessionRig& rig, const std::string& text) {
  return rig.metrics().serialize().find(text) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(peer_that_stops_reading_is_cut_off_at_write_timeout) {
  SessionRig rig(limits(
      {{"write_timeout_seconds", 30}, {"login_timeout_seconds", 600}, {"pre_login_burst", 1000}}));
  auto kiosk = rig.open();
  kiosk.set_receive_capacity(16);  // the kiosk's buffers are full: it stopped reading
  pipeline_status(kiosk, 50);
  BOOST_REQUIRE(rig.run_until([&] { return kiosk.writer_blocked(); }));
  rig.advance(29s);
  BOOST_TEST(!kiosk.closed(), "closed before the write timeout");
  rig.advance(2s);
  BOOST_TEST(rig.run_until([&] { return kiosk.closed(); }), "still open after the write timeout");
  BOOST_TEST(rig.run_until([&] { return rig.hub().connections.total() == 0; }));
  BOOST_TEST(metric_has(rig, "reason=\"write_timeout\""));
}

BOOST_AUTO_TEST_CASE(login_timeout_is_absolute_even_while_a_write_is_blocked) {
  SessionRig rig(limits(
      {{"write_timeout_seconds", 3600}, {"login_timeout_seconds", 60}, {"pre_login_burst", 1000}}));
  auto kiosk = rig.open();
  kiosk.set_receive_capacity(16);
  pipeline_status(kiosk, 50);
  BOOST_REQUIRE(rig.run_until([&] { return kiosk.writer_blocked(); }));
  rig.advance(59s);
  BOOST_TEST(!kiosk.closed());
  rig.advance(2s);
  BOOST_TEST(rig.run_until([&] { return kiosk.closed(); }), "still open after the login timeout");
  BOOST_TEST(metric_has(rig, "reason=\"login_timeout\""));
}

BOOST_AUTO_TEST_CASE(login_timeout_counts_from_accept_whatever_the_peer_sends) {
  SessionRig rig(limits({{"login_timeout_seconds", 60}}));
  auto kiosk = rig.open();
  for (int i = 0; i < 5; ++i) {
    BOOST_TEST(rig.exchange(kiosk, "9900302.00").substr(0, 2) == "98");
    rig.advance(11s);
  }
  BOOST_TEST(!kiosk.closed());
  rig.advance(6s);
  BOOST_TEST(rig.run_until([&] { return kiosk.closed(); }));
}

BOOST_AUTO_TEST_CASE(idle_session_is_closed_at_idle_timeout_and_activity_extends_it) {
  SessionRig rig(limits({{"idle_timeout_seconds", 100}}));
  auto kiosk = rig.open();
  BOOST_REQUIRE(rig.exchange(kiosk, kLogin).substr(0, 3) == "941");
  rig.advance(90s);
  BOOST_TEST(rig.exchange(kiosk, "9900302.00").substr(0, 2) == "98");
  rig.advance(90s);
  BOOST_TEST(!kiosk.closed(), "closed although a request came 90 s ago");
  rig.advance(11s);
  BOOST_TEST(rig.run_until([&] { return kiosk.closed(); }));
  BOOST_TEST(metric_has(rig, "reason=\"idle_timeout\""));
}

BOOST_AUTO_TEST_CASE(dribbled_frame_is_cut_at_partial_frame_timeout_from_its_first_byte) {
  SessionRig rig(limits({{"partial_frame_timeout_seconds", 10}}));
  auto kiosk = rig.open();
  BOOST_REQUIRE(rig.exchange(kiosk, kLogin).substr(0, 3) == "941");
  for (char c : std::string("9900302")) {
    kiosk.send(std::string(1, c));
    rig.advance(1s);
  }
  BOOST_TEST(!kiosk.closed());
  rig.advance(4s);
  BOOST_TEST(rig.run_until([&] { return kiosk.closed(); }));
  BOOST_TEST(metric_has(rig, "reason=\"partial_frame_timeout\""));
}

BOOST_AUTO_TEST_CASE(drain_closes_an_idle_session_at_once_and_a_blocked_one_at_its_write_timeout) {
  SessionRig rig(limits({{"write_timeout_seconds", 20}}));
  auto idle = rig.open();
  auto stuck = rig.open();
  BOOST_REQUIRE(rig.exchange(idle, kLogin).substr(0, 3) == "941");
  BOOST_REQUIRE(rig.exchange(stuck, kLogin).substr(0, 3) == "941");
  stuck.set_receive_capacity(0);
  pipeline_status(stuck, 3);
  BOOST_REQUIRE(rig.run_until([&] { return stuck.writer_blocked(); }));
  rig.hub().sessions.stop_all();
  BOOST_TEST(rig.run_until([&] { return idle.closed(); }));
  BOOST_TEST(!stuck.closed(), "the blocked write gets its write timeout");
  rig.advance(21s);
  BOOST_TEST(rig.run_until([&] { return stuck.closed(); }));
  BOOST_TEST(rig.run_until([&] { return rig.hub().sessions.size() == 0; }));
}

BOOST_AUTO_TEST_CASE(exception_in_a_session_closes_it_and_releases_everything) {
  SessionRig rig;
  auto kiosk = rig.open();
  BOOST_REQUIRE(rig.exchange(kiosk, kLogin).substr(0, 3) == "941");
  BOOST_TEST(rig.hub().sessions.size() == 1u);
  kiosk.throw_on_next_read();
  BOOST_TEST(rig.run_until([&] { return kiosk.closed(); }));
  BOOST_TEST(rig.run_until([&] { return rig.sessions_running() == 0; }));
  BOOST_TEST(rig.hub().sessions.size() == 0u, "the drain still points at a dead session");
  BOOST_TEST(rig.clock().waiting() == 0u, "the watchdog outlived its session");
  BOOST_TEST(metric_has(rig, "reason=\"error\""));
}

BOOST_AUTO_TEST_CASE(frame_with_wrong_checksum_is_never_executed_even_when_read_leniently) {
  SessionRig rig;
  auto kiosk = rig.open();
  BOOST_REQUIRE(rig.exchange(kiosk, kLogin).substr(0, 3) == "941");
  // A control byte makes strict decode fail before the checksum is looked at; AZ is wrong.
  const auto reply = rig.exchange(kiosk, std::string("9900302.00\x01") + "AY1AZ0000");
  BOOST_TEST(reply.substr(0, 2) == "96");
}

BOOST_AUTO_TEST_CASE(connection_slots_are_released_by_their_owner) {
  server::ConnectionTable table;
  config::Limits l;
  l.max_connections = 2;
  l.max_connections_per_address = 1;
  {
    auto a = table.admit("192.0.2.1", l);
    BOOST_REQUIRE(a.has_value());
    BOOST_TEST(!table.admit("192.0.2.1", l).has_value());
    auto b = table.admit("192.0.2.2", l);
    BOOST_REQUIRE(b.has_value());
    BOOST_TEST(!table.admit("192.0.2.3", l).has_value());
    BOOST_TEST(!b->move_to("192.0.2.1", 1), "moved onto an address at its limit");
    BOOST_TEST(b->move_to("198.51.100.7", 1));
    BOOST_TEST(table.from("192.0.2.2") == 0u);
    BOOST_TEST(table.from("198.51.100.7") == 1u);
    BOOST_TEST(table.total() == 2u);
  }
  BOOST_TEST(table.total() == 0u);
  BOOST_TEST(table.from("192.0.2.1") == 0u);
}

BOOST_AUTO_TEST_CASE(unknown_account_costs_an_argon2_run_like_a_known_one) {
  SessionRig rig;
  auto kiosk = rig.open();
  const auto before = rig.auth().argon2_runs();
  BOOST_TEST(rig.exchange(kiosk, "9300CNkiosk1|COwrong|").substr(0, 3) == "940");
  const auto known = rig.auth().argon2_runs() - before;
  BOOST_TEST(rig.exchange(kiosk, "9300CNnobody|COwrong|").substr(0, 3) == "940");
  const auto unknown = rig.auth().argon2_runs() - before - known;
  BOOST_TEST(known == 1u);
  BOOST_TEST(unknown == 1u);
}

BOOST_AUTO_TEST_CASE(remembered_login_is_answered_while_the_crypto_queue_is_full) {
  SessionRig rig([](nlohmann::json& c) { c["workers"]["crypto_queue_limit"] = 1; });
  auto first = rig.open("192.0.2.20");
  BOOST_REQUIRE(rig.exchange(first, kLogin).substr(0, 3) == "941");  // now remembered
  rig.hub().crypto_jobs = 1;  // the queue is full of someone's guesses
  auto again = rig.open("192.0.2.21");
  BOOST_TEST(rig.exchange(again, kLogin).substr(0, 3) == "941");
  auto guess = rig.open("192.0.2.22");
  const auto runs = rig.auth().argon2_runs();
  BOOST_TEST(rig.exchange(guess, "9300CNkiosk1|COguess|").substr(0, 3) == "940");
  BOOST_TEST(rig.auth().argon2_runs() == runs, "a full queue must refuse without hashing");
  rig.hub().crypto_jobs = 0;
}

BOOST_AUTO_TEST_CASE(address_over_its_failure_limit_is_refused_without_hashing_and_closed) {
  SessionRig rig([](nlohmann::json& c) {
    c["limits"]["login_failures_before_delay"] = 100;
    c["limits"]["login_failures_before_close"] = 3;
  });
  for (int i = 0; i < 2; ++i) {
    auto k = rig.open("198.51.100.4");
    BOOST_TEST(rig.exchange(k, "9300CNkiosk1|COguess|").substr(0, 3) == "940");
  }
  auto k = rig.open("198.51.100.4");
  BOOST_TEST(rig.exchange(k, "9300CNkiosk1|COguess|").substr(0, 3) == "940");
  BOOST_TEST(rig.run_until([&] { return k.closed(); }));
  const auto runs = rig.auth().argon2_runs();
  auto late = rig.open("198.51.100.4");
  BOOST_TEST(rig.exchange(late, kLogin).substr(0, 3) == "940", "right password, locked address");
  BOOST_TEST(rig.auth().argon2_runs() == runs);
  auto other = rig.open("192.0.2.30");
  BOOST_TEST(rig.exchange(other, kLogin).substr(0, 3) == "941", "another address is not locked");
}

BOOST_AUTO_TEST_CASE(requests_before_login_are_rate_limited_per_connection) {
  SessionRig rig(limits({{"pre_login_burst", 4}, {"pre_login_per_minute", 60}}));
  auto kiosk = rig.open();
  for (int i = 0; i < 4; ++i)
    BOOST_TEST(rig.exchange(kiosk, "9900302.00").substr(0, 2) == "98");
  rig.advance(1s);  // one more token
  BOOST_TEST(rig.exchange(kiosk, "9900302.00").substr(0, 2) == "98");
  BOOST_TEST(!kiosk.closed());
  pipeline_status(kiosk, 3);
  BOOST_TEST(rig.run_until([&] { return kiosk.closed(); }), "a flood before login is closed");
  BOOST_TEST(metric_has(rig, "reason=\"pre_login_flood\""));
  auto other = rig.open();  // per connection: another kiosk is not affected
  BOOST_TEST(rig.exchange(other, kLogin).substr(0, 3) == "941");
  for (int i = 0; i < 20; ++i)  // and after login there is no such limit
    BOOST_TEST(rig.exchange(other, "9900302.00").substr(0, 2) == "98");
}

BOOST_AUTO_TEST_CASE(reload_closes_sessions_of_a_removed_or_disabled_account) {
  SessionRig rig;
  auto kiosk = rig.open();
  BOOST_REQUIRE(rig.exchange(kiosk, kLogin).substr(0, 3) == "941");
  rig.reload([](nlohmann::json& c) { c["accounts"][0]["enabled"] = false; });
  BOOST_TEST(rig.run_until([&] { return kiosk.closed(); }), "a disabled account stays logged in");
  BOOST_TEST(metric_has(rig, "reason=\"account_removed\""));
  auto again = rig.open();
  BOOST_TEST(rig.exchange(again, kLogin).substr(0, 3) == "940", "a disabled account logs in");
  rig.reload([](nlohmann::json& c) { c["accounts"][0]["login"] = "renamed"; });
  auto other = rig.open();
  BOOST_TEST(rig.exchange(other, "9300CNrenamed|COkiosk-password|CPMAIN|").substr(0, 3) == "941");
  rig.reload({});
  BOOST_TEST(rig.run_until([&] { return other.closed(); }), "a removed account stays logged in");
}

BOOST_AUTO_TEST_CASE(reload_with_a_changed_password_requires_a_new_login) {
  SessionRig rig;
  auto kiosk = rig.open();
  BOOST_REQUIRE(rig.exchange(kiosk, kLogin).substr(0, 3) == "941");
  rig.reload([](nlohmann::json& c) {
    c["accounts"][0]["password_hash"] =
        server::hash_password("new-password", {.memory_kib = 64, .passes = 1});
  });
  BOOST_TEST(!kiosk.closed());
  const auto refused = rig.exchange(kiosk, "1720060110    093000AOMAIN|AB123|");
  BOOST_TEST(refused.substr(0, 2) == "18");
  BOOST_TEST(refused.find("AF") != std::string::npos);
  BOOST_TEST(rig.exchange(kiosk, kLogin).substr(0, 3) == "940", "the old password still works");
  BOOST_TEST(rig.exchange(kiosk, "9300CNkiosk1|COnew-password|CPMAIN|").substr(0, 3) == "941");
}

BOOST_AUTO_TEST_CASE(reload_with_a_changed_profile_applies_at_the_next_request) {
  SessionRig rig;
  auto kiosk = rig.open();
  BOOST_REQUIRE(rig.exchange(kiosk, kLogin).substr(0, 3) == "941");
  BOOST_TEST(rig.exchange(kiosk, "9900302.00").find("\r\n") == std::string::npos);
  rig.reload([](nlohmann::json& c) { c["accounts"][0]["profile"] = "test-crlf-short"; });
  BOOST_TEST(rig.exchange(kiosk, "9900302.00").find("\r\n") != std::string::npos);
  // The profile's frame limit applies too: 400 bytes are over its 300.
  const auto reply = rig.exchange(kiosk, "9900302.00AY1" + std::string(400, 'x'));
  BOOST_TEST(reply.substr(0, 2) == "96");
}

BOOST_AUTO_TEST_CASE(profile_bound_at_login_sets_the_frame_limit) {
  SessionRig rig([](nlohmann::json& c) { c["accounts"][0]["profile"] = "test-crlf-short"; });
  auto kiosk = rig.open();
  BOOST_REQUIRE(rig.exchange(kiosk, kLogin).substr(0, 3) == "941");
  const auto reply = rig.exchange(kiosk, "9900302.00AY1" + std::string(400, 'x'));
  BOOST_TEST(reply.substr(0, 2) == "96");
  BOOST_TEST(rig.exchange(kiosk, "9900302.00").substr(0, 2) == "98", "the session resynchronised");
}

BOOST_AUTO_TEST_CASE(a_profiles_own_match_rules_bind_sessions_by_network_and_by_location) {
  SessionRig rig;
  // By network, at accept: CRLF from the first answer on.
  auto by_network = rig.open("198.51.100.7");
  BOOST_TEST(rig.exchange(by_network, kLogin).ends_with("\r\n"));
  BOOST_TEST(rig.exchange(by_network, "9900302.00").ends_with("\r\n"));
  // By location (CP), at login; the same account elsewhere keeps CR.
  auto by_location = rig.open("192.0.2.9");
  BOOST_TEST(
      rig.exchange(by_location, "9300CNkiosk1|COkiosk-password|CPCRLF-BRANCH|").substr(0, 3) ==
      "941");
  BOOST_TEST(rig.exchange(by_location, "9900302.00").ends_with("\r\n"));
  auto elsewhere = rig.open("192.0.2.10");
  BOOST_TEST(rig.exchange(elsewhere, kLogin).substr(0, 3) == "941");
  BOOST_TEST(rig.exchange(elsewhere, "9900302.00").find("\r\n") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(reconnect_storm_of_one_account_costs_one_argon2_run) {
  SessionRig rig([](nlohmann::json& c) { c["workers"]["crypto_queue_limit"] = 1; });
  std::vector<net::MemoryPeer> kiosks;
  for (int i = 0; i < 50; ++i) {
    kiosks.push_back(rig.open("192.0.2." + std::to_string(i + 1)));
    kiosks.back().send(std::string(kLogin) + "\r");
  }
  std::vector<std::string> replies(kiosks.size());
  BOOST_REQUIRE(rig.run_until([&] {
    bool all = true;
    for (std::size_t i = 0; i < kiosks.size(); ++i) {
      replies[i] += kiosks[i].receive();
      all = all && replies[i].find('\r') != std::string::npos;
    }
    return all;
  }));
  for (const auto& r : replies)
    BOOST_TEST(r.substr(0, 3) == "941", "a kiosk of the storm was refused: " << r);
  BOOST_TEST(rig.auth().argon2_runs() == 1u);
}

BOOST_AUTO_TEST_CASE(idle_timeout_shorter_than_the_login_timeout_applies_right_after_login) {
  SessionRig rig(limits({{"login_timeout_seconds", 600}, {"idle_timeout_seconds", 5}}));
  auto kiosk = rig.open();
  BOOST_REQUIRE(rig.exchange(kiosk, kLogin).substr(0, 3) == "941");
  rig.advance(6s);
  BOOST_TEST(rig.run_until([&] { return kiosk.closed(); }),
             "the watchdog slept past the idle timeout");
}

BOOST_AUTO_TEST_CASE(drain_closes_a_session_waiting_for_a_request_at_once) {
  SessionRig rig;
  auto kiosk = rig.open();
  BOOST_REQUIRE(rig.exchange(kiosk, kLogin).substr(0, 3) == "941");
  rig.hub().sessions.stop_all();
  BOOST_TEST(rig.run_until([&] { return kiosk.closed(); }));
  BOOST_TEST(metric_has(rig, "reason=\"shutdown\""));
}

BOOST_AUTO_TEST_CASE(idle_timeout_shorter_than_the_write_timeout_follows_each_request) {
  SessionRig rig(limits({{"idle_timeout_seconds", 5}, {"write_timeout_seconds", 30}}));
  auto kiosk = rig.open();
  BOOST_REQUIRE(rig.exchange(kiosk, kLogin).substr(0, 3) == "941");
  rig.advance(3s);
  BOOST_TEST(rig.exchange(kiosk, "9900302.00").substr(0, 2) == "98");
  rig.advance(4s);
  BOOST_TEST(!kiosk.closed(), "closed 4 s after a request");
  rig.advance(2s);
  BOOST_TEST(rig.run_until([&] { return kiosk.closed(); }), "still open 6 s after a request");
}
