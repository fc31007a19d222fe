// libcurl easy handles, one per worker thread, each with its own connection cache; DNS and TLS
// sessions are shared through one CURLSH.
#include "ils/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "ils/http_util.hpp"

namespace ils {
namespace {

constexpr std::size_t max_body = 16 * 1024 * 1024;

struct Exchange {
  HttpResponse response;
  bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::size_t n = size * count;
  if (exchange->response.body.size() + n > max_body) {
    exchange->too_large = true;
    return 0;
  }
  exchange->response.body.append(data, n);
  return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::size_t n = size * count;
  const std::string_view line(data, n);
  // A new status line (after 1xx) starts a new header block.
  if (line.starts_with("HTTP/")) {
    exchange->response.headers.clear();
    return n;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  exchange->response.headers.emplace_back(to_lower(trim(line.substr(0, colon))),
                                          std::string(trim(line.substr(colon + 1))));
  return n;
}

long remaining_ms(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return std::max<long>(1, static_cast<long>(left.count()));
}

/// Owns the header list of one request.
struct HeaderList {
  curl_slist* list = nullptr;
  explicit HeaderList(const Headers& headers) {
    list = curl_slist_append(list, "Expect:");
    for (const auto& [name, value] : headers)
      list = curl_slist_append(list, (name + ": " + value).c_str());
  }
  ~HeaderList() { curl_slist_free_all(list); }
  HeaderList(const HeaderList&) = delete;
  HeaderList& operator=(const HeaderList&) = delete;
};

void set_method(CURL* handle, const HttpRequest& request) {
  if (request.method == "GET") {
    curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
    return;
  }
  if (request.method != "POST")
    curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "POST" || !request.body.empty()) {
    curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
  }
}

}  // namespace

/// libcurl does not support sharing a connection cache between threads that perform at the same
/// time (CURLSHOPT_SHARE with CURL_LOCK_DATA_CONNECT), so each worker thread keeps its own easy
/// handle, and with it its own live connections: a thread performs one call at a time, and the
/// next call on that thread reuses the connection. Only the DNS cache and TLS session ids, which
/// libcurl does support sharing across threads, go through the share object.
struct HttpClient::Pool {
  CURLSH* share = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> locks;
  std::mutex mutex;
  std::unordered_map<std::thread::id, CURL*> by_thread;

  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Pool*>(user)->locks[static_cast<std::size_t>(data)].lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Pool*>(user)->locks[static_cast<std::size_t>(data)].unlock();
  }

  /// This thread's handle (options reset, connections kept), made on its first call.
  CURL* take() {
    std::lock_guard guard(mutex);
    auto& handle = by_thread[std::this_thread::get_id()];
    if (handle != nullptr)
      curl_easy_reset(handle);
    else
      handle = curl_easy_init();
    return handle;
  }
};

HttpClient::HttpClient(HttpClientOptions options)
    : pool_(std::make_unique<Pool>()), options_(std::move(options)) {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  pool_->share = curl_share_init();
  curl_share_setopt(pool_->share, CURLSHOPT_LOCKFUNC, &Pool::lock);
  curl_share_setopt(pool_->share, CURLSHOPT_UNLOCKFUNC, &Pool::unlock);
  curl_share_setopt(pool_->share, CURLSHOPT_USERDATA, pool_.get());
  curl_share_setopt(pool_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(pool_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

HttpClient::~HttpClient() {
  for (auto& [thread, handle] : pool_->by_thread)
    curl_easy_cleanup(handle);
  curl_share_cleanup(pool_->share);
}

std::string HttpClient::escape(std::string_view value) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(hex[byte >> 4]);
      out.push_back(hex[byte & 0x0f]);
    }
  }
  return out;
}

Result<HttpResponse> HttpClient::perform(const HttpRequest& request) {
  const auto left = request.deadline - std::chrono::steady_clock::now();
  if (left <= std::chrono::steady_clock::duration::zero())
    return fail(errc::timeout, "deadline passed before the call");
  if (left < request.min_budget)
    return fail(errc::insufficient_time, "too little time left to start the call");
  CURL* handle = pool_->take();
  if (handle == nullptr) return fail(errc::unavailable, "cannot create an HTTP handle");

  Exchange exchange;
  const HeaderList headers(request.headers);
  const long timeout = remaining_ms(request.deadline);
  curl_easy_setopt(handle, CURLOPT_SHARE, pool_->share);
  curl_easy_setopt(handle, CURLOPT_MAXCONNECTS, static_cast<long>(options_.max_idle_handles));
  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, timeout);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, timeout);
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.list);
  curl_easy_setopt(handle, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &exchange);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &exchange);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  if (!options_.ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, options_.ca_file.c_str());
  set_method(handle, request);

  const CURLcode code = curl_easy_perform(handle);
  long status = 0;
  if (code == CURLE_OK) curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);

  if (code == CURLE_OPERATION_TIMEDOUT) return fail(errc::timeout, "library system timed out");
  if (exchange.too_large) return fail(errc::bad_response, "response too large");
  if (code != CURLE_OK) return fail(errc::unavailable, curl_easy_strerror(code));
  exchange.response.status = static_cast<int>(status);
  return std::move(exchange.response);
}

}  // namespace ils
