// Tests for the admin HTTP server over real loopback HTTP with httplib::Client.
#define BOOST_TEST_MODULE admin_server
#include <boost/test/unit_test.hpp>

#include <httplib.h>

#include <atomic>
#include <string>

#include "admin/admin_server.hpp"
#include "obs/metrics.hpp"

namespace {

using admin::AdminServer;

httplib::Client client_for(const std::string& host, std::uint16_t port) {
  httplib::Client client(host, port);
  client.set_connection_timeout(5);
  client.set_read_timeout(5);
  return client;
}

}  // namespace

BOOST_AUTO_TEST_CASE(serves_metrics_health_and_readiness) {
  obs::Metrics metrics;
  metrics.message("11", "ok");
  AdminServer server({[&metrics] { return metrics.serialize(); },
                      [] {
                        return std::pair<bool, std::string>{true, ""};
                      },
                      {}});
  const auto port = server.start("127.0.0.1", 0);
  BOOST_TEST_REQUIRE(port.has_value(), port.error());
  BOOST_TEST(*port != 0);
  auto client = client_for("127.0.0.1", *port);

  const auto scraped = client.Get("/metrics");
  BOOST_TEST_REQUIRE(static_cast<bool>(scraped));
  BOOST_TEST(scraped->status == 200);
  BOOST_TEST(scraped->get_header_value("Content-Type").rfind("text/plain; version=0.0.4", 0) == 0);
  BOOST_TEST(scraped->body.find(R"(sip2_messages_total{command="11",outcome="ok"} 1)") !=
                 std::string::npos,
             scraped->body);

  const auto health = client.Get("/healthz");
  BOOST_TEST_REQUIRE(static_cast<bool>(health));
  BOOST_TEST(health->status == 200);
  BOOST_TEST(health->body == "ok");

  const auto ready = client.Get("/readyz");
  BOOST_TEST_REQUIRE(static_cast<bool>(ready));
  BOOST_TEST(ready->status == 200);
  BOOST_TEST(ready->body == "ready");
}

BOOST_AUTO_TEST_CASE(answers_503_with_the_reason_while_not_ready) {
  std::atomic<bool> ready{false};
  AdminServer server({{},
                      [&ready] {
                        return ready
                                   ? std::pair<bool, std::string>{true, ""}
                                   : std::pair<bool, std::string>{false, "identity cache loading"};
                      },
                      {}});
  const auto port = server.start("127.0.0.1", 0);
  BOOST_TEST_REQUIRE(port.has_value(), port.error());
  auto client = client_for("127.0.0.1", *port);
  const auto before = client.Get("/readyz");
  BOOST_TEST_REQUIRE(static_cast<bool>(before));
  BOOST_TEST(before->status == 503);
  BOOST_TEST(before->body == "identity cache loading");
  ready = true;
  const auto after = client.Get("/readyz");
  BOOST_TEST_REQUIRE(static_cast<bool>(after));
  BOOST_TEST(after->status == 200);
}

BOOST_AUTO_TEST_CASE(answers_404_to_other_paths_and_methods) {
  AdminServer server({});
  const auto port = server.start("127.0.0.1", 0);
  BOOST_TEST_REQUIRE(port.has_value(), port.error());
  auto client = client_for("127.0.0.1", *port);
  const auto unknown = client.Get("/staff");
  BOOST_TEST_REQUIRE(static_cast<bool>(unknown));
  BOOST_TEST(unknown->status == 404);
  const auto post = client.Post("/metrics", "x", "text/plain");
  BOOST_TEST_REQUIRE(static_cast<bool>(post));
  BOOST_TEST(post->status == 404);
}

BOOST_AUTO_TEST_CASE(answers_500_without_details_when_a_hook_throws) {
  AdminServer server({[]() -> std::string { throw std::runtime_error("secret detail"); }, {}, {}});
  const auto port = server.start("127.0.0.1", 0);
  BOOST_TEST_REQUIRE(port.has_value(), port.error());
  auto client = client_for("127.0.0.1", *port);
  const auto res = client.Get("/metrics");
  BOOST_TEST_REQUIRE(static_cast<bool>(res));
  BOOST_TEST(res->status == 500);
  BOOST_TEST(res->body.find("secret") == std::string::npos);
  BOOST_TEST(!res->has_header("EXCEPTION_WHAT"));
}

BOOST_AUTO_TEST_CASE(reports_a_port_that_is_already_taken) {
  AdminServer first({});
  const auto port = first.start("127.0.0.1", 0);
  BOOST_TEST_REQUIRE(port.has_value(), port.error());
  AdminServer second({});
  const auto taken = second.start("127.0.0.1", *port);
  BOOST_TEST_REQUIRE(!taken.has_value());
  BOOST_TEST(taken.error() == "admin.listen: cannot bind 127.0.0.1:" + std::to_string(*port) +
                                  ": Address already in use");
}

BOOST_AUTO_TEST_CASE(refuses_to_start_twice) {
  AdminServer server({});
  const auto port = server.start("127.0.0.1", 0);
  BOOST_TEST_REQUIRE(port.has_value(), port.error());
  const auto again = server.start("127.0.0.1", 0);
  BOOST_TEST_REQUIRE(!again.has_value());
  BOOST_TEST(again.error().find("already serving") != std::string::npos, again.error());
}

BOOST_AUTO_TEST_CASE(stops_promptly_right_after_starting_and_when_stopped_twice) {
  for (int i = 0; i < 20; ++i) {
    AdminServer server({});
    const auto port = server.start("127.0.0.1", 0);
    BOOST_TEST_REQUIRE(port.has_value(), port.error());
    server.stop();
    server.stop();
  }
  AdminServer never_started({});
  never_started.stop();
}

BOOST_AUTO_TEST_CASE(serves_on_ipv6_loopback_when_the_host_has_it) {
  AdminServer server({});
  const auto port = server.start("[::1]", 0);
  if (!port) {
    BOOST_TEST_MESSAGE("no IPv6 loopback here: " << port.error());
    BOOST_TEST(port.error().rfind("admin.listen: cannot bind [::1]:0: ", 0) == 0, port.error());
    return;
  }
  auto client = client_for("::1", *port);
  const auto health = client.Get("/healthz");
  BOOST_TEST_REQUIRE(static_cast<bool>(health));
  BOOST_TEST(health->status == 200);
}

BOOST_AUTO_TEST_CASE(with_a_token_only_healthz_is_open) {
  AdminServer server({[] { return std::string("sip2_sessions 0\n"); },
                      {},
                      [] { return std::string("0123456789abcdef0123"); }});
  const auto port = server.start("127.0.0.1", 0);
  BOOST_TEST_REQUIRE(port.has_value(), port.error());
  auto c = client_for("127.0.0.1", *port);
  auto open = c.Get("/metrics");
  BOOST_TEST_REQUIRE(static_cast<bool>(open));
  BOOST_TEST(open->status == 401);
  BOOST_TEST(open->get_header_value("WWW-Authenticate").rfind("Bearer", 0) == 0u);
  BOOST_TEST(open->body.find("sip2_sessions") == std::string::npos);
  auto wrong = c.Get("/metrics", {{"Authorization", "Bearer 0123456789abcdef0124"}});
  BOOST_TEST(wrong->status == 401);
  auto shorter = c.Get("/readyz", {{"Authorization", "Bearer 0123"}});
  BOOST_TEST(shorter->status == 401);
  auto right = c.Get("/metrics", {{"Authorization", "Bearer 0123456789abcdef0123"}});
  BOOST_TEST(right->status == 200);
  BOOST_TEST(c.Get("/healthz")->status == 200);
  server.stop();
}
