// The emulator's HTTP routes, grouped by the FOLIO module they stand in for.
#pragma once

#include <string>

#include <httplib.h>

#include "fault_injector.hpp"
#include "library.hpp"
#include "token_store.hpp"

namespace ils_emulator {

/// What the route handlers share; outlives the server.
struct EmulatorContext {
  Library& library;       ///< the tenant's data and rules
  TokenStore& tokens;     ///< mod-login's tokens
  FaultInjector& faults;  ///< test-controlled faults and counters
  std::string tenant;     ///< the X-Okapi-Tenant accepted
};

/// mod-login: login-with-expiry, legacy login, refresh, logout.
void add_auth_routes(httplib::Server& server, EmulatorContext& context);
/// mod-users, mod-users-bl, patron-pin, manual and automated blocks.
void add_patron_routes(httplib::Server& server, EmulatorContext& context);
/// mod-circulation: loans, check-out, check-in, renew, requests, loan policies.
void add_circulation_routes(httplib::Server& server, EmulatorContext& context);
/// mod-inventory, inventory storage, mod-search, service points, locations.
void add_inventory_routes(httplib::Server& server, EmulatorContext& context);
/// mod-feesfines: accounts, pay, check-pay, bulk pay.
void add_fee_routes(httplib::Server& server, EmulatorContext& context);
/// The test control API under /_emulator (no tenant or token needed).
void add_control_routes(httplib::Server& server, EmulatorContext& context);

}  // namespace ils_emulator
