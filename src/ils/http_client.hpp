// A small synchronous, thread-safe HTTP client over libcurl with connection reuse.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ils/errc.hpp"

namespace ils {

using Headers = std::vector<std::pair<std::string, std::string>>;

/// One HTTP request; the whole exchange (connect included) must finish by `deadline`.
struct HttpRequest {
  std::string method = "GET";
  std::string url;
  Headers headers;
  std::string body;
  std::chrono::steady_clock::time_point deadline;
  /// Not started (errc::insufficient_time) with less than this left before the deadline.
  std::chrono::milliseconds min_budget{0};
};

/// A cookie from a Set-Cookie header.
struct Cookie {
  std::string name;
  std::string value;
  std::optional<std::chrono::seconds> max_age;
  std::string path;
};

/// Status, headers and body of an HTTP response (any status).
struct HttpResponse {
  int status = 0;
  Headers headers;  ///< names lower-cased
  std::string body;

  /// The first header with this (case-insensitive) name.
  [[nodiscard]] std::optional<std::string> header(std::string_view name) const;
  /// The cookies of all Set-Cookie headers.
  [[nodiscard]] std::vector<Cookie> cookies() const;
};

/// Parses one Set-Cookie header value; nullopt when it has no name=value.
[[nodiscard]] std::optional<Cookie> parse_set_cookie(std::string_view value);

/// Client tuning.
struct HttpClientOptions {
  /// Connections the client opens to one host and keeps alive (CURLMOPT_MAX_HOST_CONNECTIONS and
  /// CURLMOPT_MAXCONNECTS); calls beyond it wait for a free connection within their deadline.
  std::size_t max_idle_handles = 16;
  bool verify_tls = true;
  std::string ca_file;  ///< empty: the system store
  std::string user_agent = "sip2gw";
};

/// Performs the requests of any number of calling threads on one HTTP thread of its own, over one
/// shared set of kept-alive connections. Never logs bodies.
class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  /// Stops the HTTP thread; calls still in flight fail with errc::unavailable.
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Performs the request within its deadline, blocking the caller. Any HTTP status is a success
  /// here; connection errors are errc::unavailable, a passed deadline errc::timeout, less than
  /// min_budget left errc::insufficient_time (nothing sent), a client being destroyed
  /// errc::unavailable.
  [[nodiscard]] Result<HttpResponse> perform(const HttpRequest& request);

  /// Percent-encodes a value for a URL query string or path segment (RFC 3986 unreserved kept).
  [[nodiscard]] static std::string escape(std::string_view value);

 private:
  class Loop;
  std::unique_ptr<Loop> loop_;
};

}  // namespace ils
