// libcurl behind one multi handle driven by one HTTP thread: every caller's request becomes a
// transfer on that thread, and all transfers share the multi's connection cache.
#include "ils/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <future>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

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

/// The part of a request body libcurl has not read yet.
struct Upload {
  std::string_view unsent;
};

std::size_t on_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, upload->unsent.size());
  std::copy_n(upload->unsent.data(), n, buffer);
  upload->unsent.remove_prefix(n);
  return n;
}

int refuse_rewind(void*, curl_off_t, int) {
  return CURL_SEEKFUNC_CANTSEEK;
}

/// Method and body. libcurl sends a request again by itself when a reused connection closes
/// with no answer, rewinding a body it has sent; but the server may have applied it (a payment
/// made twice). So a body is read through a callback that cannot be rewound, and a body-less
/// change never goes over a reused connection: the caller gets the failure, and decides.
void set_method(CURL* handle, const HttpRequest& request, Upload& upload) {
  if (request.method == "GET") {
    curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
    return;
  }
  if (request.method != "POST")
    curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "POST" || !request.body.empty()) {
    upload.unsent = request.body;
    curl_easy_setopt(handle, CURLOPT_POST, 1L);
    curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE,
                     static_cast<curl_off_t>(request.body.size()));
    curl_easy_setopt(handle, CURLOPT_READFUNCTION, &on_upload);
    curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
    curl_easy_setopt(handle, CURLOPT_SEEKFUNCTION, &refuse_rewind);
  } else {
    curl_easy_setopt(handle, CURLOPT_FRESH_CONNECT, 1L);
  }
}

/// One call on the HTTP thread: a copy of the request (the easy handle points into it), what has
/// arrived so far, and the promise its caller waits on.
struct Transfer {
  explicit Transfer(const HttpRequest& r) : request(r), headers(request.headers) {}
  HttpRequest request;
  HeaderList headers;
  Exchange exchange;
  mutable Upload upload;  ///< libcurl reads the body through it
  std::promise<Result<HttpResponse>> done;
};

/// How a finished transfer ends for its caller.
Result<HttpResponse> outcome(CURL* handle, CURLcode code, Exchange& exchange) {
  if (code == CURLE_OPERATION_TIMEDOUT) return fail(errc::timeout, "library system timed out");
  if (exchange.too_large) return fail(errc::bad_response, "response too large");
  if (code != CURLE_OK) return fail(errc::unavailable, curl_easy_strerror(code));
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  exchange.response.status = static_cast<int>(status);
  return std::move(exchange.response);
}

/// The longest the HTTP thread sleeps with nothing due; new work wakes it at once.
constexpr int idle_poll_ms = 60'000;

/// libcurl 7.88 does not time a transfer that waits for a free connection (the host's limit is
/// reached), so the HTTP thread ends, this long after its deadline, any call libcurl has not.
constexpr auto overdue_grace = std::chrono::milliseconds(20);

constexpr const char* shutting_down = "HTTP client shutting down";

}  // namespace

/// Why one thread and a multi handle: libcurl does not support sharing a connection cache
/// (CURLSHOPT_SHARE with CURL_LOCK_DATA_CONNECT) between threads that perform at the same time,
/// and a cache per worker thread reuses a connection only for that thread's next call. A
/// multi handle owns one connection cache for all its transfers, and a multi handle and its easy
/// handles may be used by one thread at a time only: that is the HTTP thread, and no other thread
/// calls into libcurl except curl_multi_wakeup, which libcurl allows from any thread. Callers
/// queue a Transfer under the mutex and wait on its future. TLS session ids go through a share
/// object so a new connection from any easy handle can resume; DNS is cached by the multi itself.
class HttpClient::Loop {
 public:
  explicit Loop(HttpClientOptions options);
  ~Loop();
  Loop(const Loop&) = delete;
  Loop& operator=(const Loop&) = delete;

  /// Queues the request for the HTTP thread; the future holds its result.
  std::future<Result<HttpResponse>> submit(const HttpRequest& request);

 private:
  void run();
  void start(std::unique_ptr<Transfer> transfer);
  void configure(CURL* handle, const Transfer& transfer) const;
  void collect_finished();
  void expire_overdue();
  void finish(CURL* handle, Result<HttpResponse> result);
  [[nodiscard]] int poll_timeout_ms() const;
  void shut_down();

  HttpClientOptions options_;
  CURLM* multi_ = nullptr;
  CURLSH* share_ = nullptr;

  std::mutex mutex_;
  std::vector<std::unique_ptr<Transfer>> queued_;  ///< guarded by mutex_
  bool stopping_ = false;                          ///< guarded by mutex_

  std::unordered_map<CURL*, std::unique_ptr<Transfer>> active_;  ///< HTTP thread only
  std::vector<CURL*> idle_;  ///< reset easy handles for the next transfers; HTTP thread only
  std::thread thread_;
};

HttpClient::Loop::Loop(HttpClientOptions options) : options_(std::move(options)) {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  share_ = curl_share_init();
  if (share_ != nullptr) curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  multi_ = curl_multi_init();
  if (multi_ == nullptr) return;
  const auto limit = static_cast<long>(options_.max_idle_handles);
  curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS, limit);
  curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, limit);
  thread_ = std::thread([this] { run(); });
}

