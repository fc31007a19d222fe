// Okapi login-with-expiry and refresh (ils-apis.md §1.1), as edge-sip2's LoginRepository does.
#include "ils/folio/token_manager.hpp"

#include <algorithm>

#include "ils/folio/folio_json.hpp"

namespace ils::folio {
namespace {

using std::chrono::seconds;
using std::chrono::steady_clock;

/// Turns an absolute ISO expiry from the body into a lifetime from now.
std::optional<seconds> lifetime_from_body(const Json& body, const char* key) {
  const auto at = parse_timestamp(text(body, key));
  if (!at) return std::nullopt;
  return std::chrono::duration_cast<seconds>(*at - std::chrono::system_clock::now());
}

Failure login_failure(const HttpResponse& response) {
  std::string message = error_message(response.body);
  if (message.empty()) message = "FOLIO login failed with HTTP " + std::to_string(response.status);
  const errc code = response.status >= 500 ? errc::unavailable : errc::unauthorized;
  return Failure{make_error_code(code), std::move(message)};
}

bool is_transport(const Failure& failure) {
  return failure.code == errc::timeout || failure.code == errc::unavailable;
}

}  // namespace

Result<std::string> TokenManager::token(const CallContext& ctx) {
  std::unique_lock lock(mutex_, std::defer_lock);
  if (!lock.try_lock_until(ctx.deadline))
    return fail(errc::timeout, "timed out waiting for the FOLIO login");
  const auto now = steady_clock::now();
  if (!access_.empty() && now < access_renew_at_) return access_;
  if (!refresh_.empty() && now < refresh_expires_at_) {
    auto refreshed = refresh(ctx);
    if (refreshed) return access_;
    // A refused refresh falls back to a fresh login; a network failure would fail it too.
    if (is_transport(refreshed.error())) return tl::unexpected(refreshed.error());
  }
  auto logged_in = login(ctx);
  if (!logged_in) return tl::unexpected(logged_in.error());
  return access_;
}

void TokenManager::invalidate(const CallContext& ctx, const std::string& token) {
  std::unique_lock lock(mutex_, std::defer_lock);
  if (!lock.try_lock_until(ctx.deadline) || access_ != token) return;
  access_.clear();
  refresh_.clear();
}

Result<void> TokenManager::login(const CallContext& ctx) {
  HttpRequest request =
      transport_.request(ctx, "POST", "/authn/login-with-expiry", "application/json");
  request.headers.emplace_back("content-type", "application/json");
  request.body = Json{{"username", config_.username}, {"password", config_.password}}.dump(
      -1, ' ', false, Json::error_handler_t::replace);
  auto response = transport_.perform("authn.login", request);
  if (!response) return tl::unexpected(response.error());
  if (response->status != 201 && response->status != 200)
    return tl::unexpected(login_failure(*response));
  return store(*response);
}

Result<void> TokenManager::refresh(const CallContext& ctx) {
  HttpRequest request = transport_.request(ctx, "POST", "/authn/refresh", "application/json");
  request.headers.emplace_back("Cookie", "folioRefreshToken=" + refresh_);
  auto response = transport_.perform("authn.refresh", request);
  if (!response) return tl::unexpected(response.error());
  if (response->status != 201 && response->status != 200) {
    refresh_.clear();
    return tl::unexpected(login_failure(*response));
  }
  return store(*response);
}

Result<void> TokenManager::store(const HttpResponse& response) {
  std::string access;
  std::optional<seconds> access_ttl;
  std::string refresh;
  std::optional<seconds> refresh_ttl;
  for (const Cookie& cookie : response.cookies()) {
    if (cookie.name == "folioAccessToken") {
      access = cookie.value;
      access_ttl = cookie.max_age;
    } else if (cookie.name == "folioRefreshToken") {
      refresh = cookie.value;
      refresh_ttl = cookie.max_age;
    }
  }
  // The deprecated /authn/login answered with a header; some proxies still do.
  if (access.empty()) access = response.header("x-okapi-token").value_or("");
  if (access.empty()) return fail(errc::bad_response, "FOLIO login returned no access token");
  const Json body = Json::parse(response.body, nullptr, false);
  if (!access_ttl) access_ttl = lifetime_from_body(body, "accessTokenExpiration");
  if (!refresh_ttl) refresh_ttl = lifetime_from_body(body, "refreshTokenExpiration");

  const auto now = steady_clock::now();
  const seconds ttl = std::max(seconds(0), access_ttl.value_or(seconds(600)));
  // Renew refresh_margin before expiry; a token shorter-lived than that at half its life.
  access_renew_at_ = now + (ttl > config_.refresh_margin ? ttl - config_.refresh_margin : ttl / 2);
  access_ = std::move(access);
  if (!refresh.empty()) {
    refresh_ = std::move(refresh);
    refresh_expires_at_ = now + std::max(seconds(0), refresh_ttl.value_or(seconds(604800)));
  }
  return {};
}

}  // namespace ils::folio
