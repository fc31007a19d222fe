// The composite representations mod-circulation, mod-inventory and mod-search return.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "library_state.hpp"

namespace ils_emulator {

/// An inventory item (`/inventory/items`), with `inTransitDestinationServicePoint` expanded.
[[nodiscard]] nlohmann::json item_view(LibraryState& state, const nlohmann::json& item);

/// A storage item (`/item-storage/items`): references by id instead of embedded objects.
[[nodiscard]] nlohmann::json storage_item_view(const nlohmann::json& item);

/// The item summary embedded in loans and check-in responses.
[[nodiscard]] nlohmann::json loan_item_view(LibraryState& state, const nlohmann::json& item);

/// A circulation loan with `item` and `borrower` embedded.
[[nodiscard]] nlohmann::json loan_view(LibraryState& state, const nlohmann::json& loan);

/// A circulation request with `item`, `instance`, `requester` and pickup point embedded.
[[nodiscard]] nlohmann::json request_view(LibraryState& state, const nlohmann::json& request);

/// Every instance as mod-search returns it, with its `items` (for `items.barcode==` queries).
[[nodiscard]] std::vector<nlohmann::json> search_instance_views(LibraryState& state);

}  // namespace ils_emulator
