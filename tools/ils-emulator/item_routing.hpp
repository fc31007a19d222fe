// Where an item goes when it arrives at a service point: hold shelf, transit or shelf.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "library_state.hpp"

namespace ils_emulator {

/// Routes `item`, now at `service_point_id`: the first open request in its queue is trapped
/// (Awaiting pickup here, or In transit to its pickup point); without requests the item goes
/// In transit to its location's primary service point, or becomes Available. Returns the id of
/// the trapped request, or "" when none.
std::string route_item(LibraryState& state, nlohmann::json& item,
                       const std::string& service_point_id, TimePoint now);

}  // namespace ils_emulator
