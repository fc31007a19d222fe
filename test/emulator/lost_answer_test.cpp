// The emulator's lost answers over HTTP: a request is applied and its answer never arrives (the
// connection is held, then closed without a byte) or arrives as a 502; counted in stats, reset
// by the reset control. ILS_EMULATOR and ILS_EMULATOR_SEED come from meson.
#define BOOST_TEST_MODULE emulator_lost_answer
#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <future>
#include <string>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "emulator_process.hpp"

namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kPatron = "21234000000018";
constexpr const char* kServicePoint = "0766bf8b-e8d9-5341-b3a4-b9a545949a7f";
constexpr const char* kCheckout = "/circulation/check-out-by-barcode";

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

json checkout(const std::string& item) {
  return {{"itemBarcode", item}, {"userBarcode", kPatron}, {"servicePointId", kServicePoint}};
}

/// What a raw HTTP exchange received before the server closed the connection.
struct Received {
  std::string bytes;
  bool closed = false;  ///< the server closed (EOF or reset) within the wait
};

/// A running emulator with the gateway's token.
struct Emulator {
  emulator_test::EmulatorProcess process{
      env("ILS_EMULATOR"), {"--data", env("ILS_EMULATOR_SEED"), "--listen", "127.0.0.1:0"}};
  int port = process.wait_for_port(10s);
  httplib::Client client{"127.0.0.1", port};
  httplib::Headers okapi{{"X-Okapi-Tenant", "diku"}};
  std::string token;

  Emulator() {
    BOOST_TEST_REQUIRE(port > 0, "the emulator did not start");
    auto res = client.Post("/authn/login", okapi,
                           R"({"username":"sip2gw","password":"sip2gw-demo-password"})",
                           "application/json");
    BOOST_TEST_REQUIRE((res && res->status == 201));
    token = res->get_header_value("x-okapi-token");
    BOOST_TEST_REQUIRE(!token.empty());
    okapi.emplace("X-Okapi-Token", token);
  }

  void control(const std::string& path, const json& body) {
    auto res = client.Post(("/_emulator/" + path).c_str(), body.dump(), "application/json");
    BOOST_TEST_REQUIRE(static_cast<bool>(res));
    BOOST_TEST_REQUIRE(res->status == 200, path << ": " << res->body);
  }

  json state(const std::string& path) {
    auto res = client.Get(("/_emulator/" + path).c_str());
    BOOST_TEST_REQUIRE(static_cast<bool>(res));
    return json::parse(res->body);
  }

  /// Sends one check-out on a socket of its own (Connection: close, so an answer ends with the
  /// connection) and reads until the server closes it or `wait` passes.
  Received raw_checkout(const std::string& item, std::chrono::milliseconds wait) const {
    const std::string body = checkout(item).dump();
    const std::string request =
        std::string("POST ") + kCheckout +
        " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Okapi-Tenant: diku\r\n"
        "X-Okapi-Token: " +
        token + "\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body;
    Received received;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
            static_cast<ssize_t>(request.size())) {
      ::close(fd);
      return received;
    }
    const auto deadline = std::chrono::steady_clock::now() + wait;
    while (!received.closed && std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buffer[4096];
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) {
        received.closed = true;
      } else {
        received.bytes.append(buffer, static_cast<std::size_t>(n));
      }
    }
    ::close(fd);
    return received;
  }

  /// How many ledger check-outs name this item.
  int checkouts_of(const std::string& item) {
    int n = 0;
    for (const auto& e : state("ledger"))
      n += e["action"] == "checkout" && e["item_barcode"] == item ? 1 : 0;
    return n;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(an_applied_check_out_is_closed_without_a_byte_of_its_answer) {
  Emulator emu;
  emu.control("lose-answer", {{"prefix", kCheckout}, {"count", 1}, {"hold_ms", 0}});
  const Received lost = emu.raw_checkout("31234000000149", 10s);
  BOOST_TEST(lost.closed, "the emulator should close the connection");
  BOOST_TEST(lost.bytes.empty(), "no byte of the answer: " << lost.bytes);
  BOOST_TEST(emu.checkouts_of("31234000000149") == 1);

  // The count is used up: the next check-out is answered, and a retry of the lost one is refused.
  const Received next = emu.raw_checkout("31234000000156", 10s);
  BOOST_TEST(next.bytes.starts_with("HTTP/1.1 201"), next.bytes);
  auto retry =
      emu.client.Post(kCheckout, emu.okapi, checkout("31234000000149").dump(), "application/json");
  BOOST_TEST_REQUIRE(static_cast<bool>(retry));
  BOOST_TEST(retry->status == 422);
  BOOST_TEST(emu.checkouts_of("31234000000149") == 1);

  const json stats = emu.state("stats");
  BOOST_TEST(stats["lost_answers"] == 1);
  BOOST_TEST(stats["lost_paths"][kCheckout] == 1);
}

BOOST_AUTO_TEST_CASE(a_held_answer_outlasts_the_clients_timeout) {
  Emulator emu;
  emu.control("lose-answer", {{"prefix", kCheckout}, {"count", 2}, {"hold_ms", 600000}});
  httplib::Client impatient("127.0.0.1", emu.port);
  impatient.set_read_timeout(1, 0);
  auto timed_out =
      impatient.Post(kCheckout, emu.okapi, checkout("31234000000164").dump(), "application/json");
  BOOST_TEST(!timed_out, "the client should see no answer");
  BOOST_TEST(emu.checkouts_of("31234000000164") == 1);
  // Other paths are answered meanwhile; the second lost answer is still pending.
  auto items = emu.client.Get("/inventory/items?query=barcode%3D%3D31234000000164", emu.okapi);
  BOOST_TEST_REQUIRE(static_cast<bool>(items));
  BOOST_TEST(items->status == 200);
  BOOST_TEST(emu.state("stats")["lost_answers"] == 1);
}

BOOST_AUTO_TEST_CASE(reset_releases_held_connections_and_forgets_pending_lost_answers) {
  Emulator emu;
  emu.control("lose-answer", {{"prefix", "/circulation/"}, {"count", 5}, {"hold_ms", 600000}});
  auto held =
      std::async(std::launch::async, [&emu] { return emu.raw_checkout("31234000000172", 60s); });
  // The check-out is applied before its connection is held.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (emu.checkouts_of("31234000000172") == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);  // polling the ledger with a deadline
  }
  BOOST_TEST_REQUIRE(emu.checkouts_of("31234000000172") == 1, "the check-out was not applied");
  emu.control("reset", json::object());
  const Received released = held.get();
  BOOST_TEST(released.closed, "reset should end the held connection");
  BOOST_TEST(released.bytes.empty(), released.bytes);

  const Received answered = emu.raw_checkout("31234000000180", 10s);
  BOOST_TEST(answered.bytes.starts_with("HTTP/1.1 201"), answered.bytes);
  BOOST_TEST(emu.state("stats")["lost_answers"] == 0);
}

