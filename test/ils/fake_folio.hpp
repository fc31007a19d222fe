// An in-process FOLIO stand-in on 127.0.0.1:0 (cpp-httplib) that issues cookie tokens and
// records every request, for the HTTP-level backend tests.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "ils/folio/folio_backend.hpp"

namespace fake {

using Json = nlohmann::json;

/// One request as the server saw it.
struct Seen {
  std::string method;
  std::string path;
  std::string body;
  httplib::Params params;
  httplib::Headers headers;
  int remote_port = 0;

  [[nodiscard]] std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? std::string{} : it->second;
  }
  [[nodiscard]] std::string param(const std::string& name) const {
    const auto it = params.find(name);
    return it == params.end() ? std::string{} : it->second;
  }
  [[nodiscard]] Json json() const { return Json::parse(body, nullptr, false); }
};

inline constexpr const char* patron_id = "4f0e711c-d583-41e0-9555-b62f1725023f";
inline constexpr const char* service_point = "3a40852d-49fd-4df2-a1f9-6e2641a6e91f";

/// A fixture file from test/data/folio as text.
inline std::string fixture(const std::string& name) {
  const char* dir = std::getenv("ILS_TEST_DATA");
  std::ifstream in(std::string(dir == nullptr ? "." : dir) + "/" + name);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

/// The fake Okapi: login and refresh built in, other routes added by each test before start().
class FakeFolio {
 public:
  /// Max-Age of the access cookie the next login or refresh sets (0: no Max-Age attribute).
  std::atomic<int> access_max_age{600};
  /// Status of /authn/refresh (201 issues new tokens).
  std::atomic<int> refresh_status{201};
  /// Makes the login wait in stall().
  std::atomic<bool> stall_login{false};

  FakeFolio() {
    server_.set_tcp_nodelay(true);
    server_.set_keep_alive_max_count(1000);
    server_.set_keep_alive_timeout(1);
    // Runs once the body is read and before the answer is written, so tests see it in order.
    server_.set_post_routing_handler(
        [this](const httplib::Request& req, httplib::Response&) { record(req); });
    server_.Post("/authn/login-with-expiry", [this](const httplib::Request& req,
                                                    httplib::Response& res) {
      if (stall_login) stall();
      const Json body = Json::parse(req.body, nullptr, false);
      if (body.value("password", "") != "secret") {
        res.status = 422;
        res.set_content(
            R"({"errors":[{"message":"Wrong username or password or account is blocked","code":"wrong.username.or.wrong.password.or.account.blocked"}]})",
            "application/json");
        return;
      }
      issue(res);
    });
    server_.Post("/authn/refresh", [this](const httplib::Request&, httplib::Response& res) {
      if (refresh_status != 201) {
        res.status = refresh_status;
        res.set_content(R"({"errors":[{"message":"Invalid token"}]})", "application/json");
        return;
      }
      issue(res);
    });
  }

  ~FakeFolio() {
    release();
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }

  FakeFolio(const FakeFolio&) = delete;
  FakeFolio& operator=(const FakeFolio&) = delete;

  httplib::Server& server() { return server_; }

  /// Binds to 127.0.0.1:0 and serves on a thread; returns once it accepts.
  void start() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!server_.is_running() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::yield();
  }

  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  /// A backend configured for this server.
  [[nodiscard]] ils::folio::FolioConfig config() const {
    ils::folio::FolioConfig config;
    config.base_url = url();
    config.tenant = "diku";
    config.username = "sip2gw";
    config.password = "secret";
    config.service_point_id = service_point;
    config.cancellation_reason_id = "75187e8d-e25a-47a7-89ad-23ba612338de";
    return config;
  }

  /// Answers 401 (and true) unless the request carries a live token.
  bool refuse_unless_authorized(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex_);
    const auto token = req.get_header_value("X-Okapi-Token");
    if (live_tokens_.contains(token)) return false;
    res.status = 401;
    res.set_content("Invalid token", "text/plain");
    return true;
  }

  /// Makes every token issued so far invalid, as after a token revocation.
  void revoke_tokens() {
    std::lock_guard lock(mutex_);
    live_tokens_.clear();
  }

  /// Makes the next stall() wait until release() (or five seconds).
  void stall() {
    std::unique_lock lock(mutex_);
    stalled_.wait_for(lock, std::chrono::seconds(5), [this] { return released_; });
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      released_ = true;
    }
    stalled_.notify_all();
  }

  [[nodiscard]] std::vector<Seen> seen() const {
    std::lock_guard lock(mutex_);
    return seen_;
  }
  [[nodiscard]] std::vector<Seen> seen(const std::string& path) const {
    std::vector<Seen> out;
    for (const Seen& s : seen())
      if (s.path == path) out.push_back(s);
    return out;
  }
  [[nodiscard]] std::size_t count(const std::string& path) const { return seen(path).size(); }

 private:
  void record(const httplib::Request& req) {
    std::lock_guard lock(mutex_);
    seen_.push_back({req.method, req.path, req.body, req.params, req.headers, req.remote_port});
  }

  void issue(httplib::Response& res) {
    std::lock_guard lock(mutex_);
    ++issued_;
    const std::string access = "access-" + std::to_string(issued_);
    live_tokens_.insert(access);
    std::string cookie = "folioAccessToken=" + access + "; Path=/; HttpOnly";
    if (access_max_age > 0) cookie += "; Max-Age=" + std::to_string(access_max_age.load());
    res.status = 201;
    res.set_header("Set-Cookie", cookie);
    res.set_header("Set-Cookie", "folioRefreshToken=refresh-" + std::to_string(issued_) +
                                     "; Max-Age=604800; Path=/authn; HttpOnly");
    res.set_content(
        R"({"accessTokenExpiration":"2099-01-01T00:10:00Z","refreshTokenExpiration":"2099-01-08T00:00:00Z"})",
        "application/json");
  }

  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable stalled_;
  bool released_ = false;
  std::vector<Seen> seen_;
  std::set<std::string> live_tokens_;
  int issued_ = 0;
};

/// A call context with a request id and a deadline from now.
inline ils::CallContext context(std::chrono::milliseconds budget = std::chrono::seconds(5)) {
  return {"req-1234", std::chrono::steady_clock::now() + budget};
}

/// A /users answer with the fixture user.
inline std::string users_body() {
  return R"({"users":[)" + fixture("user.json") + R"(],"totalRecords":1})";
}

}  // namespace fake
