// Loading the config file: JSON syntax, the root keys, overrides and cross-checks.
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "config/sections.hpp"

namespace config {

std::optional<std::pair<std::string, std::uint16_t>> parse_host_port(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return std::nullopt;  // IPv6 needs brackets
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (host.empty() || port.empty() || ec != std::errc{} || end != port.data() + port.size() ||
      value > 65535)
    return std::nullopt;
  return std::pair{std::string(host), static_cast<std::uint16_t>(value)};
}

namespace detail {

std::filesystem::path resolve(const std::filesystem::path& base, const std::string& p) {
  if (p.empty()) return {};
  std::filesystem::path path(p);
  return path.is_absolute() ? path : (base / path).lexically_normal();
}

void read_limits(ObjectReader r, Limits& l) {
  r.integer("max_connections", l.max_connections, 1, 1'000'000);
  r.integer("max_connections_per_address", l.max_connections_per_address, 1, 1'000'000);
  r.duration("login_timeout_seconds", l.login_timeout, 1, 86400);
  r.duration("idle_timeout_seconds", l.idle_timeout, 1, 7 * 86400);
  r.duration("partial_frame_timeout_seconds", l.partial_frame_timeout, 1, 3600);
  r.duration("tls_handshake_timeout_seconds", l.tls_handshake_timeout, 1, 600);
  r.duration("write_timeout_seconds", l.write_timeout, 1, 3600);
  r.duration("proxy_header_timeout_seconds", l.proxy_header_timeout, 1, 600);
  r.duration("drain_timeout_seconds", l.drain_timeout, 0, 3600);
  r.duration("request_timeout_ms", l.request_timeout, 100, 600'000);
  r.duration("min_mutation_budget_ms", l.min_mutation_budget, 0, 600'000);
  if (l.min_mutation_budget >= l.request_timeout)
    r.error("min_mutation_budget_ms", "must be less than request_timeout_ms");
  r.integer("max_frame_length", l.max_frame_length, 256, 1'048'576);
  r.integer("login_failures_before_delay", l.login_failures_before_delay, 1, 1000);
  r.integer("login_failures_before_close", l.login_failures_before_close, 1, 1000);
  r.duration("login_failure_window_seconds", l.login_failure_window, 1, 86400);
  r.integer("login_failures_per_account", l.login_failures_per_account, 1, 100'000);
  r.integer("pre_login_burst", l.pre_login_burst, 1, 10'000);
  r.integer("pre_login_per_minute", l.pre_login_per_minute, 1, 600'000);
  r.integer("login_table_size", l.login_table_size, 16, 10'000'000);
  auto k = r.object("keepalive");
  k.boolean("enabled", l.keepalive.enabled);
  k.duration("idle_seconds", l.keepalive.idle, 1, 86400);
  k.duration("interval_seconds", l.keepalive.interval, 1, 3600);
  k.integer("count", l.keepalive.count, 1, 100);
}

void read_listeners(ObjectReader& root, Config& c, const std::filesystem::path& base) {
  std::set<std::string, std::less<>> names;
  root.array("listeners", [&](const nlohmann::json& j, const std::string& path) {
    ObjectReader r(&j, path, root.errors());
    ListenerConfig l;
    l.name = "sip" + std::to_string(c.listeners.size());
    r.string("name", l.name);
    std::string listen;
    r.string("listen", listen, true);
    if (!listen.empty()) {
      if (auto hp = parse_host_port(listen))
        std::tie(l.host, l.port) = *hp;
      else
        r.error("listen", "must be HOST:PORT (IPv6 as [ADDR]:PORT)");
    }
    if (!names.insert(l.name).second) r.error("name", "duplicate listener name '" + l.name + "'");
    r.choice("proxy_protocol", l.proxy_protocol,
             {{"none", ProxyProtocol::none},
              {"v1", ProxyProtocol::v1},
              {"v2", ProxyProtocol::v2},
              {"any", ProxyProtocol::any}});
    r.string("profile", l.profile);
    std::vector<std::string> proxies;
    r.strings("trusted_proxies", proxies);
    for (std::size_t i = 0; i < proxies.size(); ++i) {
      if (auto cidr = Cidr::parse(proxies[i]))
        l.trusted_proxies.push_back(*cidr);
      else
        r.error("trusted_proxies[" + std::to_string(i) + "]",
                "must be an address or network like 10.1.0.0/16");
    }
    if (l.proxy_protocol != ProxyProtocol::none && l.trusted_proxies.empty())
      r.error("trusted_proxies",
              "is required with proxy_protocol: list the load balancers whose PROXY header "
              "is believed");
    if (r.has("tls")) {
      auto t = r.object("tls");
      TlsConfig tls;
      std::string cert, key, ca;
      t.string("cert_file", cert, true);
      t.string("key_file", key, true);
      t.string("client_ca_file", ca);
      t.boolean("require_client_cert", tls.require_client_cert);
      tls.cert_file = resolve(base, cert);
      tls.key_file = resolve(base, key);
      if (!key.empty()) require_private_file(t, "key_file", tls.key_file);
      tls.client_ca_file = resolve(base, ca);
      if (tls.require_client_cert && ca.empty())
        t.error("require_client_cert", "needs client_ca_file");
      l.tls = tls;
    }
    c.listeners.push_back(std::move(l));
  });
}

}  // namespace detail

namespace {

std::optional<nlohmann::json> parse_file(const std::filesystem::path& file, Errors& errors) {
  std::ifstream in(file);
  if (!in) {
    errors.push_back("config: cannot read '" + file.string() + "'");
    return std::nullopt;
  }
  std::stringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str(), nullptr, true, /*ignore_comments=*/false);
  } catch (const nlohmann::json::parse_error& e) {
    errors.push_back("config: not valid JSON (byte " + std::to_string(e.byte) + ")");
    return std::nullopt;
  }
}

void read_root(const nlohmann::json& j, Config& c, const std::filesystem::path& base,
               Errors& errors) {
  ObjectReader root(&j, "", errors);
  int version = 0;
  if (!root.has("version")) root.error("version", "is required (this sip2gw reads version 1)");
  root.integer("version", version, 1, 1000);
  if (version > 1)
    root.error("version", "is " + std::to_string(version) + "; this sip2gw reads version 1");
  root.string("library_name", c.library_name);
  root.string("currency", c.currency);
  if (c.currency.size() != 3) root.error("currency", "must be a three-letter ISO 4217 code");
  std::string zone_name;
  root.string("timezone", zone_name);
  if (!root.has("timezone"))
    c.timezone = zone::TimeZone::system();
  else if (auto z = zone::TimeZone::locate(zone_name))
    c.timezone = *z;
  else if (j.at("timezone").is_string())
    root.error("timezone", "unknown time zone '" + zone_name + "'");
  std::string data_dir = "data";
  root.string("data_dir", data_dir);
  c.data_dir = detail::resolve(base, data_dir);
  detail::read_listeners(root, c, base);
  detail::read_limits(root.object("limits"), c.limits);
  detail::read_accounts(root, c);
  detail::read_profiles(root.object("profiles"), c.profiles, errors);
  c.profiles.dir = detail::resolve(
      base, c.profiles.dir.empty() ? std::string("../firmware-profiles") : c.profiles.dir.string());
  detail::read_backend(root.object("backend"), c.backend, base, errors);
  if (c.limits.min_mutation_budget >= c.backend.folio.call_timeout)
    root.error("limits", "min_mutation_budget_ms must be less than backend.folio.call_timeout_ms");

  auto log = root.object("logging");
  log.choice("format", c.logging.format, {{"text", LogFormat::text}, {"json", LogFormat::json}});
  log.choice("level", c.logging.level,
             {{"trace", spdlog::level::trace},
              {"debug", spdlog::level::debug},
              {"info", spdlog::level::info},
              {"warn", spdlog::level::warn},
              {"error", spdlog::level::err}});
  std::string log_file, legacy_key_file;
  log.string("file", log_file);
  // Replaced by security.key_file; still read as the source of the pseudonym key when the key
  // file is first created.
  log.string("pseudonym_key_file", legacy_key_file);
  c.logging.file = detail::resolve(base, log_file).string();
  if (!legacy_key_file.empty())
    c.security.legacy_pseudonym_key_file = detail::resolve(base, legacy_key_file);
  log.finish();

  auto admin = root.object("admin");
  admin.boolean("enabled", c.admin.enabled);
  std::string admin_listen;
  admin.string("listen", admin_listen);
  if (!admin_listen.empty()) {
    if (auto hp = parse_host_port(admin_listen))
      std::tie(c.admin.host, c.admin.port) = *hp;
    else
      admin.error("listen", "must be HOST:PORT");
  }
  std::string token_file;
  admin.string("token_file", token_file);
  if (!token_file.empty()) {
    c.admin.token =
        detail::read_secret_file(admin, "token_file", detail::resolve(base, token_file));
    if (admin.has("token_file") && c.admin.token.size() < 16)
      admin.error("token_file", "the token must be at least 16 characters");
  }
  admin.finish();

  auto security = root.object("security");
  security.boolean("allow_core_dumps", c.security.allow_core_dumps);
  std::string key_file;
  security.string("key_file", key_file);
  if (!key_file.empty()) c.security.key_file = detail::resolve(base, key_file);
  security.finish();

  auto msg = root.object("messages");
  std::string catalogue;
  msg.string("file", catalogue);
  c.messages.file = detail::resolve(base, catalogue);
  msg.finish();

  detail::read_circulation(root.object("circulation"), c.circulation);
  detail::read_store(root.object("store"), c.store, base);
  detail::read_identity(root.object("identity"), c.identity);
  detail::read_outbox(root.object("outbox"), c.outbox);

  auto w = root.object("workers");
  w.integer("backend_threads", c.workers.backend_threads, 1, 512);
  w.integer("crypto_threads", c.workers.crypto_threads, 1, 64);
  w.integer("crypto_queue_limit", c.workers.crypto_queue_limit, 1, 100'000);
  w.finish();
}

void apply(const Overrides& o, Config& c, Errors& errors) {
  if (o.listen) {
    auto hp = parse_host_port(*o.listen);
    if (!hp)
      errors.push_back("--listen: must be HOST:PORT");
    else {
      if (c.listeners.empty()) c.listeners.emplace_back().name = "sip0";
      std::tie(c.listeners[0].host, c.listeners[0].port) = *hp;
    }
  }
  if (o.admin_listen) {
    if (auto hp = parse_host_port(*o.admin_listen)) {
      std::tie(c.admin.host, c.admin.port) = *hp;
      c.admin.enabled = true;
    } else {
      errors.push_back("--admin-listen: must be HOST:PORT");
    }
  }
  if (o.backend_url) c.backend.folio.base_url = *o.backend_url;
  if (o.data_dir) c.data_dir = std::filesystem::absolute(*o.data_dir);
}

}  // namespace

std::variant<Config, Errors> load(const std::filesystem::path& file, const Overrides& overrides) {
  Errors errors;
  auto json = parse_file(file, errors);
  if (!json) return errors;
  Config c;
  const auto base = std::filesystem::absolute(file).parent_path();
  read_root(*json, c, base, errors);
  apply(overrides, c, errors);
  if (c.listeners.empty()) errors.push_back("listeners: at least one listener is needed");
  // Defaults under data_dir once --data-dir is applied; the key file itself is checked when it
  // is read (check-config and start), not here.
  if (c.security.key_file.empty()) c.security.key_file = c.data_dir / "keys.json";
  if (c.store.dir.empty()) c.store.dir = c.data_dir / "store";
  if (c.security.legacy_pseudonym_key_file.empty())
    c.security.legacy_pseudonym_key_file = c.data_dir / "pseudonym.key";
  if (!errors.empty()) return errors;
  return c;
}

}  // namespace config
