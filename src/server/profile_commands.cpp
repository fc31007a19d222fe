// `sip2gw profiles list|show|match`.
#include "server/profile_commands.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <optional>
#include <ostream>

#include "server/runtime.hpp"

namespace server {

namespace {

constexpr const char* kUsage =
    "usage: sip2gw profiles list --config FILE\n"
    "       sip2gw profiles show NAME --config FILE\n"
    "       sip2gw profiles match --port P --addr A [--login L] [--location CP] --config FILE\n";

/// "/a/b/0" → "a.b[0]" (nlohmann unescapes each token).
std::string dotted(const std::string& pointer) {
  std::vector<std::string> parts;
  for (nlohmann::json::json_pointer p(pointer); !p.empty(); p.pop_back())
    parts.push_back(p.back());
  std::string out;
  for (auto part = parts.rbegin(); part != parts.rend(); ++part) {
    const bool index = !part->empty() && std::all_of(part->begin(), part->end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c)) != 0;
    });
    out += index ? "[" + *part + "]" : (out.empty() ? "" : ".") + *part;
  }
  return out;
}

std::string joined(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v)
    out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "(nothing but the built-in baseline)" : out;
}

/// Every value of the effective profile, one per line: path, value, the file that set it.
void show(const profiles::Profile& p, std::ostream& out) {
  out << "profile " << p.id << " (" << p.file << ")\n";
  if (!p.vendor.empty()) out << "vendor: " << p.vendor << "\n";
  out << "extends: " << joined(p.extends) << "\n";
  out << "match: " << (p.match.empty() ? "none (bound by the config)" : p.match.describe())
      << "\n\n";
  std::size_t width = 0;
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto& [pointer, source] : p.sources) {
    rows.emplace_back(dotted(pointer),
                      p.effective.at(nlohmann::json::json_pointer(pointer)).dump());
    width = std::max(width, rows.back().first.size() + 3 + rows.back().second.size());
  }
  width = std::min<std::size_t>(width, 64);  // a long text does not push every other line out
  std::size_t i = 0;
  for (const auto& [pointer, source] : p.sources) {
    const auto& [path, value] = rows[i++];
    const std::string cell = path + " = " + value;
    out << cell << std::string(cell.size() < width ? width - cell.size() + 2 : 2, ' ') << "from "
        << source << "\n";
  }
}

std::optional<std::uint16_t> port_of(const std::string& text) {
  unsigned v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v == 0 || v > 65535)
    return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

int match(const Runtime& rt, const std::vector<std::string>& words, std::ostream& out,
          std::ostream& err) {
  profiles::Connection c;
  std::optional<std::uint16_t> port;
  for (std::size_t i = 1; i < words.size(); ++i) {
    const auto& opt = words[i];
    if (i + 1 >= words.size()) {
      err << "sip2gw profiles match: " << opt << " needs a value\n" << kUsage;
      return 2;
    }
    const auto& v = words[++i];
    if (opt == "--port") {
      if (!(port = port_of(v))) {
        err << "sip2gw profiles match: --port: must be a port from 1 to 65535\n";
        return 2;
      }
    } else if (opt == "--addr") {
      c.address = v;
    } else if (opt == "--login") {
      c.login = v;
    } else if (opt == "--location") {
      c.location = v;
    } else {
      err << "sip2gw profiles match: unknown argument '" << opt << "'\n" << kUsage;
      return 2;
    }
  }
  if (!port || c.address.empty()) {
    err << "sip2gw profiles match: --port and --addr are required\n" << kUsage;
    return 2;
  }
  c.port = *port;
  const config::ListenerConfig* listener = nullptr;
  for (const auto& l : rt.config.listeners)
    if (l.port == c.port) listener = &l;
  config::ListenerConfig none;
  none.name = "(none)";
  if (listener == nullptr)
    out << "note: no listener of the config is on port " << c.port
        << "; only bindings and match rules can apply\n";
  const auto at_accept = rt.choose_at_accept(listener != nullptr ? *listener : none, c);
  out << "at accept: " << at_accept.profile->id << " (" << at_accept.reason << ")\n";
  const auto* chosen = at_accept.profile;
  if (c.login) {
    const auto* account = rt.account(*c.login);
    const auto at_login = rt.choose_at_login(account, c);
    if (at_login) {
      out << "at login: " << at_login->profile->id << " (" << at_login->reason << ")\n";
      chosen = at_login->profile;
    } else {
      out << "at login: unchanged (no binding, account profile or login match rule applies)\n";
    }
    if (account == nullptr) out << "note: no account '" << *c.login << "' in the config\n";
  }
  out << "profile: " << chosen->id << "\n";
  return 0;
}

}  // namespace

int run_profiles_command(const std::vector<std::string>& words, const config::Config& cfg,
                         std::ostream& out, std::ostream& err) {
  if (words.empty() || (words[0] != "list" && words[0] != "show" && words[0] != "match")) {
    err << kUsage;
    return 2;
  }
  if ((words[0] == "show" && words.size() != 2) || (words[0] == "list" && words.size() != 1)) {
    err << kUsage;
    return 2;
  }
  auto built = build_runtime(cfg, nullptr, nullptr);
  if (auto* errors = std::get_if<std::vector<std::string>>(&built)) {
    for (const auto& e : *errors)
      err << e << "\n";
    return 2;
  }
  const Runtime& rt = *std::get<std::shared_ptr<const Runtime>>(built);
  if (words[0] == "list") {
    for (const auto& id : rt.profiles.ids()) {
      const auto* p = rt.profiles.find(id);
      out << id << "  " << p->file
          << "  match: " << (p->match.empty() ? "none" : p->match.describe()) << "\n";
    }
    return 0;
  }
  if (words[0] == "show") {
    const auto* p = rt.profiles.find(words[1]);
    if (p == nullptr) {
      err << "sip2gw profiles show: no profile '" << words[1] << "' (sip2gw profiles list)\n";
      return 1;
    }
    show(*p, out);
    return 0;
  }
  return match(rt, words, out, err);
}

}  // namespace server
