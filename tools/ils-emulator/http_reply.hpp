// Glue between cpp-httplib requests/responses and the Library's FolioResult values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "folio_failure.hpp"
#include "library.hpp"
#include "record_store.hpp"

namespace ils_emulator {

/// Writes `result`: JSON (or, for null, an empty body) with `success_status`, or the failure.
void send_result(httplib::Response& res, const FolioResult& result, int success_status);

/// Writes a JSON body.
void send_json(httplib::Response& res, int status, const nlohmann::json& body);

/// Writes a text/plain body, as RMB modules do for 400/401/404/500.
void send_text(httplib::Response& res, int status, std::string_view text);

/// The request body as JSON; 400 "Json content error" when it is not.
[[nodiscard]] tl::expected<nlohmann::json, FolioFailure> read_body(const httplib::Request& req);

/// `offset` and `limit` query parameters (FOLIO's default limit is 10); 400 when malformed.
[[nodiscard]] tl::expected<Paging, FolioFailure> read_paging(const httplib::Request& req);

/// The `query` parameter, when present.
[[nodiscard]] std::optional<std::string> query_param(const httplib::Request& req);

/// The value of cookie `name` in the Cookie header, or "".
[[nodiscard]] std::string cookie_value(const httplib::Request& req, std::string_view name);

/// Serves a CQL list request for `collection` (query, offset, limit).
void serve_query(const httplib::Request& req, httplib::Response& res, Library& library,
                 Collection collection);

/// Registers `GET path` (CQL list) and `GET path/{id}` (one record) for `collection`.
void serve_collection(httplib::Server& server, Library& library, const std::string& path,
                      Collection collection);

/// Parses the JSON body and hands it to `op`; answers 400 for a body that is no JSON object.
template <typename Op>
void with_body(const httplib::Request& req, httplib::Response& res, int success_status, Op op) {
  auto body = read_body(req);
  if (!body) {
    send_result(res, tl::unexpected(body.error()), success_status);
    return;
  }
  send_result(res, op(*body), success_status);
}

}  // namespace ils_emulator
