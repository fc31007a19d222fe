// The HTTP client under many concurrent callers: one HTTP thread, one shared connection cache,
// answers never crossed, deadlines kept per call, and destruction with calls in flight.
#define BOOST_TEST_MODULE ils_http_client
#include <boost/test/unit_test.hpp>

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "ils/http_client.hpp"

namespace {

using std::chrono::steady_clock;

/// A local HTTP server: GET /echo?id=X answers X; GET /stall answers only once released (or
/// after ten seconds). It records the client port of every request (one per connection).
struct TestServer {
  httplib::Server server;
  std::thread thread;
  int port = 0;

  std::mutex mutex;
  std::condition_variable changed;
  std::multiset<int> client_ports;
  int stalled = 0;
  bool released = false;

  TestServer() {
    // Each kept-alive connection holds a server thread: have more than the client opens.
    server.new_task_queue = [] { return new httplib::ThreadPool(64); };
    server.set_keep_alive_max_count(100000);
    server.set_tcp_nodelay(true);
    server.Get("/echo", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard lock(mutex);
        client_ports.insert(req.remote_port);
      }
      res.set_content(req.get_param_value("id"), "text/plain");
    });
    server.Get("/stall", [this](const httplib::Request&, httplib::Response& res) {
      std::unique_lock lock(mutex);
      ++stalled;
      changed.notify_all();
      changed.wait_for(lock, std::chrono::seconds(10), [this] { return released; });
      res.set_content("late", "text/plain");
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running())
      std::this_thread::yield();
  }
  ~TestServer() {
    release();
    server.stop();
    thread.join();
  }

  [[nodiscard]] std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port) + path;
  }
  void wait_for_stalled(int n) {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return stalled >= n; });
  }
  void release() {
    std::lock_guard lock(mutex);
    released = true;
    changed.notify_all();
  }
  [[nodiscard]] std::size_t connections() {
    std::lock_guard lock(mutex);
    return std::set<int>(client_ports.begin(), client_ports.end()).size();
  }
  [[nodiscard]] std::size_t requests() {
    std::lock_guard lock(mutex);
    return client_ports.size();
  }
};

ils::HttpRequest get(const std::string& url, std::chrono::milliseconds budget) {
  ils::HttpRequest request;
  request.url = url;
  request.deadline = steady_clock::now() + budget;
  return request;
}

/// Runs perform on its own thread; done() tells whether it has returned.
struct Caller {
  std::atomic<bool> finished{false};
  std::future<ils::Result<ils::HttpResponse>> result;

  Caller(ils::HttpClient& client, const ils::HttpRequest& request) {
    result = std::async(std::launch::async, [this, &client, request] {
      auto response = client.perform(request);
      finished = true;
      return response;
    });
  }
  [[nodiscard]] bool done() const { return finished.load(); }
};

}  // namespace

BOOST_AUTO_TEST_CASE(many_concurrent_callers_each_get_their_own_answer_over_few_connections) {
  TestServer server;
  ils::HttpClientOptions options;
  options.max_idle_handles = 8;
  ils::HttpClient client(options);
  constexpr int threads = 32;
  constexpr int calls = 50;
  std::atomic<int> failures{0};
  std::atomic<int> crossed{0};
  std::vector<std::thread> workers;
  workers.reserve(threads);
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (int i = 0; i < calls; ++i) {
        const std::string id = std::to_string(t) + "-" + std::to_string(i);
        auto response = client.perform(get(server.url("/echo?id=" + id), std::chrono::seconds(20)));
        if (!response || response->status != 200)
          ++failures;
        else if (response->body != id)
          ++crossed;
      }
    });
  }
  for (auto& worker : workers)
    worker.join();
  BOOST_TEST(failures.load() == 0);
  BOOST_TEST(crossed.load() == 0);
  BOOST_TEST(server.requests() == static_cast<std::size_t>(threads * calls));
  // One shared cache, at most max_idle_handles connections to the host, each kept alive.
  BOOST_TEST(server.connections() <= options.max_idle_handles,
             server.connections() << " connections for " << threads * calls << " calls");
}

