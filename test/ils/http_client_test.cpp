// The HTTP client under concurrent workers: each connection is used by one thread only (libcurl
// does not support a connection cache shared by threads), and connections are still reused.
#define BOOST_TEST_MODULE ils_http_client
#include <boost/test/unit_test.hpp>

#include <httplib.h>

#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "ils/http_client.hpp"

namespace {

/// A local HTTP server that answers every GET with the client's port (one per connection) and
/// the calling thread's name from the X-Thread header.
struct EchoServer {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::mutex mutex;
  std::map<int, std::set<std::string>> threads_by_connection;

  EchoServer() {
    server.set_keep_alive_max_count(1000);
    server.Get("/who", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex);
      threads_by_connection[req.remote_port].insert(req.get_header_value("X-Thread"));
      res.set_content("ok", "text/plain");
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running())
      std::this_thread::yield();
  }
  ~EchoServer() {
    server.stop();
    thread.join();
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(concurrent_workers_never_share_a_connection_and_still_reuse_theirs) {
  EchoServer echo;
  ils::HttpClient client;
  constexpr int kThreads = 8;
  constexpr int kCalls = 40;
  std::vector<std::thread> workers;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) {
        ils::HttpRequest r;
        r.url = "http://127.0.0.1:" + std::to_string(echo.port) + "/who";
        r.headers = {{"X-Thread", std::to_string(t)}};
        r.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        auto response = client.perform(r);
        if (!response || response->status != 200) ++failures;
      }
    });
  }
  for (auto& w : workers)
    w.join();
  BOOST_TEST(failures.load() == 0);
  std::size_t shared = 0;
  for (const auto& [port, threads] : echo.threads_by_connection)
    shared += threads.size() > 1 ? 1 : 0;
  BOOST_TEST(shared == 0u, shared << " connections were used by more than one thread");
  // Reuse: far fewer connections than calls (one per thread when nothing goes wrong).
  BOOST_TEST(echo.threads_by_connection.size() <= static_cast<std::size_t>(2 * kThreads));
}
