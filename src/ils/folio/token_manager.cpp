// Okapi login-with-expiry (tokens in cookies) and refresh, as edge-sip2's LoginRepository does.
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

bool created(const HttpResponse& response) {
  return response.status == 201 || response.status == 200;
}

}  // namespace

Result<std::string> TokenManager::token(const CallContext& ctx) {
  std::unique_lock lock(mutex_);
  while (renewing_) {
    if (renewed_.wait_until(lock, ctx.deadline) == std::cv_status::timeout && renewing_)
      return fail(errc::timeout, "timed out waiting for the FOLIO login");
  }
  const auto now = steady_clock::now();
  if (!current_.access.empty() && now < current_.renew_at) return current_.access;
  const std::string refresh_token = now < current_.refresh_expires_at ? current_.refresh : "";
  renewing_ = true;
  lock.unlock();
  auto tokens = renew(ctx, refresh_token);
  lock.lock();
  renewing_ = false;
  renewed_.notify_all();
  if (!tokens) {
    // A refused refresh token is not offered again; a network failure keeps it for later.
    if (!is_transport(tokens.error())) current_.refresh.clear();
    return tl::unexpected(tokens.error());
  }
  if (tokens->refresh.empty()) {
    tokens->refresh = std::move(current_.refresh);
    tokens->refresh_expires_at = current_.refresh_expires_at;
  }
  current_ = std::move(*tokens);
  return current_.access;
}

void TokenManager::invalidate(const std::string& token) {
  std::lock_guard lock(mutex_);
  if (current_.access == token) current_ = Tokens{};
}

Result<TokenManager::Tokens> TokenManager::renew(const CallContext& ctx,
                                                 const std::string& refresh_token) const {
  if (!refresh_token.empty()) {
    auto refreshed = refresh(ctx, refresh_token);
    // A refused refresh falls back to a fresh login; a network failure would fail it too.
    if (refreshed || is_transport(refreshed.error())) return refreshed;
  }
  return login(ctx);
}

Result<TokenManager::Tokens> TokenManager::login(const CallContext& ctx) const {
  HttpRequest request =
      transport_.request(ctx, "POST", "/authn/login-with-expiry", "application/json");
  request.headers.emplace_back("content-type", "application/json");
  request.body = Json{{"username", config_.username}, {"password", config_.password}}.dump(
      -1, ' ', false, Json::error_handler_t::replace);
  auto response = transport_.perform("authn.login", request);
  if (!response) return tl::unexpected(response.error());
  if (!created(*response)) return tl::unexpected(login_failure(*response));
  return parse(*response);
}

Result<TokenManager::Tokens> TokenManager::refresh(const CallContext& ctx,
                                                   const std::string& token) const {
  HttpRequest request = transport_.request(ctx, "POST", "/authn/refresh", "application/json");
  request.headers.emplace_back("Cookie", "folioRefreshToken=" + token);
  auto response = transport_.perform("authn.refresh", request);
  if (!response) return tl::unexpected(response.error());
  if (!created(*response)) return tl::unexpected(login_failure(*response));
  return parse(*response);
}

Result<TokenManager::Tokens> TokenManager::parse(const HttpResponse& response) const {
  Tokens tokens;
  std::optional<seconds> access_ttl;
  std::optional<seconds> refresh_ttl;
  for (const Cookie& cookie : response.cookies()) {
    if (cookie.name == "folioAccessToken") {
      tokens.access = cookie.value;
      access_ttl = cookie.max_age;
    } else if (cookie.name == "folioRefreshToken") {
      tokens.refresh = cookie.value;
      refresh_ttl = cookie.max_age;
    }
  }
  // The deprecated /authn/login answered with a header; some proxies still do.
  if (tokens.access.empty()) tokens.access = response.header("x-okapi-token").value_or("");
  if (tokens.access.empty()) return fail(errc::bad_response, "FOLIO login returned no token");
  const Json body = Json::parse(response.body, nullptr, false);
  if (!access_ttl) access_ttl = lifetime_from_body(body, "accessTokenExpiration");
  if (!refresh_ttl) refresh_ttl = lifetime_from_body(body, "refreshTokenExpiration");

  const auto now = steady_clock::now();
  const seconds ttl = std::max(seconds(0), access_ttl.value_or(seconds(600)));
  // Renew refresh_margin before expiry; a token shorter-lived than that at half its life.
  tokens.renew_at = now + (ttl > config_.refresh_margin ? ttl - config_.refresh_margin : ttl / 2);
  tokens.refresh_expires_at = now + std::max(seconds(0), refresh_ttl.value_or(seconds(604800)));
  return tokens;
}

}  // namespace ils::folio
