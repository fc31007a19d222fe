// mod-login routes: cookie login with expiry, the legacy header login, refresh and logout.
#include "http_reply.hpp"
#include "json_fields.hpp"
#include "routes.hpp"

namespace ils_emulator {
namespace {

using nlohmann::json;

FolioFailure wrong_credentials() {
  return validation_failure({{"Wrong username or password or account is blocked.",
                              {},
                              "wrong.username.or.wrong.password.or.account.blocked"}});
}

std::string cookie(const std::string& name, const std::string& value, std::chrono::seconds ttl,
                   const char* path) {
  return name + "=" + value + "; Max-Age=" + std::to_string(ttl.count()) + "; Path=" + path +
         "; HttpOnly; SameSite=Lax";
}

/// 201 with folioAccessToken/folioRefreshToken cookies and the expiries in the body.
void send_token_cookies(httplib::Response& res, const TokenPair& pair, TimePoint now) {
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  res.set_header("Set-Cookie", cookie("folioAccessToken", pair.access,
                                      duration_cast<seconds>(pair.access_expires - now), "/"));
  res.set_header("Set-Cookie",
                 cookie("folioRefreshToken", pair.refresh,
                        duration_cast<seconds>(pair.refresh_expires - now), "/authn"));
  send_json(res, 201,
            {{"accessTokenExpiration", format_zulu_time(pair.access_expires)},
             {"refreshTokenExpiration", format_zulu_time(pair.refresh_expires)}});
}

bool credentials_match(EmulatorContext& c, const json& body) {
  return member(body, "username").is_string() && member(body, "password").is_string() &&
         c.library.check_password(text(body, "username"), text(body, "password"));
}

}  // namespace

void add_auth_routes(httplib::Server& server, EmulatorContext& c) {
  server.Post("/authn/login-with-expiry",
              [&c](const httplib::Request& req, httplib::Response& res) {
                auto body = read_body(req);
                if (!body) return send_result(res, tl::unexpected(body.error()), 201);
                if (!credentials_match(c, *body))
                  return send_result(res, tl::unexpected(wrong_credentials()), 201);
                const TimePoint now = c.library.clock().now();
                send_token_cookies(res, c.tokens.issue(now), now);
              });
  server.Post("/authn/login", [&c](const httplib::Request& req, httplib::Response& res) {
    auto body = read_body(req);
    if (!body) return send_result(res, tl::unexpected(body.error()), 201);
    if (!credentials_match(c, *body))
      return send_result(res, tl::unexpected(wrong_credentials()), 201);
    const TokenPair pair = c.tokens.issue(c.library.clock().now());
    res.set_header("x-okapi-token", pair.access);
    send_json(res, 201, {{"okapiToken", pair.access}});
  });
  server.Post("/authn/refresh", [&c](const httplib::Request& req, httplib::Response& res) {
    const std::string refresh = cookie_value(req, "folioRefreshToken");
    if (refresh.empty()) return send_text(res, 400, "No refresh token in the request cookies");
    const TimePoint now = c.library.clock().now();
    const auto pair = c.tokens.refresh(refresh, now);
    if (!pair) {
      return send_result(res,
                         tl::unexpected(validation_failure(
                             {{"Invalid or expired refresh token", {}, "token.refresh.invalid"}})),
                         201);
    }
    send_token_cookies(res, *pair, now);
  });
  server.Post("/authn/logout", [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Set-Cookie", "folioAccessToken=; Max-Age=0; Path=/");
    res.set_header("Set-Cookie", "folioRefreshToken=; Max-Age=0; Path=/authn");
    res.status = 204;
  });
}

}  // namespace ils_emulator