HttpClient::Loop::~Loop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (multi_ != nullptr) curl_multi_wakeup(multi_);
  }
  if (thread_.joinable()) thread_.join();
  curl_multi_cleanup(multi_);
  curl_share_cleanup(share_);
}

std::future<Result<HttpResponse>> HttpClient::Loop::submit(const HttpRequest& request) {
  auto transfer = std::make_unique<Transfer>(request);
  auto result = transfer->done.get_future();
  std::lock_guard lock(mutex_);
  if (multi_ == nullptr) {
    transfer->done.set_value(fail(errc::unavailable, "cannot create an HTTP multi handle"));
    return result;
  }
  if (stopping_) {
    transfer->done.set_value(fail(errc::unavailable, shutting_down));
    return result;
  }
  queued_.push_back(std::move(transfer));
  // Under the mutex: the destructor cannot clean up the multi handle in between.
  curl_multi_wakeup(multi_);
  return result;
}

void HttpClient::Loop::run() {
  std::vector<std::unique_ptr<Transfer>> arrived;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
      arrived.swap(queued_);
    }
    for (auto& transfer : arrived)
      start(std::move(transfer));
    arrived.clear();
    int running = 0;
    curl_multi_perform(multi_, &running);
    collect_finished();
    expire_overdue();
    curl_multi_poll(multi_, nullptr, 0, poll_timeout_ms(), nullptr);
  }
  shut_down();
}

void HttpClient::Loop::start(std::unique_ptr<Transfer> transfer) {
  CURL* handle = nullptr;
  if (idle_.empty()) {
    handle = curl_easy_init();
  } else {
    handle = idle_.back();
    idle_.pop_back();
  }
  if (handle == nullptr) {
    transfer->done.set_value(fail(errc::unavailable, "cannot create an HTTP handle"));
    return;
  }
  configure(handle, *transfer);
  if (curl_multi_add_handle(multi_, handle) != CURLM_OK) {
    curl_easy_cleanup(handle);
    transfer->done.set_value(fail(errc::unavailable, "cannot start the HTTP transfer"));
    return;
  }
  active_.emplace(handle, std::move(transfer));
}

void HttpClient::Loop::configure(CURL* handle, const Transfer& transfer) const {
  const HttpRequest& request = transfer.request;
  const long timeout = remaining_ms(request.deadline);
  curl_easy_setopt(handle, CURLOPT_SHARE, share_);
  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
#endif
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, timeout);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, timeout);
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, transfer.headers.list);
  curl_easy_setopt(handle, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &transfer.exchange);
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, &transfer.exchange);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  if (!options_.ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, options_.ca_file.c_str());
  set_method(handle, request, transfer.upload);
}

void HttpClient::Loop::collect_finished() {
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
    if (message->msg != CURLMSG_DONE) continue;
    CURL* handle = message->easy_handle;
    const CURLcode code = message->data.result;
    const auto it = active_.find(handle);
    if (it == active_.end()) continue;
    finish(handle, outcome(handle, code, it->second->exchange));
  }
}

void HttpClient::Loop::expire_overdue() {
  const auto now = std::chrono::steady_clock::now();
  std::vector<CURL*> overdue;
  for (const auto& [handle, transfer] : active_)
    if (now >= transfer->request.deadline + overdue_grace) overdue.push_back(handle);
  for (CURL* handle : overdue)
    finish(handle, fail(errc::timeout, "library system timed out"));
}

/// Removes the transfer, keeps its easy handle for the next one (the connection stays in the
/// multi's cache) and hands the result to the waiting caller.
void HttpClient::Loop::finish(CURL* handle, Result<HttpResponse> result) {
  auto node = active_.extract(handle);
  curl_multi_remove_handle(multi_, handle);
  if (idle_.size() < options_.max_idle_handles) {
    curl_easy_reset(handle);
    idle_.push_back(handle);
  } else {
    curl_easy_cleanup(handle);
  }
  node.mapped()->done.set_value(std::move(result));
}

int HttpClient::Loop::poll_timeout_ms() const {
  using std::chrono::milliseconds;
  const auto now = std::chrono::steady_clock::now();
  auto wait = milliseconds(idle_poll_ms);
  for (const auto& [handle, transfer] : active_)
    wait = std::min(
        wait, std::chrono::ceil<milliseconds>(transfer->request.deadline + overdue_grace - now));
  return static_cast<int>(std::max(wait, milliseconds(0)).count());
}

void HttpClient::Loop::shut_down() {
  for (auto& [handle, transfer] : active_) {
    curl_multi_remove_handle(multi_, handle);
    curl_easy_cleanup(handle);
    transfer->done.set_value(fail(errc::unavailable, shutting_down));
  }
  active_.clear();
  for (CURL* handle : idle_)
    curl_easy_cleanup(handle);
  idle_.clear();
  std::lock_guard lock(mutex_);
  for (auto& transfer : queued_)
    transfer->done.set_value(fail(errc::unavailable, shutting_down));
  queued_.clear();
}

HttpClient::HttpClient(HttpClientOptions options)
    : loop_(std::make_unique<Loop>(std::move(options))) {}

HttpClient::~HttpClient() = default;

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
  return loop_->submit(request).get();
}

}  // namespace ils
