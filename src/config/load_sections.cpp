// Loading the accounts, profile bindings and library-system backend sections.
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <set>

#include "config/sections.hpp"

namespace config::detail {

namespace {

void read_policy(ObjectReader r, Policy& p) {
  r.boolean("checkout", p.checkout);
  r.boolean("checkin", p.checkin);
  r.boolean("renewal", p.renewal);
  r.boolean("fee_paid", p.fee_paid);
  r.boolean("hold", p.hold);
  r.boolean("block_patron", p.block_patron);
  r.boolean("enable_patron", p.enable_patron);
  r.boolean("item_status_update", p.item_status_update);
  r.boolean("offline_ok", p.offline_ok);
  r.integer("timeout_period", p.timeout_period, 0, 999);
  r.integer("retries_allowed", p.retries_allowed, 0, 999);
  r.boolean("require_patron_password", p.require_patron_password);
}

}  // namespace

std::optional<std::string> private_file_problem(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;  // missing: its reader says so
  if ((st.st_mode & 077) == 0) return std::nullopt;
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return "'" + path.string() + "' is readable by group or others (mode " + mode + "): chmod 600 it";
}

void require_private_file(ObjectReader& r, std::string_view key,
                          const std::filesystem::path& path) {
  if (auto problem = private_file_problem(path)) r.error(key, *problem);
}

std::string read_secret_file(ObjectReader& r, std::string_view key,
                             const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    r.error(key, "cannot read '" + path.string() + "'");
    return {};
  }
  require_private_file(r, key, path);
  std::string s;
  std::getline(in, s);
  return s;
}

void read_accounts(ObjectReader& root, Config& c) {
  std::set<std::string, std::less<>> logins;
  root.array("accounts", [&](const nlohmann::json& j, const std::string& path) {
    ObjectReader r(&j, path, root.errors());
    Account a;
    r.string("login", a.login, true);
    r.string("password_hash", a.password_hash, true);
    if (!a.password_hash.empty() && a.password_hash.rfind("$argon2id$", 0) != 0)
      r.error("password_hash", "must be an Argon2id hash from `sip2gw hash-password`");
    r.string("institution", a.institution, true);
    r.string("profile", a.profile);
    r.string("location", a.location);
    r.boolean("enabled", a.enabled);
    read_policy(r.object("policy"), a.policy);
    if (r.has("outbox_mode")) {
      OutboxMode m = OutboxMode::automatic;
      read_outbox_mode(r, "outbox_mode", m);
      a.outbox_mode = m;
    }
    if (!a.login.empty() && !logins.insert(a.login).second)
      r.error("login", "duplicate login '" + a.login + "'");
    c.accounts.push_back(std::move(a));
  });
}

void read_profiles(ObjectReader r, ProfilesConfig& p, Errors& errors) {
  std::string dir;
  r.string("dir", dir);
  p.dir = dir;
  r.string("default", p.default_profile);
  r.array("bindings", [&](const nlohmann::json& j, const std::string& path) {
    ObjectReader b(&j, path, errors);
    ProfileBinding binding;
    std::string cidr;
    b.string("cidr", cidr);
    if (!cidr.empty()) {
      binding.cidr = Cidr::parse(cidr);
      if (!binding.cidr) b.error("cidr", "must be an address or network like 10.1.0.0/16");
    }
    if (b.has("port")) {
      std::uint16_t port = 0;
      b.integer("port", port, 1, 65535);
      binding.port = port;
    }
    b.string("location_code", binding.location_code);
    b.string("login", binding.login);
    b.string("profile", binding.profile, true);
    p.bindings.push_back(std::move(binding));
  });
}

void read_backend(ObjectReader r, BackendConfig& b, const std::filesystem::path& base,
                  Errors& errors) {
  r.choice("type", b.type, {{"folio", std::string("folio")}});
  auto f = r.object("folio");
  auto& fc = b.folio;
  f.string("url", fc.base_url, true);
  while (!fc.base_url.empty() && fc.base_url.back() == '/')
    fc.base_url.pop_back();
  f.string("tenant", fc.tenant, true);
  f.string("username", fc.username, true);
  std::string password_file;
  f.string("password", fc.password);
  f.string("password_file", password_file);
  if (!password_file.empty()) {
    if (!fc.password.empty())
      f.error("password_file", "give password or password_file, not both");
    else
      fc.password = read_secret_file(f, "password_file", resolve(base, password_file));
  } else if (fc.password.empty() && f.has("url")) {
    f.error("password", "is required (or password_file)");
  }
  f.string("service_point_id", fc.service_point_id, true);
  f.choice("patron_verification", fc.patron_verification,
           {{"none", ils::CredentialMode::none},
            {"pin", ils::CredentialMode::pin},
            {"password", ils::CredentialMode::password}});
  f.duration("call_timeout_ms", fc.call_timeout, 100, 600'000);
  f.duration("token_refresh_margin_seconds", fc.refresh_margin, 0, 3600);
  f.strings("invalid_checkin_statuses", fc.invalid_checkin_statuses);
  f.string("payment_method", fc.payment_method);
  f.boolean("notify_patron", fc.notify_patron);
  f.string("block_marker", fc.block_marker);
  f.string("cancellation_reason_id", fc.cancellation_reason_id);
  f.string("request_type_for_available", fc.request_type_for_available);
  auto lookup = f.object("patron_lookup");
  lookup.strings("identifier_fields", fc.patron_identifier_fields);
  for (const auto& field : fc.patron_identifier_fields)
    if (field != "barcode" && field != "externalSystemId" && field != "username")
      lookup.error("identifier_fields",
                   "must list barcode, externalSystemId or username, not '" + field + "'");
  if (fc.patron_identifier_fields.empty()) lookup.error("identifier_fields", "must not be empty");
  lookup.strings("excluded_user_types", fc.excluded_user_types);
  lookup.strings("excluded_patron_groups", fc.excluded_patron_groups);
  lookup.finish();
  auto caps = f.object("capabilities");
  caps.boolean("hold", fc.enabled.hold);
  caps.boolean("cancel_hold", fc.enabled.cancel_hold);
  caps.boolean("fee_paid", fc.enabled.fee_paid);
  caps.boolean("block_patron", fc.enabled.block_patron);
  caps.boolean("enable_patron", fc.enabled.enable_patron);
  caps.finish();
  auto http = f.object("http");
  http.boolean("verify_tls", fc.http.verify_tls);
  std::string ca;
  http.string("ca_file", ca);
  fc.http.ca_file = resolve(base, ca).string();
  http.integer("max_idle_connections", fc.http.max_idle_handles, 1, 1024);
  http.finish();
  if (!fc.enabled.hold) fc.enabled.cancel_hold = false;
  (void)errors;
}

}  // namespace config::detail
