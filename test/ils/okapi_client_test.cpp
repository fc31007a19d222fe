// The FOLIO backend over real HTTP: login, token refresh and renewal, headers, deadlines,
// error mapping, connection reuse and the metrics observer, against an in-process fake Okapi.
#define BOOST_TEST_MODULE ils_okapi_client
#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>

#include "fake_folio.hpp"

using namespace std::chrono_literals;
using fake::FakeFolio;

namespace {

/// A FakeFolio serving the fixture user and its patron group.
struct UsersServer {
  FakeFolio folio;
  UsersServer() {
    folio.server().Get("/users", [this](const httplib::Request& req, httplib::Response& res) {
      if (folio.refuse_unless_authorized(req, res)) return;
      res.set_content(fake::users_body(), "application/json");
    });
    folio.server().Get(
        R"(/bl-users/by-id/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
          if (folio.refuse_unless_authorized(req, res)) return;
          res.set_content(R"({"patronGroup":{"group":"undergrad"}})", "application/json");
        });
    folio.start();
  }
};

bool is(const ils::Failure& failure, ils::errc code) {
  return failure.code == code;
}

}  // namespace

BOOST_AUTO_TEST_CASE(logs_in_once_and_sends_okapi_headers_on_every_call) {
  UsersServer s;
  auto config = s.folio.config();
  config.base_url += "/";  // tolerated: paths never get a double slash
  auto backend = ils::folio::make_backend(config);
  for (int i = 0; i < 2; ++i) {
    auto patron = backend->lookup_patron(fake::context(), " 929074568588779 ");
    BOOST_TEST_REQUIRE(patron.has_value());
    BOOST_TEST(patron->id == fake::patron_id);
    BOOST_TEST(patron->patron_group == "undergrad");
  }
  const auto logins = s.folio.seen("/authn/login-with-expiry");
  BOOST_TEST_REQUIRE(logins.size() == 1U);
  BOOST_TEST(logins[0].header("X-Okapi-Tenant") == "diku");
  BOOST_TEST(logins[0].header("X-Okapi-Token").empty());
  BOOST_TEST(logins[0].json()["username"] == "sip2gw");

  const auto lookups = s.folio.seen("/users");
  BOOST_TEST_REQUIRE(lookups.size() == 2U);
  for (const auto& seen : lookups) {
    BOOST_TEST(seen.header("X-Okapi-Tenant") == "diku");
    BOOST_TEST(seen.header("X-Okapi-Token") == "access-1");
    BOOST_TEST(seen.header("X-Okapi-Request-Id") == "req-1234");
    BOOST_TEST(seen.header("accept") == "application/json");
    BOOST_TEST(seen.param("query") ==
               R"(barcode=="929074568588779" or externalSystemId=="929074568588779")");
  }
  BOOST_TEST(s.folio.seen("/bl-users/by-id/" + std::string(fake::patron_id)).size() == 2U);
}

BOOST_AUTO_TEST_CASE(refreshes_the_token_before_it_expires) {
  UsersServer s;
  s.folio.access_max_age = 1;  // shorter than the refresh margin: due again at once
  auto backend = ils::folio::make_backend(s.folio.config());
  BOOST_TEST_REQUIRE(backend->lookup_patron(fake::context(), "929074568588779").has_value());
  BOOST_TEST_REQUIRE(backend->lookup_patron(fake::context(), "929074568588779").has_value());

  BOOST_TEST(s.folio.count("/authn/login-with-expiry") == 1U);
  const auto refreshes = s.folio.seen("/authn/refresh");
  BOOST_TEST_REQUIRE(refreshes.size() >= 1U);
  BOOST_TEST(refreshes[0].header("Cookie") == "folioRefreshToken=refresh-1");
  BOOST_TEST(refreshes[0].header("X-Okapi-Tenant") == "diku");
  BOOST_TEST(s.folio.seen("/users").back().header("X-Okapi-Token") != "access-1");
}

