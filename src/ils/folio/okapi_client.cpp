// Okapi request plumbing shared by every FOLIO operation.
#include "ils/folio/okapi_client.hpp"

#include "ils/http_util.hpp"

namespace ils::folio {

Call Call::get(std::string operation, std::string path) {
  return Call{"GET", std::move(operation), std::move(path), std::nullopt};
}

Call Call::post(std::string operation, std::string path, Json body) {
  return Call{"POST",          std::move(operation), std::move(path),
              std::move(body), "application/json",   true};
}

Call Call::put(std::string operation, std::string path, Json body) {
  return Call{"PUT",           std::move(operation), std::move(path),
              std::move(body), "application/json",   true};
}

Call Call::del(std::string operation, std::string path) {
  return Call{"DELETE",     std::move(operation), std::move(path),
              std::nullopt, "application/json",   true};
}

Call Call::query_post(std::string operation, std::string path, Json body) {
  Call call = post(std::move(operation), std::move(path), std::move(body));
  call.changes_state = false;
  return call;
}

HttpRequest OkapiClient::build(const CallContext& ctx, const Call& call) const {
  HttpRequest request = transport_.request(ctx, call.method, call.path, call.accept);
  if (call.changes_state) request.min_budget = ctx.min_mutation_budget;
  if (call.body) {
    request.headers.emplace_back("content-type", "application/json");
    // Replace, never throw, should a kiosk have sent bytes that are not UTF-8.
    request.body = call.body->dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  return request;
}

Result<HttpResponse> OkapiClient::send_anonymous(const CallContext& ctx, const Call& call) {
  return transport_.perform(call.operation, build(ctx, call));
}

Result<HttpResponse> OkapiClient::send(const CallContext& ctx, const Call& call) {
  for (int attempt = 0;; ++attempt) {
    auto token = tokens_.token(ctx);
    if (!token) return tl::unexpected(token.error());
    HttpRequest request = build(ctx, call);
    request.headers.emplace_back("X-Okapi-Token", *token);
    auto response = transport_.perform(call.operation, request);
    if (!response || response->status != 401 || attempt > 0) return response;
    tokens_.invalidate(*token);
  }
}

Result<Json> OkapiClient::call(const CallContext& ctx, const Call& call) {
  auto response = send(ctx, call);
  if (!response) return tl::unexpected(response.error());
  if (response->status < 200 || response->status > 299)
    return tl::unexpected(failure_from(*response));
  if (trim(response->body).empty()) return Json{};
  Json json = Json::parse(response->body, nullptr, false);
  if (json.is_discarded()) return fail(errc::bad_response, "FOLIO sent invalid JSON");
  return json;
}

}  // namespace ils::folio
