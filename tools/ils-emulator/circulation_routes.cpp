// mod-circulation routes: loans, check-out, check-in, renewals, requests, loan policies.
#include "http_reply.hpp"
#include "routes.hpp"

namespace ils_emulator {

using Req = httplib::Request;
using Res = httplib::Response;
using nlohmann::json;

void add_circulation_routes(httplib::Server& server, EmulatorContext& c) {
  Library& lib = c.library;
  serve_collection(server, lib, "/circulation/loans", Collection::loans);
  serve_collection(server, lib, "/circulation/requests", Collection::requests);
  serve_collection(server, lib, "/loan-policy-storage/loan-policies", Collection::loan_policies);

  server.Post("/circulation/check-out-by-barcode", [&lib](const Req& req, Res& res) {
    with_body(req, res, 201, [&](const json& body) { return lib.check_out(body); });
  });
  server.Post("/circulation/check-in-by-barcode", [&lib](const Req& req, Res& res) {
    with_body(req, res, 200, [&](const json& body) { return lib.check_in(body); });
  });
  server.Post("/circulation/renew-by-barcode", [&lib](const Req& req, Res& res) {
    with_body(req, res, 200, [&](const json& body) { return lib.renew_by_barcode(body); });
  });
  server.Post("/circulation/renew-by-id", [&lib](const Req& req, Res& res) {
    with_body(req, res, 200, [&](const json& body) { return lib.renew_by_id(body); });
  });
  server.Post("/circulation/loans/([^/]+)/change-due-date", [&lib](const Req& req, Res& res) {
    with_body(req, res, 201,
              [&](const json& body) { return lib.change_due_date(req.matches[1].str(), body); });
  });
  server.Post("/circulation/requests", [&lib](const Req& req, Res& res) {
    with_body(req, res, 201, [&](const json& body) { return lib.create_request(body); });
  });
  server.Put("/circulation/requests/([^/]+)", [&lib](const Req& req, Res& res) {
    with_body(req, res, 204,
              [&](const json& body) { return lib.update_request(req.matches[1].str(), body); });
  });
}

}  // namespace ils_emulator