BOOST_AUTO_TEST_CASE(keeps_a_token_that_is_far_from_expiry) {
  UsersServer s;
  s.folio.access_max_age = 600;
  auto backend = ils::folio::make_backend(s.folio.config());
  for (int i = 0; i < 3; ++i)
    BOOST_TEST_REQUIRE(backend->lookup_patron(fake::context(), "929074568588779").has_value());
  BOOST_TEST(s.folio.count("/authn/refresh") == 0U);
  BOOST_TEST(s.folio.count("/authn/login-with-expiry") == 1U);
}

BOOST_AUTO_TEST_CASE(logs_in_again_when_the_refresh_is_refused) {
  UsersServer s;
  s.folio.access_max_age = 1;
  s.folio.refresh_status = 401;
  auto backend = ils::folio::make_backend(s.folio.config());
  BOOST_TEST_REQUIRE(backend->lookup_patron(fake::context(), "929074568588779").has_value());
  BOOST_TEST_REQUIRE(backend->lookup_patron(fake::context(), "929074568588779").has_value());
  // Every call finds the one-second token due; each refused refresh is followed by a login.
  const std::size_t refreshes = s.folio.count("/authn/refresh");
  BOOST_TEST(refreshes >= 1U);
  BOOST_TEST(s.folio.count("/authn/login-with-expiry") == refreshes + 1);
}

BOOST_AUTO_TEST_CASE(logs_in_again_after_a_401_and_retries_once) {
  UsersServer s;
  auto backend = ils::folio::make_backend(s.folio.config());
  BOOST_TEST_REQUIRE(backend->lookup_patron(fake::context(), "929074568588779").has_value());
  s.folio.revoke_tokens();
  auto again = backend->lookup_patron(fake::context(), "929074568588779");
  BOOST_TEST_REQUIRE(again.has_value());
  BOOST_TEST(s.folio.count("/authn/login-with-expiry") == 2U);
  BOOST_TEST(s.folio.count("/authn/refresh") == 0U);
  const auto lookups = s.folio.seen("/users");
  BOOST_TEST_REQUIRE(lookups.size() == 3U);
  BOOST_TEST(lookups[1].header("X-Okapi-Token") == "access-1");
  BOOST_TEST(lookups[2].header("X-Okapi-Token") == "access-2");
}

BOOST_AUTO_TEST_CASE(gives_up_with_unauthorized_after_a_second_401) {
  FakeFolio folio;
  folio.server().Get("/users", [](const httplib::Request&, httplib::Response& res) {
    res.status = 401;
    res.set_content("Token missing", "text/plain");
  });
  folio.start();
  auto backend = ils::folio::make_backend(folio.config());
  auto patron = backend->lookup_patron(fake::context(), "929074568588779");
  BOOST_TEST_REQUIRE(!patron.has_value());
  BOOST_TEST(is(patron.error(), ils::errc::unauthorized));
  BOOST_TEST(folio.count("/users") == 2U);
}

BOOST_AUTO_TEST_CASE(refused_gateway_login_is_unauthorized_with_folio_message) {
  UsersServer s;
  auto config = s.folio.config();
  config.password = "wrong";
  auto backend = ils::folio::make_backend(config);
  auto patron = backend->lookup_patron(fake::context(), "929074568588779");
  BOOST_TEST_REQUIRE(!patron.has_value());
  BOOST_TEST(is(patron.error(), ils::errc::unauthorized));
  BOOST_TEST(patron.error().message == "Wrong username or password or account is blocked");
  BOOST_TEST(s.folio.count("/users") == 0U);
}

BOOST_AUTO_TEST_CASE(times_out_promptly_when_folio_stalls_past_the_deadline) {
  FakeFolio folio;
  folio.server().Get("/users", [&folio](const httplib::Request&, httplib::Response& res) {
    folio.stall();
    res.set_content(fake::users_body(), "application/json");
  });
  folio.start();
  auto backend = ils::folio::make_backend(folio.config());
  const auto start = std::chrono::steady_clock::now();
  auto patron = backend->lookup_patron(fake::context(300ms), "929074568588779");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  folio.release();
  BOOST_TEST_REQUIRE(!patron.has_value());
  BOOST_TEST(is(patron.error(), ils::errc::timeout));
  BOOST_TEST((elapsed >= 250ms));
  BOOST_TEST((elapsed < 2s));
}

