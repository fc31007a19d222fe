// The outbox routes on cpp-httplib: arguments read and checked here, the work done by the hooks.
#include "admin/outbox_routes.hpp"

#include <httplib.h>

#include <charconv>
#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

namespace admin {
namespace {

constexpr auto json_content_type = "application/json";
constexpr std::size_t default_limit = 100;
constexpr std::size_t max_limit = 1000;

std::optional<std::uint64_t> number(std::string_view s) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

void send(httplib::Response& res, const Reply& reply) {
  res.status = reply.status;
  res.set_content(reply.json, json_content_type);
}

void send_error(httplib::Response& res, int status, const std::string& what) {
  send(res, {status, nlohmann::json{{"error", what}}.dump()});
}

/// True for a JSON body (media type application/json, parameters allowed).
bool says_json(const httplib::Request& req) {
  const auto type = req.get_header_value("Content-Type");
  const std::string_view media = std::string_view(type).substr(0, type.find(';'));
  return media == json_content_type;
}

/// The job id of /outbox/jobs/ID/..., or nullopt (the answer is sent).
std::optional<std::uint64_t> job_id(const httplib::Request& req, httplib::Response& res) {
  if (!says_json(req)) {
    send_error(res, 415, "send Content-Type: application/json");
    return std::nullopt;
  }
  auto id = req.matches.size() > 1 ? number(req.matches[1].str()) : std::nullopt;
  if (!id) send_error(res, 404, "no such job");
  return id;
}

void exceptions(const OutboxHooks& hooks, const httplib::Request& req, httplib::Response& res) {
  std::uint64_t after = 0;
  std::size_t limit = default_limit;
  if (req.has_param("after")) {
    auto n = number(req.get_param_value("after"));
    if (!n) return send_error(res, 400, "after: must be a job id");
    after = *n;
  }
  if (req.has_param("limit")) {
    auto n = number(req.get_param_value("limit"));
    if (!n || *n == 0 || *n > max_limit)
      return send_error(res, 400, "limit: must be a number from 1 to 1000");
    limit = static_cast<std::size_t>(*n);
  }
  send(res, hooks.exceptions(after, limit));
}

void drop(const OutboxHooks& hooks, const httplib::Request& req, httplib::Response& res) {
  auto id = job_id(req, res);
  if (!id) return;
  const auto body = nlohmann::json::parse(req.body, nullptr, false);
  if (!body.is_object() || !body.contains("reason") || !body["reason"].is_string())
    return send_error(res, 400, "send a JSON object with a string \"reason\"");
  send(res, hooks.drop(*id, body["reason"].get<std::string>()));
}

}  // namespace

void add_outbox_routes(httplib::Server& server, const OutboxHooks& hooks) {
  if (hooks.exceptions)
    server.Get("/outbox/exceptions", [&hooks](const httplib::Request& req, httplib::Response& res) {
      exceptions(hooks, req, res);
    });
  if (hooks.stats)
    server.Get("/outbox/stats", [&hooks](const httplib::Request&, httplib::Response& res) {
      send(res, hooks.stats());
    });
  if (hooks.retry)
    server.Post(R"(/outbox/jobs/(\d+)/retry)",
                [&hooks](const httplib::Request& req, httplib::Response& res) {
                  if (auto id = job_id(req, res)) send(res, hooks.retry(*id));
                });
  if (hooks.drop)
    server.Post(
        R"(/outbox/jobs/(\d+)/drop)",
        [&hooks](const httplib::Request& req, httplib::Response& res) { drop(hooks, req, res); });
}

}  // namespace admin
