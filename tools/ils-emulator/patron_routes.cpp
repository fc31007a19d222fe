// Patron routes: users, groups, mod-users-bl, PIN verification, manual and automated blocks.
#include "http_reply.hpp"
#include "routes.hpp"

namespace ils_emulator {

using Req = httplib::Request;
using Res = httplib::Response;

void add_patron_routes(httplib::Server& server, EmulatorContext& c) {
  Library& lib = c.library;
  serve_collection(server, lib, "/users", Collection::users);
  serve_collection(server, lib, "/groups", Collection::groups);
  serve_collection(server, lib, "/manualblocks", Collection::manualblocks);

  server.Get("/bl-users/by-id/([^/]+)", [&lib](const Req& req, Res& res) {
    send_result(res, lib.bl_user(req.matches[1].str()), 200);
  });
  server.Post("/bl-users/login", [&c](const Req& req, Res& res) {
    with_body(req, res, 201, [&](const nlohmann::json& body) {
      auto result = c.library.patron_login(body);
      if (result) res.set_header("x-okapi-token", c.tokens.issue(c.library.clock().now()).access);
      return result;
    });
  });
  server.Post("/patron-pin/verify", [&lib](const Req& req, Res& res) {
    with_body(req, res, 200, [&](const nlohmann::json& body) { return lib.verify_pin(body); });
  });
  server.Post("/manualblocks", [&lib](const Req& req, Res& res) {
    with_body(req, res, 201,
              [&](const nlohmann::json& body) { return lib.create_manual_block(body); });
  });
  server.Delete("/manualblocks/([^/]+)", [&lib](const Req& req, Res& res) {
    send_result(res, lib.delete_manual_block(req.matches[1].str()), 204);
  });
  server.Get("/automated-patron-blocks/([^/]+)", [&lib](const Req& req, Res& res) {
    send_result(res, lib.automated_patron_blocks(req.matches[1].str()), 200);
  });
}

}  // namespace ils_emulator
