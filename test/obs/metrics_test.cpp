// Tests for the gateway's Prometheus metrics as they appear in the text exposition.
#define BOOST_TEST_MODULE metrics
#include <boost/test/unit_test.hpp>

#include <string>
#include <thread>
#include <vector>

#include "obs/metrics.hpp"

namespace {

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(counts_messages_by_command_and_outcome) {
  obs::Metrics metrics;
  metrics.message("11", "ok");
  metrics.message("11", "ok");
  metrics.message("11", "refused");
  metrics.message("23", "bad_checksum");
  const auto text = metrics.serialize();
  BOOST_TEST(has_line(text, "# TYPE sip2_messages_total counter"), text);
  BOOST_TEST(has_line(text, R"(sip2_messages_total{command="11",outcome="ok"} 2)"), text);
  BOOST_TEST(has_line(text, R"(sip2_messages_total{command="11",outcome="refused"} 1)"), text);
  BOOST_TEST(has_line(text, R"(sip2_messages_total{command="23",outcome="bad_checksum"} 1)"), text);
}

BOOST_AUTO_TEST_CASE(records_request_latency_in_buckets) {
  obs::Metrics metrics;
  metrics.latency("23", 0.0007);
  metrics.latency("23", 3.0);
  const auto text = metrics.serialize();
  BOOST_TEST(has_line(text, "# TYPE sip2_request_duration_seconds histogram"), text);
  BOOST_TEST(has_line(text, R"(sip2_request_duration_seconds_bucket{command="23",le="0.0005"} 0)"),
             text);
  BOOST_TEST(has_line(text, R"(sip2_request_duration_seconds_bucket{command="23",le="0.001"} 1)"),
             text);
  BOOST_TEST(has_line(text, R"(sip2_request_duration_seconds_bucket{command="23",le="5"} 2)"),
             text);
  BOOST_TEST(has_line(text, R"(sip2_request_duration_seconds_bucket{command="23",le="+Inf"} 2)"),
             text);
  BOOST_TEST(has_line(text, R"(sip2_request_duration_seconds_count{command="23"} 2)"), text);
}

BOOST_AUTO_TEST_CASE(tracks_open_sessions_and_why_they_closed) {
  obs::Metrics metrics;
  metrics.session_opened("kiosks");
  metrics.session_opened("kiosks");
  metrics.session_opened("amh");
  metrics.session_closed("kiosks", "idle_timeout");
  const auto text = metrics.serialize();
  BOOST_TEST(has_line(text, R"(sip2_sessions{listener="kiosks"} 1)"), text);
  BOOST_TEST(has_line(text, R"(sip2_sessions{listener="amh"} 1)"), text);
  BOOST_TEST(
      has_line(text, R"(sip2_sessions_closed_total{listener="kiosks",reason="idle_timeout"} 1)"),
      text);
}

BOOST_AUTO_TEST_CASE(counts_refusals_frame_errors_and_logins) {
  obs::Metrics metrics;
  metrics.connection_refused("kiosks", "cidr");
  metrics.frame_error("too_long");
  metrics.login("ok");
  metrics.login("bad_password");
  const auto text = metrics.serialize();
  BOOST_TEST(has_line(text, R"(sip2_connections_refused_total{listener="kiosks",reason="cidr"} 1)"),
             text);
  BOOST_TEST(has_line(text, R"(sip2_frame_errors_total{kind="too_long"} 1)"), text);
  BOOST_TEST(has_line(text, R"(sip2_logins_total{outcome="ok"} 1)"), text);
  BOOST_TEST(has_line(text, R"(sip2_logins_total{outcome="bad_password"} 1)"), text);
}

BOOST_AUTO_TEST_CASE(counts_backend_calls_and_their_duration) {
  obs::Metrics metrics;
  metrics.backend_call("circulation.check-out", "ok", 0.2);
  metrics.backend_call("circulation.check-out", "timeout", 10.5);
  const auto text = metrics.serialize();
  BOOST_TEST(
      has_line(text,
               R"(sip2gw_backend_calls_total{operation="circulation.check-out",outcome="ok"} 1)"),
      text);
  BOOST_TEST(
      has_line(
          text,
          R"(sip2gw_backend_calls_total{operation="circulation.check-out",outcome="timeout"} 1)"),
      text);
  BOOST_TEST(
      has_line(
          text,
          R"(sip2gw_backend_call_duration_seconds_bucket{operation="circulation.check-out",le="0.25"} 1)"),
      text);
  BOOST_TEST(
      has_line(
          text,
          R"(sip2gw_backend_call_duration_seconds_count{operation="circulation.check-out"} 2)"),
      text);
}

BOOST_AUTO_TEST_CASE(sets_a_generic_gauge_by_name) {
  obs::Metrics metrics;
  metrics.set_gauge("sip2gw_outbox_depth", "Jobs waiting in the outbox.", 3);
  metrics.set_gauge("sip2gw_outbox_depth", "Jobs waiting in the outbox.", 5);
  const auto text = metrics.serialize();
  BOOST_TEST(has_line(text, "# HELP sip2gw_outbox_depth Jobs waiting in the outbox."), text);
  BOOST_TEST(has_line(text, "sip2gw_outbox_depth 5"), text);
}

BOOST_AUTO_TEST_CASE(drops_a_gauge_with_an_invalid_or_taken_name) {
  obs::Metrics metrics;
  metrics.message("11", "ok");
  metrics.set_gauge("not a name", "bad", 1);
  metrics.set_gauge("sip2_messages_total", "clash with a counter", 1);
  metrics.set_gauge("sip2_messages_total", "clash with a counter", 2);
  const auto text = metrics.serialize();
  BOOST_TEST(text.find("not a name") == std::string::npos, text);
  BOOST_TEST(text.find("clash") == std::string::npos, text);
  BOOST_TEST(has_line(text, R"(sip2_messages_total{command="11",outcome="ok"} 1)"), text);
}

BOOST_AUTO_TEST_CASE(clamps_label_values_from_untrusted_input) {
  obs::Metrics metrics;
  metrics.message(std::string("\n\"9\x01", 4), "ok");
  metrics.frame_error(std::string(100, 'k'));
  const auto text = metrics.serialize();
  BOOST_TEST(has_line(text, R"(sip2_messages_total{command="_\"9_",outcome="ok"} 1)"), text);
  BOOST_TEST(has_line(text, "sip2_frame_errors_total{kind=\"" + std::string(64, 'k') + "\"} 1"),
             text);
}

BOOST_AUTO_TEST_CASE(folds_label_sets_beyond_the_limit_into_other) {
  obs::Metrics metrics;
  for (int i = 0; i < 1100; ++i)
    metrics.message(std::to_string(i), "ok");
  metrics.message("5", "ok");
  const auto text = metrics.serialize();
  BOOST_TEST(has_line(text, R"(sip2_messages_total{command="other",outcome="other"} 100)"), text);
  BOOST_TEST(has_line(text, R"(sip2_messages_total{command="5",outcome="ok"} 2)"), text);
}

BOOST_AUTO_TEST_CASE(adds_up_increments_from_many_threads) {
  obs::Metrics metrics;
  std::vector<std::thread> workers;
  for (int t = 0; t < 4; ++t) {
    workers.emplace_back([&metrics, t] {
      for (int i = 0; i < 10000; ++i) {
        metrics.message(t % 2 == 0 ? "11" : "09", "ok");
        metrics.latency("11", 0.001);
      }
    });
  }
  for (auto& w : workers)
    w.join();
  const auto text = metrics.serialize();
  BOOST_TEST(has_line(text, R"(sip2_messages_total{command="11",outcome="ok"} 20000)"), text);
  BOOST_TEST(has_line(text, R"(sip2_messages_total{command="09",outcome="ok"} 20000)"), text);
  BOOST_TEST(has_line(text, R"(sip2_request_duration_seconds_count{command="11"} 40000)"), text);
}
