// Header lookup and Set-Cookie parsing of HttpResponse.
#include <charconv>

#include "ils/http_client.hpp"
#include "ils/http_util.hpp"

namespace ils {

std::optional<std::string> HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (iequals(key, name)) return value;
  return std::nullopt;
}

std::vector<Cookie> HttpResponse::cookies() const {
  std::vector<Cookie> out;
  for (const auto& [key, value] : headers) {
    if (!iequals(key, "set-cookie")) continue;
    if (auto cookie = parse_set_cookie(value)) out.push_back(std::move(*cookie));
  }
  return out;
}

std::optional<Cookie> parse_set_cookie(std::string_view value) {
  Cookie cookie;
  bool first = true;
  while (!value.empty()) {
    const auto semi = value.find(';');
    const std::string_view part = trim(value.substr(0, semi));
    value = semi == std::string_view::npos ? std::string_view{} : value.substr(semi + 1);
    const auto eq = part.find('=');
    const std::string_view name = trim(part.substr(0, eq));
    const std::string_view val =
        eq == std::string_view::npos ? std::string_view{} : trim(part.substr(eq + 1));
    if (first) {
      if (eq == std::string_view::npos || name.empty()) return std::nullopt;
      cookie.name = name;
      cookie.value = val;
      first = false;
    } else if (iequals(name, "max-age")) {
      long long seconds = 0;
      const auto [ptr, ec] = std::from_chars(val.data(), val.data() + val.size(), seconds);
      if (ec == std::errc{} && ptr == val.data() + val.size())
        cookie.max_age = std::chrono::seconds(seconds);
    } else if (iequals(name, "path")) {
      cookie.path = val;
    }
  }
  if (first) return std::nullopt;
  return cookie;
}

}  // namespace ils