BOOST_AUTO_TEST_CASE(sequential_calls_from_different_threads_reuse_one_connection) {
  TestServer server;
  ils::HttpClient client;
  int answered = 0;
  for (int t = 0; t < 4; ++t) {
    std::thread([&] {
      for (int i = 0; i < 5; ++i) {
        auto response = client.perform(get(server.url("/echo?id=x"), std::chrono::seconds(10)));
        if (response && response->body == "x") ++answered;
      }
    }).join();
  }
  BOOST_TEST(answered == 20);
  BOOST_TEST(server.connections() == 1u);
}

BOOST_AUTO_TEST_CASE(a_stalled_call_times_out_at_its_deadline_without_delaying_the_others) {
  TestServer server;
  ils::HttpClient client;
  Caller stalled(client, get(server.url("/stall"), std::chrono::seconds(2)));
  server.wait_for_stalled(1);
  for (int i = 0; i < 20; ++i) {
    auto response =
        client.perform(get(server.url("/echo?id=" + std::to_string(i)), std::chrono::seconds(10)));
    BOOST_TEST((response && response->body == std::to_string(i)));
  }
  BOOST_TEST(!stalled.done(), "the other calls waited for the stalled one");
  const auto response = stalled.result.get();
  BOOST_TEST(!response.has_value());
  if (!response) BOOST_TEST((response.error().code == ils::errc::timeout));
  // The server still stalls: the timeout came from the client's deadline.
}

BOOST_AUTO_TEST_CASE(a_call_waiting_for_a_free_connection_still_ends_at_its_deadline) {
  TestServer server;
  ils::HttpClientOptions options;
  options.max_idle_handles = 1;
  ils::HttpClient client(options);
  Caller holder(client, get(server.url("/stall"), std::chrono::seconds(8)));
  server.wait_for_stalled(1);
  Caller waiter(client, get(server.url("/echo?id=w"), std::chrono::milliseconds(300)));
  const auto response = waiter.result.get();
  BOOST_TEST(!holder.done(), "the waiting call ended only when the connection was freed");
  BOOST_TEST(!response.has_value());
  if (!response) BOOST_TEST((response.error().code == ils::errc::timeout));
  server.release();
  BOOST_TEST(holder.result.get().has_value());
}

BOOST_AUTO_TEST_CASE(destroying_the_client_fails_the_calls_in_flight) {
  TestServer server;
  auto client = std::make_unique<ils::HttpClient>();
  constexpr int in_flight = 4;
  std::vector<std::unique_ptr<Caller>> callers;
  callers.reserve(in_flight);
  for (int i = 0; i < in_flight; ++i)
    callers.push_back(
        std::make_unique<Caller>(*client, get(server.url("/stall"), std::chrono::seconds(30))));
  server.wait_for_stalled(in_flight);
  client.reset();
  // The server still stalls: had the destructor waited for the transfers, they would have ended
  // by their 30 s deadline (errc::timeout), not as unavailable.
  for (auto& caller : callers) {
    const auto response = caller->result.get();
    BOOST_TEST(!response.has_value());
    if (!response) {
      BOOST_TEST((response.error().code == ils::errc::unavailable));
      BOOST_TEST(response.error().message == "HTTP client shutting down");
    }
  }
}

BOOST_AUTO_TEST_CASE(a_deadline_already_passed_sends_nothing) {
  TestServer server;
  ils::HttpClient client;
  auto request = get(server.url("/echo?id=x"), std::chrono::milliseconds(0));
  request.deadline = steady_clock::now() - std::chrono::milliseconds(1);
  const auto response = client.perform(request);
  BOOST_TEST(!response.has_value());
  if (!response) BOOST_TEST((response.error().code == ils::errc::timeout));
  BOOST_TEST(server.requests() == 0u);
}