BOOST_AUTO_TEST_CASE(mode_502_answers_bad_gateway_after_applying) {
  Emulator emu;
  emu.control("lose-answer", {{"prefix", kCheckout}, {"mode", "502"}});
  auto res =
      emu.client.Post(kCheckout, emu.okapi, checkout("31234000000198").dump(), "application/json");
  BOOST_TEST_REQUIRE(static_cast<bool>(res));
  BOOST_TEST(res->status == 502);
  BOOST_TEST(res->body == "Bad Gateway");
  BOOST_TEST(emu.checkouts_of("31234000000198") == 1);
  auto loans =
      emu.client.Get("/circulation/loans?query=status.name%3D%3DOpen&limit=100", emu.okapi);
  BOOST_TEST_REQUIRE(static_cast<bool>(loans));
  BOOST_TEST(loans->status == 200, "the connection stays usable");
}

BOOST_AUTO_TEST_CASE(requests_refused_before_the_routes_use_up_no_lost_answer) {
  Emulator emu;
  emu.control("lose-answer", {{"prefix", kCheckout}, {"mode", "502"}});
  emu.control("outage", {{"on", true}});
  auto down =
      emu.client.Post(kCheckout, emu.okapi, checkout("31234000000206").dump(), "application/json");
  BOOST_TEST(down->status == 503);
  auto no_token = emu.client.Post(kCheckout, httplib::Headers{{"X-Okapi-Tenant", "diku"}},
                                  checkout("31234000000206").dump(), "application/json");
  BOOST_TEST(no_token->status == 503);
  emu.control("outage", {{"on", false}});
  auto unauthorized = emu.client.Post(kCheckout, httplib::Headers{{"X-Okapi-Tenant", "diku"}},
                                      checkout("31234000000206").dump(), "application/json");
  BOOST_TEST(unauthorized->status == 401);
  BOOST_TEST(emu.state("stats")["lost_answers"] == 0);
  auto lost =
      emu.client.Post(kCheckout, emu.okapi, checkout("31234000000206").dump(), "application/json");
  BOOST_TEST(lost->status == 502);
  BOOST_TEST(emu.checkouts_of("31234000000206") == 1);
}

BOOST_AUTO_TEST_CASE(refuses_a_bad_lose_answer_body) {
  Emulator emu;
  auto bad = [&](const json& body) {
    auto res = emu.client.Post("/_emulator/lose-answer", body.dump(), "application/json");
    return res && res->status == 400;
  };
  BOOST_TEST(bad(json::object()));
  BOOST_TEST(bad({{"prefix", "/x"}, {"count", 0}}));
  BOOST_TEST(bad({{"prefix", "/x"}, {"mode", "drop"}}));
  BOOST_TEST(bad({{"prefix", "/x"}, {"hold_ms", 600001}}));
}
