// Fee amounts as whole cents, parsed from and written as FOLIO's decimal strings and numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ils_emulator {

/// Parses "5", "5.5" or "5.00" (at most two decimals, no sign) into cents.
[[nodiscard]] std::optional<std::int64_t> parse_cents(std::string_view text);

/// Reads a JSON number or decimal string (as FOLIO sends `amount`) into cents.
[[nodiscard]] std::optional<std::int64_t> json_cents(const nlohmann::json& value);

/// Writes cents as "5.00".
[[nodiscard]] std::string format_cents(std::int64_t cents);

/// Writes cents as a JSON number with two decimals of meaning (5.5 for 550).
[[nodiscard]] double cents_to_number(std::int64_t cents);

}  // namespace ils_emulator
