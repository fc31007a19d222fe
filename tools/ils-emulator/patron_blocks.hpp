// Manual blocks and the automated blocks mod-patron-blocks derives from loans and fees.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "folio_failure.hpp"
#include "library_state.hpp"

namespace ils_emulator {

/// What a block can stop.
enum class PatronAction { borrowing, renewals, requests };

/// `automatedPatronBlocks` entries for the user, evaluated now.
[[nodiscard]] nlohmann::json automated_blocks(LibraryState& state, const nlohmann::json& user,
                                              TimePoint now);

/// One error per automated block that stops `action` (the message is the condition's).
[[nodiscard]] std::vector<ValidationError> automated_block_errors(LibraryState& state,
                                                                  const nlohmann::json& user,
                                                                  PatronAction action,
                                                                  TimePoint now);

/// "Patron blocked from borrowing" (etc.) when an unexpired manual block stops `action`.
[[nodiscard]] std::optional<ValidationError> manual_block_error(LibraryState& state,
                                                                std::string_view user_id,
                                                                PatronAction action, TimePoint now);

/// Both kinds of block error for `action`, manual first (mod-circulation's order).
[[nodiscard]] std::vector<ValidationError> block_errors(LibraryState& state,
                                                        const nlohmann::json& user,
                                                        PatronAction action, TimePoint now);

/// Sum of `remaining` over the user's open accounts, in cents.
[[nodiscard]] long long outstanding_cents(const LibraryState& state, std::string_view user_id);

}  // namespace ils_emulator
