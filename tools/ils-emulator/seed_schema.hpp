// Field checks for the seed data file, reported as `json.path: reason`.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

namespace ils_emulator {

/// The JSON type a seed field must have.
enum class FieldType { string, boolean, number, integer, object, array };

/// One expected field of a seed object.
struct FieldSpec {
  std::string_view key;  ///< member name
  FieldType type;        ///< required JSON type
  bool required = true;  ///< absent is an error when true
};

/// Checks that `value` is an object whose listed members have the right types.
/// Returns `path.key: reason` for the first problem, or nothing when all is well.
[[nodiscard]] std::optional<std::string> check_fields(const nlohmann::json& value,
                                                      const std::string& path,
                                                      std::initializer_list<FieldSpec> fields);

/// Checks that `seed[key]` is an array (absent counts as empty when `required` is false).
[[nodiscard]] std::optional<std::string> check_array(const nlohmann::json& seed,
                                                     std::string_view key, bool required);

/// The result of loading one part of the seed: nothing, or `json.path: reason`.
using SeedStatus = tl::expected<void, std::string>;

/// A failed SeedStatus.
[[nodiscard]] inline SeedStatus seed_error(std::string message) {
  return tl::unexpected(std::move(message));
}

/// `path[index]`, for error paths.
[[nodiscard]] std::string element_path(std::string_view path, std::size_t index);

}  // namespace ils_emulator