BOOST_AUTO_TEST_CASE(deadline_covers_the_login) {
  FakeFolio folio;
  folio.stall_login = true;
  folio.start();
  auto backend = ils::folio::make_backend(folio.config());
  const auto start = std::chrono::steady_clock::now();
  auto patron = backend->lookup_patron(fake::context(300ms), "929074568588779");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  folio.release();
  BOOST_TEST_REQUIRE(!patron.has_value());
  BOOST_TEST(is(patron.error(), ils::errc::timeout));
  BOOST_TEST((elapsed < 2s));
  BOOST_TEST(folio.count("/users") == 0U);
}

BOOST_AUTO_TEST_CASE(maps_422_errors_to_rejected_with_folio_message) {
  FakeFolio folio;
  folio.server().Post("/circulation/check-out-by-barcode",
                      [](const httplib::Request&, httplib::Response& res) {
                        res.status = 422;
                        res.set_content(fake::fixture("check-out-422.json"), "application/json");
                      });
  folio.start();
  auto backend = ils::folio::make_backend(folio.config());
  auto loan = backend->checkout(fake::context(),
                                {{fake::patron_id, "929074568588779"}, "326547658598", ""});
  BOOST_TEST_REQUIRE(!loan.has_value());
  BOOST_TEST(is(loan.error(), ils::errc::rejected));
  BOOST_TEST(loan.error().message ==
             "Item is already checked out; Patron has reached maximum limit of 5 items for loan "
             "type");
  const auto body = folio.seen("/circulation/check-out-by-barcode").at(0).json();
  BOOST_TEST(body["itemBarcode"] == "326547658598");
  BOOST_TEST(body["userBarcode"] == "929074568588779");
  BOOST_TEST(body["servicePointId"] == fake::service_point);
}

BOOST_AUTO_TEST_CASE(maps_500_to_unavailable) {
  FakeFolio folio;
  folio.server().Get("/users", [](const httplib::Request&, httplib::Response& res) {
    res.status = 500;
    res.set_content("Internal server error", "text/plain");
  });
  folio.start();
  auto backend = ils::folio::make_backend(folio.config());
  auto patron = backend->lookup_patron(fake::context(), "929074568588779");
  BOOST_TEST_REQUIRE(!patron.has_value());
  BOOST_TEST(is(patron.error(), ils::errc::unavailable));
}

BOOST_AUTO_TEST_CASE(maps_404_and_an_empty_search_to_not_found) {
  FakeFolio folio;
  folio.server().Get("/users", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"users":[],"totalRecords":0})", "application/json");
  });
  folio.server().Get(R"(/circulation/requests/(.+))",
                     [](const httplib::Request&, httplib::Response& res) {
                       res.status = 404;
                       res.set_content("Not found", "text/plain");
                     });
  folio.start();
  auto backend = ils::folio::make_backend(folio.config());
  auto patron = backend->lookup_patron(fake::context(), "nobody");
  BOOST_TEST_REQUIRE(!patron.has_value());
  BOOST_TEST(is(patron.error(), ils::errc::not_found));
  auto hold = backend->cancel_hold(
      fake::context(),
      {{fake::patron_id, "929074568588779"}, "10101", "dd238b5b-01fc-4205-83b8-ce27a650d827"});
  BOOST_TEST_REQUIRE(!hold.has_value());
  BOOST_TEST(is(hold.error(), ils::errc::not_found));
}

BOOST_AUTO_TEST_CASE(unparseable_answer_is_bad_response) {
  FakeFolio folio;
  folio.server().Get("/users", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"users":[{"id": )", "application/json");
  });
  folio.start();
  auto backend = ils::folio::make_backend(folio.config());
  auto patron = backend->lookup_patron(fake::context(), "929074568588779");
  BOOST_TEST_REQUIRE(!patron.has_value());
  BOOST_TEST(is(patron.error(), ils::errc::bad_response));
}

