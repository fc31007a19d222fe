// Okapi request shaping and the mapping of FOLIO's HTTP statuses and error bodies to ils::errc.
#include "ils/folio/transport.hpp"

#include <algorithm>

#include "ils/folio/folio_json.hpp"

namespace ils::folio {

HttpRequest Transport::request(const CallContext& ctx, std::string method, std::string_view path,
                               std::string_view accept) const {
  HttpRequest request;
  request.method = std::move(method);
  request.url = config_.base_url + std::string(path);
  request.headers = {{"X-Okapi-Tenant", config_.tenant}, {"accept", std::string(accept)}};
  if (!ctx.request_id.empty()) request.headers.emplace_back("X-Okapi-Request-Id", ctx.request_id);
  request.deadline =
      std::min(ctx.deadline, std::chrono::steady_clock::now() + config_.call_timeout);
  return request;
}

Result<HttpResponse> Transport::perform(std::string_view operation, const HttpRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  auto response = http_.perform(request);
  if (observer_) {
    const std::error_code outcome =
        response ? status_outcome(response->status) : response.error().code;
    observer_(operation, outcome, std::chrono::steady_clock::now() - start);
  }
  return response;
}

std::error_code status_outcome(int status) {
  if (status >= 200 && status <= 299) return {};
  if (status == 401 || status == 403) return errc::unauthorized;
  if (status == 404) return errc::not_found;
  if (status == 400 || status == 409 || status == 422) return errc::rejected;
  if (status >= 500) return errc::unavailable;
  return errc::bad_response;
}

Failure failure_from(const HttpResponse& response) {
  std::string message = error_message(response.body);
  if (message.empty()) message = "FOLIO answered HTTP " + std::to_string(response.status);
  std::error_code code = status_outcome(response.status);
  if (!code) code = errc::bad_response;
  const Reason reason =
      code == errc::rejected ? refusal_reason(response.body) : Reason::unspecified;
  return Failure{code, std::move(message), reason};
}

}  // namespace ils::folio
