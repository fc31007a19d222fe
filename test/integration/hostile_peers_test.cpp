// The real gateway under hostile peers: 200 connections that pipeline logins and never read,
// PROXY headers from untrusted peers, and a refused login's log line.
#define BOOST_TEST_MODULE integration_hostile_peers
#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <regex>
#include <sstream>
#include <thread>

#include "checks.hpp"
#include "gateway_stack.hpp"
#include "requests.hpp"

namespace integration {
namespace {

using Ms = std::chrono::milliseconds;

/// A raw socket from `source` (any 127.0.0.0/8 address) with a small receive buffer, so the
/// gateway's writes back to it fill up quickly. Closed when the object goes.
class RawPeer {
 public:
  RawPeer(const char* source, std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    const int small = 4096;
    (void)::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    sockaddr_in from{};
    from.sin_family = AF_INET;
    ::inet_pton(AF_INET, source, &from.sin_addr);
    (void)::bind(fd_, reinterpret_cast<sockaddr*>(&from), sizeof from);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0;
  }
  ~RawPeer() { ::close(fd_); }
  RawPeer(const RawPeer&) = delete;
  RawPeer& operator=(const RawPeer&) = delete;
  [[nodiscard]] bool connected() const { return connected_; }
  /// Sends as much of `bytes` as the socket takes without blocking.
  void send_nonblocking(const std::string& bytes) {
    (void)::send(fd_, bytes.data(), bytes.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
  }
  /// True when the gateway has closed the connection (a read sees EOF or a reset). Reads what
  /// is waiting to find out, which a peer that "never reads" would not do: call it at the end.
  [[nodiscard]] bool closed_by_gateway() {
    char buf[65536];
    for (;;) {
      const auto n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
      if (n == 0) return true;
      if (n < 0) return errno != EAGAIN && errno != EWOULDBLOCK;
    }
  }

 private:
  int fd_;
  bool connected_ = false;
};

double metric(const std::string& text, const std::string& series) {
  std::istringstream lines(text);
  std::string line;
  double total = 0;
  while (std::getline(lines, line))
    if (line.rfind(series, 0) == 0) total += std::stod(line.substr(line.rfind(' ') + 1));
  return total;
}

}  // namespace

BOOST_AUTO_TEST_CASE(peers_that_pipeline_logins_and_never_read_cannot_hold_the_gateway) {
  GatewayStack stack({[](nlohmann::json& c) {
                        c["limits"]["login_timeout_seconds"] = 4;
                        c["limits"]["write_timeout_seconds"] = 2;
                        c["limits"]["max_connections"] = 230;
                        c["limits"]["max_connections_per_address"] = 1000;
                      },
                      true});
  const auto port = stack.sip_port();
  {
    auto kiosk = stack.login();  // the library's kiosk logged in before the attack
  }
  std::string burst;
  for (int i = 0; i < 400; ++i)
    burst += i % 2 == 0 ? "9300CNkiosk1|COguess" + std::to_string(i) + "|CPx|\r"
                        : std::string("9900302.00\r");
  std::vector<std::unique_ptr<RawPeer>> attackers;
  for (int i = 0; i < 200; ++i) {
    attackers.push_back(std::make_unique<RawPeer>("127.0.0.2", port));
    BOOST_REQUIRE(attackers.back()->connected());
    attackers.back()->send_nonblocking(burst);
  }
  // While they sit there, the kiosk keeps getting in: every round a new connection logs in
  // well within the login timeout, so no limit is ever exhausted by the attackers.
  const auto until = Clock::now() + 8s;
  int rounds = 0;
  while (Clock::now() < until) {
    const auto start = Clock::now();
    auto kiosk = stack.connect();
    (void)answer(kiosk.exchange(req::login("kiosk1", "demo-kiosk"), 4s), "94");
    const auto took = std::chrono::duration_cast<Ms>(Clock::now() - start);
    BOOST_TEST(took < Ms(4000), "round " << rounds << ": login took " << took.count() << " ms");
    ++rounds;
    for (auto& a : attackers)  // keep pipelining; still never reading
      a->send_nonblocking(burst.substr(0, 512));
  }
  BOOST_TEST(rounds >= 5);
  // Past the login timeout plus the write timeout every attacker has been closed.
  std::this_thread::sleep_for(1s);
  int still_open = 0;
  for (auto& a : attackers)
    still_open += a->closed_by_gateway() ? 0 : 1;
  BOOST_TEST(still_open == 0, still_open << " of 200 attackers still hold a connection");
  const auto metrics = stack.admin_get("/metrics").second;
  BOOST_TEST(metric(metrics, "sip2_sessions{") <= 1.0);
  BOOST_TEST(metric(metrics, "sip2_connections_refused_total{") == 0.0,
             "max_connections was reached");
}

BOOST_AUTO_TEST_CASE(proxy_header_from_an_untrusted_peer_is_refused_and_counted) {
  GatewayStack stack({[](nlohmann::json& c) {
                        c["listeners"][0]["proxy_protocol"] = "v1";
                        c["listeners"][0]["trusted_proxies"] = {"127.0.0.3/32"};
                      },
                      true});
  const auto port = stack.sip_port();
  {
    RawPeer liar("127.0.0.1", port);
    BOOST_REQUIRE(liar.connected());
    liar.send_nonblocking("PROXY TCP4 10.9.9.9 127.0.0.1 5555 6001\r\n9900302.00\r");
    std::this_thread::sleep_for(300ms);
    BOOST_TEST(liar.closed_by_gateway());
  }
  BOOST_TEST(stack.wait_for_log("reason=\"PROXY header expected from an untrusted peer\"", 3s));
  BOOST_TEST(
      metric(stack.admin_get("/metrics").second,
             "sip2_connections_refused_total{listener=\"kiosks\",reason=\"untrusted_proxy\"}") >=
      1.0);
  // The load balancer is believed: its header's source is the session's peer.
  RawPeer balancer("127.0.0.3", port);
  BOOST_REQUIRE(balancer.connected());
  balancer.send_nonblocking("PROXY TCP4 10.9.9.9 127.0.0.1 5555 6001\r\n");
  BOOST_TEST(stack.wait_for_log("peer=10.9.9.9", 3s));
}

BOOST_AUTO_TEST_CASE(refused_login_is_logged_with_the_peer_address) {
  GatewayStack stack;
  auto kiosk = stack.connect();
  (void)answer(kiosk.exchange(req::login("kiosk1", "not-the-password")), "94");
  BOOST_TEST(stack.wait_for_log("login refused", 3s));
  const auto log = stack.gateway_log();
  BOOST_TEST(std::regex_search(log, std::regex("login refused.*peer=127\\.0\\.0\\.1")));
  BOOST_TEST(log.find("not-the-password") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(admin_token_guards_everything_but_healthz) {
  const TempDir secrets;
  const std::string token = "s3cret-admin-token-0123456789";
  write_file(secrets.path() / "admin.token", token + "\n");
  std::filesystem::permissions(secrets.path() / "admin.token", std::filesystem::perms::owner_read);
  GatewayStack stack({[&](nlohmann::json& c) {
                        c["admin"]["token_file"] = (secrets.path() / "admin.token").string();
                      },
                      true});
  BOOST_TEST(stack.admin_get("/metrics").first == 401);
  BOOST_TEST(stack.admin_get("/readyz").first == 401);
  BOOST_TEST(stack.admin_get("/metrics", "wrong-token-0123456789012").first == 401);
  BOOST_TEST(stack.admin_get("/metrics", token).first == 200);
  BOOST_TEST(stack.admin_get("/healthz").first == 200, "liveness needs no token");
}

BOOST_AUTO_TEST_CASE(insecure_settings_are_warned_about_and_counted_and_cores_are_off) {
  GatewayStack stack({[](nlohmann::json& c) {
                        // --listen overrides the first listener; the second is on all addresses.
                        c["listeners"].push_back({{"name", "lan"}, {"listen", "0.0.0.0:0"}});
                        c["backend"]["folio"]["http"]["verify_tls"] = false;
                      },
                      true});
  BOOST_TEST(stack.wait_for_log("insecure setting", 3s, 2), stack.gateway_log());
  BOOST_TEST(stack.gateway_log().find("setting=backend.folio.http.verify_tls") !=
             std::string::npos);
  const auto metrics = stack.admin_get("/metrics").second;
  BOOST_TEST(metric(metrics, "sip2gw_insecure_setting{") == 2.0, metrics);
  const auto limits = read_file("/proc/" + std::to_string(stack.gateway().pid()) + "/limits");
  BOOST_TEST(std::regex_search(limits, std::regex("Max core file size\\s+0\\s+0")), limits);
}

}  // namespace integration
