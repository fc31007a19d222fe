// The test control API under /_emulator: faults, outage, lost answers, clock, tokens, patron
// changes, ledger, stats, health.
//
//   POST /_emulator/latency     {"ms", "path_prefix"}          delay matching requests
//   POST /_emulator/fail        {"status", "count", "path_prefix"}  fail the next matching ones
//   POST /_emulator/outage      {"on"}                          503 for everything while on
//   POST /_emulator/lose-answer {"prefix", "count", "mode", "hold_ms"}  the next `count` requests
//        whose path starts with `prefix` are applied, then their answer is lost: mode "hold"
//        (default) keeps the connection until the client gives up (at most hold_ms, default
//        60000) and closes it without a byte; mode "502" answers 502 instead. Counted in stats.
//   POST /_emulator/clock · /tokens · /reset (clears every fault above and the counters)
//   POST /_emulator/patrons/update · /block · /unblock · /delete
//   GET  /_emulator/ledger[?since=SEQ] · /stats · /clock · /health
#include <charconv>

#include "http_reply.hpp"
#include "json_fields.hpp"
#include "routes.hpp"

namespace ils_emulator {
namespace {

using Req = httplib::Request;
using Res = httplib::Response;
using nlohmann::json;

/// Runs `op` on the JSON body; `op` returns an error text or "" for success.
template <typename Op>
void control(const Req& req, Res& res, Op op) {
  const json body = req.body.empty() ? json::object() : json::parse(req.body, nullptr, false);
  if (!body.is_object()) return send_text(res, 400, "body must be a JSON object");
  const std::string error = op(body);
  if (!error.empty()) return send_text(res, 400, error);
  send_json(res, 200, {{"ok", true}});
}

/// Runs `op` on the JSON body and sends its result (200) or failure.
template <typename Op>
void control_call(const Req& req, Res& res, Op op) {
  const json body = req.body.empty() ? json::object() : json::parse(req.body, nullptr, false);
  if (!body.is_object()) return send_text(res, 400, "body must be a JSON object");
  send_result(res, op(body), 200);
}

bool in_range(const json& body, const char* key, long long low, long long high) {
  const json& value = member(body, key);
  return value.is_number_integer() && value.get<long long>() >= low &&
         value.get<long long>() <= high;
}

}  // namespace

void add_control_routes(httplib::Server& server, EmulatorContext& c) {
  server.Post("/_emulator/latency", [&c](const Req& req, Res& res) {
    control(req, res, [&](const json& body) -> std::string {
      if (!in_range(body, "ms", 0, 600000)) return "ms: must be an integer 0..600000";
      c.faults.set_latency(std::chrono::milliseconds(integer(body, "ms")),
                           text(body, "path_prefix"));
      return {};
    });
  });
  server.Post("/_emulator/fail", [&c](const Req& req, Res& res) {
    control(req, res, [&](const json& body) -> std::string {
      if (!in_range(body, "status", 100, 599)) return "status: must be an integer 100..599";
      if (body.contains("count") && !in_range(body, "count", -1, 1000000000)) {
        return "count: must be an integer >= -1";
      }
      c.faults.set_failure(static_cast<int>(integer(body, "status")), integer(body, "count", 1),
                           text(body, "path_prefix"));
      return {};
    });
  });
  server.Post("/_emulator/outage", [&c](const Req& req, Res& res) {
    control(req, res, [&](const json& body) -> std::string {
      if (!member(body, "on").is_boolean()) return "on: must be true or false";
      c.faults.set_outage(flag(body, "on"));
      return {};
    });
  });
  server.Post("/_emulator/lose-answer", [&c](const Req& req, Res& res) {
    control(req, res, [&](const json& body) -> std::string {
      if (!member(body, "prefix").is_string()) return "prefix: must be a string";
      if (body.contains("count") && !in_range(body, "count", 1, 1000000000)) {
        return "count: must be an integer 1..1000000000";
      }
      if (body.contains("hold_ms") && !in_range(body, "hold_ms", 0, 600000)) {
        return "hold_ms: must be an integer 0..600000";
      }
      const std::string mode = text_or(body, "mode", "hold");
      if (mode != "hold" && mode != "502") return "mode: must be \"hold\" or \"502\"";
      c.faults.set_lost_answers(text(body, "prefix"), integer(body, "count", 1),
                                mode == "502" ? LostAnswer::bad_gateway : LostAnswer::hold,
                                std::chrono::milliseconds(integer(body, "hold_ms", 60000)));
      return {};
    });
  });
  server.Post("/_emulator/clock", [&c](const Req& req, Res& res) {
    control(req, res, [&](const json& body) -> std::string {
      if (!in_range(body, "advance_seconds", -3153600000, 3153600000)) {
        return "advance_seconds: must be an integer";
      }
      c.library.clock().advance(integer(body, "advance_seconds"));
      return {};
    });
  });
  server.Post("/_emulator/tokens", [&c](const Req& req, Res& res) {
    control(req, res, [&](const json& body) -> std::string {
      if (body.contains("access_ttl_seconds") &&
          !in_range(body, "access_ttl_seconds", 1, 31536000)) {
        return "access_ttl_seconds: must be an integer 1..31536000";
      }
      const auto ttl =
          std::chrono::seconds(integer(body, "access_ttl_seconds", c.tokens.access_ttl().count()));
      c.tokens.set_ttls(ttl, std::max(ttl, c.tokens.refresh_ttl()));
      if (flag(body, "revoke")) c.tokens.revoke_all();
      return {};
    });
  });
  server.Post("/_emulator/reset", [&c](const Req&, Res& res) {
    c.faults.reset();
    c.library.clock().reset();
    c.tokens.set_ttls(c.library.access_ttl(), c.library.refresh_ttl());
    send_json(res, 200, {{"ok", true}});
  });
  server.Post("/_emulator/patrons/update", [&c](const Req& req, Res& res) {
    control_call(req, res, [&](const json& body) { return c.library.update_patron(body); });
  });
  server.Post("/_emulator/patrons/block", [&c](const Req& req, Res& res) {
    control_call(req, res, [&](const json& body) { return c.library.block_patron(body); });
  });
  server.Post("/_emulator/patrons/unblock", [&c](const Req& req, Res& res) {
    control_call(req, res, [&](const json& body) { return c.library.unblock_patron(body); });
  });
  server.Post("/_emulator/patrons/delete", [&c](const Req& req, Res& res) {
    control_call(req, res, [&](const json& body) { return c.library.delete_patron(body); });
  });
  server.Get("/_emulator/ledger", [&c](const Req& req, Res& res) {
    long long since = 0;
    if (req.has_param("since")) {
      const std::string value = req.get_param_value("since");
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), since);
      if (ec != std::errc{} || end != value.data() + value.size() || since < 0) {
        return send_text(res, 400, "since: must be a ledger sequence number");
      }
    }
    send_json(res, 200, c.library.ledger(since));
  });
  server.Get("/_emulator/stats",
             [&c](const Req&, Res& res) { send_json(res, 200, c.faults.stats()); });
  server.Get("/_emulator/clock", [&c](const Req&, Res& res) {
    send_json(res, 200,
              {{"now", format_folio_time(c.library.clock().now())},
               {"offset_seconds", c.library.clock().offset_seconds()}});
  });
  server.Get("/_emulator/health", [](const Req&, Res& res) {
    send_json(res, 200, {{"status", "ok"}});
  });
}

}  // namespace ils_emulator
