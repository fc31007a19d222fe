// Patron lookup and PIN/password checks (the step edge-sip2 runs first for SIP 23/63/11/29/65).
#include "ils/folio/cql.hpp"
#include "ils/folio/folio_backend.hpp"
#include "ils/folio/okapi_client.hpp"
#include "ils/folio/patron_filter.hpp"

namespace ils::folio {
namespace {

/// Several users may match one identifier in different fields: the first configured field
/// wins (a card barcode before an external id). Staff, system and excluded-group users are
/// never candidates, so a kiosk cannot reach them.
const Json* best_match(const Json& users, const std::string& identifier, const FolioConfig& c) {
  for (const auto& field : c.patron_identifier_fields)
    for (const auto& user : users)
      if (text(user, field.c_str()) == identifier && !excluded_user(user, c)) return &user;
  return nullptr;
}

/// What a refused check says: wrong PIN/password (or no PIN set) rather than a broken call.
bool is_refusal(int status) {
  return status == 400 || status == 404 || status == 422;
}

}  // namespace

Result<Patron> FolioBackend::lookup_patron(const CallContext& ctx, std::string_view identifier) {
  auto value = cql::normalize_identifier(identifier);
  if (!value) return tl::unexpected(value.error());
  auto json = search(ctx, "users.lookup", "/users",
                     cql::users_by_identifier(*value, config_.patron_identifier_fields), 10);
  if (!json) return tl::unexpected(json.error());
  const Json* user = best_match(array(*json, "users"), *value, config_);
  if (user == nullptr) return fail(errc::not_found, "Patron not found");
  Patron patron = patron_from_json(*user);
  if (!cql::is_record_id(patron.id)) return fail(errc::bad_response, "user without a valid id");

  // The group name is a nicety (edge-sip2 reads it from bl-users); its absence is no failure.
  auto group = okapi_->call(ctx, Call::get("users.patron-group", "/bl-users/by-id/" + patron.id));
  if (group) {
    patron.patron_group = text(*group, "patronGroup", "group");
    if (excluded_user(*user, config_, patron.patron_group))
      return fail(errc::not_found, "Patron not found");
  } else if (group.error().code == errc::timeout || group.error().code == errc::unavailable ||
             group.error().code == errc::unauthorized) {
    return tl::unexpected(group.error());
  }
  return patron;
}

Result<CredentialCheck> FolioBackend::verify_credential(const CallContext& ctx,
                                                        const Patron& patron,
                                                        std::string_view secret) {
  if (config_.patron_verification == CredentialMode::none) return CredentialCheck::not_required;
  if (secret.empty()) return CredentialCheck::invalid;
  Result<HttpResponse> response = fail(errc::not_supported);
  if (config_.patron_verification == CredentialMode::pin) {
    if (!cql::is_record_id(patron.id)) return fail(errc::invalid_identifier, "bad patron id");
    Call call = Call::query_post("patron-pin.verify", "/patron-pin/verify",
                                 Json{{"id", patron.id}, {"pin", secret}});
    call.accept = "text/plain";
    response = okapi_->send(ctx, call);
  } else {
    if (patron.username.empty()) return CredentialCheck::invalid;
    response = okapi_->send_anonymous(
        ctx, Call::query_post("authn.patron-login", "/authn/login-with-expiry",
                              Json{{"username", patron.username}, {"password", secret}}));
  }
  if (!response) return tl::unexpected(response.error());
  if (response->status >= 200 && response->status <= 299) return CredentialCheck::valid;
  if (is_refusal(response->status)) return CredentialCheck::invalid;
  return tl::unexpected(failure_from(*response));
}

}  // namespace ils::folio
