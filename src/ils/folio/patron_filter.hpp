// Which FOLIO users the gateway serves as patrons: the one judgement lookup and listing share.
#pragma once

#include <string_view>

#include "ils/folio/folio_config.hpp"
#include "ils/folio/folio_json.hpp"

namespace ils::folio {

/// True for a user of an excluded type (staff, system, ...) or of an excluded patron group,
/// named by id or, when `group_name` is known, by name.
[[nodiscard]] bool excluded_user(const Json& user, const FolioConfig& config,
                                 std::string_view group_name = {});

/// True for a user a kiosk could reach: not excluded, and with a value in at least one of the
/// configured identifier fields (a user without one can never be looked up).
[[nodiscard]] bool reachable_patron(const Json& user, const FolioConfig& config,
                                    std::string_view group_name);

}  // namespace ils::folio
