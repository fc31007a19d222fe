// HTTP reply helpers.
#include "http_reply.hpp"

#include <charconv>

namespace ils_emulator {
namespace {

tl::expected<std::size_t, FolioFailure> count_param(const httplib::Request& req, const char* name,
                                                    std::size_t fallback) {
  if (!req.has_param(name)) return fallback;
  const std::string value = req.get_param_value(name);
  long long number = -1;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (value.empty() || ec != std::errc{} || end != value.data() + value.size() || number < 0 ||
      number > 2147483647) {
    return tl::unexpected(text_failure(
        400, "'" + std::string(name) + "' parameter is incorrect. parameter value {" + value +
                 "} is not valid: must be an integer, greater than or equal to 0"));
  }
  return static_cast<std::size_t>(number);
}

}  // namespace

void send_json(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/json");
}

void send_text(httplib::Response& res, int status, std::string_view text) {
  res.status = status;
  res.set_content(std::string(text), "text/plain");
}

void send_result(httplib::Response& res, const FolioResult& result, int success_status) {
  if (result) {
    if (result->is_null()) {
      res.status = success_status;
      return;
    }
    send_json(res, success_status, *result);
    return;
  }
  const FolioFailure& failure = result.error();
  if (!failure.body.is_null()) {
    send_json(res, failure.status, failure.body);
  } else if (!failure.text.empty()) {
    send_text(res, failure.status, failure.text);
  } else {
    res.status = failure.status;
  }
}

tl::expected<nlohmann::json, FolioFailure> read_body(const httplib::Request& req) {
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return tl::unexpected(text_failure(400, "Json content error"));
  }
  return body;
}

tl::expected<Paging, FolioFailure> read_paging(const httplib::Request& req) {
  auto offset = count_param(req, "offset", 0);
  if (!offset) return tl::unexpected(offset.error());
  auto limit = count_param(req, "limit", 10);
  if (!limit) return tl::unexpected(limit.error());
  return Paging{*offset, *limit};
}

std::optional<std::string> query_param(const httplib::Request& req) {
  if (!req.has_param("query")) return std::nullopt;
  return req.get_param_value("query");
}

std::string cookie_value(const httplib::Request& req, std::string_view name) {
  const std::string header = req.get_header_value("Cookie");
  std::string_view rest = header;
  while (!rest.empty()) {
    const auto semi = rest.find(';');
    std::string_view part = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    while (!part.empty() && part.front() == ' ')
      part.remove_prefix(1);
    const auto eq = part.find('=');
    if (eq != std::string_view::npos && part.substr(0, eq) == name) {
      return std::string(part.substr(eq + 1));
    }
  }
  return {};
}

void serve_query(const httplib::Request& req, httplib::Response& res, Library& library,
                 Collection collection) {
  auto paging = read_paging(req);
  if (!paging) {
    send_result(res, tl::unexpected(paging.error()), 200);
    return;
  }
  send_result(res, library.query(collection, query_param(req), *paging), 200);
}

void serve_collection(httplib::Server& server, Library& library, const std::string& path,
                      Collection collection) {
  server.Get(path, [&library, collection](const httplib::Request& req, httplib::Response& res) {
    serve_query(req, res, library, collection);
  });
  server.Get(path + "/([^/]+)",
             [&library, collection](const httplib::Request& req, httplib::Response& res) {
               send_result(res, library.get(collection, req.matches[1].str()), 200);
             });
}

}  // namespace ils_emulator
