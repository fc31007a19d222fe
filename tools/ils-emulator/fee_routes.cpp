// mod-feesfines routes: accounts, fee/fine types and actions, pay, check-pay, bulk pay.
#include "http_reply.hpp"
#include "routes.hpp"

namespace ils_emulator {

using Req = httplib::Request;
using Res = httplib::Response;
using nlohmann::json;

void add_fee_routes(httplib::Server& server, EmulatorContext& c) {
  Library& lib = c.library;
  serve_collection(server, lib, "/accounts", Collection::accounts);
  serve_collection(server, lib, "/feefines", Collection::feefines);
  serve_collection(server, lib, "/feefineactions", Collection::feefineactions);

  server.Post("/accounts/([^/]+)/pay", [&lib](const Req& req, Res& res) {
    with_body(req, res, 201, [&](const json& body) { return lib.pay(req.matches[1].str(), body); });
  });
  server.Post("/accounts/([^/]+)/check-pay", [&lib](const Req& req, Res& res) {
    with_body(req, res, 200,
              [&](const json& body) { return lib.check_pay(req.matches[1].str(), body); });
  });
  server.Post("/accounts-bulk/pay", [&lib](const Req& req, Res& res) {
    with_body(req, res, 201, [&](const json& body) { return lib.pay_bulk(body); });
  });
}

}  // namespace ils_emulator
