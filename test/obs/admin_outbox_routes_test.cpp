// The admin server's outbox routes over real loopback HTTP, with hooks that record their calls:
// the token guards them, arguments are checked before a hook runs, the hooks' answers pass
// through, and routes without a hook are not served.
#define BOOST_TEST_MODULE admin_outbox_routes
#include <boost/test/unit_test.hpp>

#include <httplib.h>

#include <mutex>
#include <optional>
#include <string>

#include "admin/admin_server.hpp"

namespace {

using admin::AdminServer;
using admin::Reply;

constexpr const char* token = "0123456789abcdef0123";
const httplib::Headers authorized = {{"Authorization", std::string("Bearer ") + token}};

/// What the hooks were called with.
struct Calls {
  std::mutex mutex;
  std::optional<std::pair<std::uint64_t, std::size_t>> exceptions;
  std::optional<std::uint64_t> retried;
  std::optional<std::pair<std::uint64_t, std::string>> dropped;
};

admin::OutboxHooks recording(Calls& calls) {
  admin::OutboxHooks h;
  h.exceptions = [&calls](std::uint64_t after, std::size_t limit) {
    const std::lock_guard lock(calls.mutex);
    calls.exceptions = {after, limit};
    return Reply{200, R"({"jobs":[],"next_after":null})"};
  };
  h.stats = [] { return Reply{200, R"({"depth":3})"}; };
  h.retry = [&calls](std::uint64_t id) {
    const std::lock_guard lock(calls.mutex);
    calls.retried = id;
    return id == 7 ? Reply{200, R"({"job":{"id":7}})"} : Reply{404, R"({"error":"no job"})"};
  };
  h.drop = [&calls](std::uint64_t id, const std::string& reason) {
    const std::lock_guard lock(calls.mutex);
    calls.dropped = {id, reason};
    return Reply{409, R"({"error":"job 7 is delivered"})"};
  };
  return h;
}

struct Served {
  Calls calls;
  AdminServer server{{{}, {}, [] { return std::string(token); }}, recording(calls)};
  std::uint16_t port = 0;
  Served() {
    const auto p = server.start("127.0.0.1", 0);
    BOOST_TEST_REQUIRE(p.has_value(), p.error());
    port = *p;
  }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_connection_timeout(5);
    c.set_read_timeout(5);
    return c;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(every_outbox_route_needs_the_token, Served) {
  auto c = client();
  BOOST_TEST(c.Get("/outbox/exceptions")->status == 401);
  BOOST_TEST(c.Get("/outbox/stats")->status == 401);
  BOOST_TEST(c.Post("/outbox/jobs/7/retry", "{}", "application/json")->status == 401);
  BOOST_TEST(c.Post("/outbox/jobs/7/drop", R"({"reason":"x"})", "application/json")->status == 401);
  // A POST refused before its body is read does not spoil a kept-alive connection: the body
  // is not read as the next request.
  c.set_keep_alive(true);
  BOOST_TEST(c.Post("/outbox/jobs/7/drop", R"({"reason":"x"})", "application/json")->status == 401);
  const auto next = c.Get("/outbox/stats", authorized);
  BOOST_TEST_REQUIRE(static_cast<bool>(next));
  BOOST_TEST(next->status == 200);
  const std::lock_guard lock(calls.mutex);
  BOOST_TEST(!calls.exceptions.has_value());
  BOOST_TEST(!calls.retried.has_value());
  BOOST_TEST(!calls.dropped.has_value());
}

BOOST_FIXTURE_TEST_CASE(exceptions_take_after_and_limit, Served) {
  auto c = client();
  auto res = c.Get("/outbox/exceptions", authorized);
  BOOST_TEST_REQUIRE(static_cast<bool>(res));
  BOOST_TEST(res->status == 200);
  BOOST_TEST(res->get_header_value("Content-Type") == "application/json");
  BOOST_TEST(res->body == R"({"jobs":[],"next_after":null})");
  {
    const std::lock_guard lock(calls.mutex);
    BOOST_TEST((calls.exceptions == std::pair<std::uint64_t, std::size_t>{0, 100}));
  }
  BOOST_TEST(c.Get("/outbox/exceptions?after=41&limit=5", authorized)->status == 200);
  {
    const std::lock_guard lock(calls.mutex);
    BOOST_TEST((calls.exceptions == std::pair<std::uint64_t, std::size_t>{41, 5}));
  }
  for (const char* bad : {"?after=x", "?after=-1", "?limit=0", "?limit=1001", "?limit=2x"}) {
    auto r = c.Get((std::string("/outbox/exceptions") + bad).c_str(), authorized);
    BOOST_TEST(r->status == 400, bad);
    BOOST_TEST(r->body.find("\"error\"") != std::string::npos, r->body);
  }
  BOOST_TEST(c.Get("/outbox/stats", authorized)->body == R"({"depth":3})");
}

BOOST_FIXTURE_TEST_CASE(retry_and_drop_pass_the_id_and_reason_and_the_answer_through, Served) {
  auto c = client();
  auto res = c.Post("/outbox/jobs/7/retry", authorized, "", "application/json");
  BOOST_TEST(res->status == 200);
  BOOST_TEST(res->body == R"({"job":{"id":7}})");
  BOOST_TEST(c.Post("/outbox/jobs/8/retry", authorized, "", "application/json")->status == 404);
  res = c.Post("/outbox/jobs/7/drop", authorized, R"({"reason":"returned, see note"})",
               "application/json; charset=utf-8");
  BOOST_TEST(res->status == 409);
  BOOST_TEST(res->body == R"({"error":"job 7 is delivered"})");
  const std::lock_guard lock(calls.mutex);
  BOOST_TEST_REQUIRE(calls.retried.has_value());
  BOOST_TEST(*calls.retried == 8u);
  BOOST_TEST_REQUIRE(calls.dropped.has_value());
  BOOST_TEST(calls.dropped->first == 7u);
  BOOST_TEST(calls.dropped->second == "returned, see note");
}

BOOST_FIXTURE_TEST_CASE(bad_requests_never_reach_the_hooks, Served) {
  auto c = client();
  // Not JSON: what a web page may send to another origin without asking.
  BOOST_TEST(c.Post("/outbox/jobs/7/retry", authorized, "", "text/plain")->status == 415);
  BOOST_TEST(c.Post("/outbox/jobs/7/drop", authorized, R"({"reason":"x"})", "text/plain")->status ==
             415);
  for (const char* body : {"", "not json", "[]", "{}", R"({"reason":7})"})
    BOOST_TEST(c.Post("/outbox/jobs/7/drop", authorized, body, "application/json")->status == 400,
               body);
  BOOST_TEST(c.Post("/outbox/jobs/x/retry", authorized, "", "application/json")->status == 404);
  BOOST_TEST(c.Post("/outbox/jobs/99999999999999999999/retry", authorized, "", "application/json")
                 ->status == 404);
  BOOST_TEST(c.Get("/outbox/jobs/7/retry", authorized)->status == 404);
  const std::lock_guard lock(calls.mutex);
  BOOST_TEST(!calls.retried.has_value());
  BOOST_TEST(!calls.dropped.has_value());
}

BOOST_AUTO_TEST_CASE(without_hooks_the_outbox_routes_are_not_served) {
  AdminServer server({});
  const auto port = server.start("127.0.0.1", 0);
  BOOST_TEST_REQUIRE(port.has_value(), port.error());
  httplib::Client c("127.0.0.1", *port);
  c.set_connection_timeout(5);
  BOOST_TEST(c.Get("/outbox/exceptions")->status == 404);
  BOOST_TEST(c.Get("/outbox/stats")->status == 404);
  BOOST_TEST(c.Post("/outbox/jobs/7/retry", "{}", "application/json")->status == 404);
}