BOOST_AUTO_TEST_CASE(connection_refused_is_unavailable) {
  // A bound socket that never listens: its port refuses connections while we hold it.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  BOOST_TEST_REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BOOST_TEST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  BOOST_TEST_REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);

  ils::folio::FolioConfig config;
  config.base_url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
  config.tenant = "diku";
  auto backend = ils::folio::make_backend(config);
  const auto start = std::chrono::steady_clock::now();
  auto patron = backend->lookup_patron(fake::context(), "929074568588779");
  BOOST_TEST((std::chrono::steady_clock::now() - start < 2s));
  ::close(fd);
  BOOST_TEST_REQUIRE(!patron.has_value());
  BOOST_TEST(is(patron.error(), ils::errc::unavailable));
}

BOOST_AUTO_TEST_CASE(reuses_one_connection_for_sequential_calls) {
  UsersServer s;
  auto backend = ils::folio::make_backend(s.folio.config());
  for (int i = 0; i < 5; ++i)
    BOOST_TEST_REQUIRE(backend->lookup_patron(fake::context(), "929074568588779").has_value());
  std::set<int> ports;
  for (const auto& seen : s.folio.seen())
    ports.insert(seen.remote_port);
  BOOST_TEST(s.folio.seen().size() == 11U);
  BOOST_TEST(ports.size() == 1U);
}

BOOST_AUTO_TEST_CASE(concurrent_calls_share_one_login) {
  UsersServer s;
  auto backend = ils::folio::make_backend(s.folio.config());
  std::atomic<int> ok{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < 6; ++i)
    workers.emplace_back([&] {
      for (int k = 0; k < 5; ++k)
        if (backend->lookup_patron(fake::context(), "929074568588779")) ++ok;
    });
  for (auto& worker : workers)
    worker.join();
  BOOST_TEST(ok == 30);
  BOOST_TEST(s.folio.count("/authn/login-with-expiry") == 1U);
}

BOOST_AUTO_TEST_CASE(reports_every_http_call_to_the_observer) {
  FakeFolio folio;
  folio.server().Get("/users", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(fake::users_body(), "application/json");
  });
  folio.server().Get(R"(/bl-users/by-id/(.+))",
                     [](const httplib::Request&, httplib::Response& res) {
                       res.status = 404;
                       res.set_content("User not found", "text/plain");
                     });
  folio.start();
  std::mutex mutex;
  std::vector<std::pair<std::string, std::error_code>> calls;
  auto backend = ils::folio::make_backend(
      folio.config(),
      [&](std::string_view operation, std::error_code outcome, std::chrono::nanoseconds elapsed) {
        std::lock_guard lock(mutex);
        BOOST_TEST(elapsed.count() > 0);
        calls.emplace_back(std::string(operation), outcome);
      });
  auto patron = backend->lookup_patron(fake::context(), "929074568588779");
  BOOST_TEST_REQUIRE(patron.has_value());
  BOOST_TEST(patron->patron_group.empty());
  BOOST_TEST_REQUIRE(calls.size() == 3U);
  BOOST_TEST(calls[0].first == "authn.login");
  BOOST_TEST(!calls[0].second);
  BOOST_TEST(calls[1].first == "users.lookup");
  BOOST_TEST(!calls[1].second);
  BOOST_TEST(calls[2].first == "users.patron-group");
  BOOST_TEST((calls[2].second == ils::errc::not_found));
}

BOOST_AUTO_TEST_CASE(refuses_a_hostile_identifier_without_calling_folio) {
  UsersServer s;
  auto backend = ils::folio::make_backend(s.folio.config());
  for (const std::string& bad :
       std::vector<std::string>{"", "   ", "12\r34", std::string(300, '9')}) {
    auto patron = backend->lookup_patron(fake::context(), bad);
    BOOST_TEST_REQUIRE(!patron.has_value());
    BOOST_TEST(is(patron.error(), ils::errc::invalid_identifier));
  }
  BOOST_TEST(s.folio.seen().empty());
  // The fake answers with a user whatever the query: no field holds the quoted text, so no match.
  auto injected = backend->lookup_patron(fake::context(), R"(x" or active==true)");
  BOOST_TEST_REQUIRE(!injected.has_value());
  BOOST_TEST(is(injected.error(), ils::errc::not_found));
  BOOST_TEST(s.folio.seen("/users").at(0).param("query") ==
             R"(barcode=="x\" or active==true" or externalSystemId=="x\" or active==true")");
}
