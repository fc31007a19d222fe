// Non-throwing reads of JSON members: records and request bodies may have any shape.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ils_emulator {

/// The member, or a null value when `object` is no object or lacks it.
[[nodiscard]] const nlohmann::json& member(const nlohmann::json& object, std::string_view key);

/// The member's string value, or "" when missing or not a string.
[[nodiscard]] std::string text(const nlohmann::json& object, std::string_view key);

/// The member's string value, or `fallback` when missing or not a string.
[[nodiscard]] std::string text_or(const nlohmann::json& object, std::string_view key,
                                  std::string_view fallback);

/// The string at object[a][b], or "".
[[nodiscard]] std::string text(const nlohmann::json& object, std::string_view a,
                               std::string_view b);

/// The member's boolean value, or `fallback`.
[[nodiscard]] bool flag(const nlohmann::json& object, std::string_view key, bool fallback = false);

/// The member's integer value, or `fallback`.
[[nodiscard]] long long integer(const nlohmann::json& object, std::string_view key,
                                long long fallback = 0);

/// The member's numeric value, or `fallback`.
[[nodiscard]] double number(const nlohmann::json& object, std::string_view key,
                            double fallback = 0);

}  // namespace ils_emulator
