// Settings of one FOLIO tenant as the gateway talks to it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "ils/http_client.hpp"
#include "ils/types.hpp"

namespace ils::folio {

/// What the FOLIO backend offers unless configured otherwise: everything but SIP 19.
[[nodiscard]] inline Capabilities default_capabilities() {
  Capabilities caps;
  caps.hold = true;
  caps.cancel_hold = true;
  caps.fee_paid = true;
  caps.block_patron = true;
  caps.enable_patron = true;
  caps.item_status_update = false;
  return caps;
}

/// Where and how to reach one FOLIO tenant through Okapi.
struct FolioConfig {
  std::string base_url;  ///< Okapi URL, e.g. "https://okapi.example.org"; trailing '/' dropped
  std::string tenant;    ///< X-Okapi-Tenant
  std::string username;  ///< the gateway's FOLIO user
  std::string password;
  std::string service_point_id;  ///< default service point for circulation and payments
  /// User fields a SIP patron identifier is searched in, best match first.
  std::vector<std::string> patron_identifier_fields = {"barcode", "externalSystemId"};
  /// Users of these FOLIO types are never found as patrons (staff and system accounts).
  std::vector<std::string> excluded_user_types = {"staff", "system", "shadow", "dcb"};
  /// Users of these patron groups (by name or id) are never found as patrons.
  std::vector<std::string> excluded_patron_groups;
  CredentialMode patron_verification = CredentialMode::pin;
  /// Operations offered. Disabled circulation, item, hold, fee and block operations answer
  /// errc::not_supported; patron lookup and account always work (every message needs them).
  /// `credential` is ignored (patron_verification decides); item_status_update is never offered.
  Capabilities enabled = default_capabilities();
  std::chrono::milliseconds call_timeout{10000};      ///< cap on one HTTP exchange
  std::chrono::seconds refresh_margin{90};            ///< refresh the token this long before expiry
  std::vector<std::string> invalid_checkin_statuses;  ///< item status names refused at check-in
  std::string payment_method = "Credit Card";         ///< when the payment names none
  bool notify_patron = true;                          ///< notifyPatron of fee payments
  std::string block_marker = "[sip2gw]";  ///< prefix of desc in blocks the gateway creates
  /// cancellationReasonId sent when cancelling a hold; FOLIO requires one, so while it is empty
  /// cancel_hold is not offered.
  std::string cancellation_reason_id;
  std::string request_type_for_available = "Page";  ///< request type for available items
  int list_limit = 500;                             ///< limit of loan and request queries
  int fee_limit = 1000;                             ///< limit of account and block queries
  HttpClientOptions http;
};

}  // namespace ils::folio
