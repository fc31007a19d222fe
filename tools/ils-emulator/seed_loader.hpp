// Builds a LibraryState from the seed data file (format in tools/ils-emulator/README.md).
#pragma once

#include <string>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "iso_time.hpp"
#include "library_state.hpp"

namespace ils_emulator {

/// Reads and parses the file; errors read `FILE: reason`.
[[nodiscard]] tl::expected<nlohmann::json, std::string> read_seed_file(const std::string& path);

/// Validates the seed and builds the state as of `now` (relative dates resolve against it).
/// Errors read `json.path: reason`.
[[nodiscard]] tl::expected<LibraryState, std::string> build_library(const nlohmann::json& seed,
                                                                    TimePoint now);

/// Seeds loan policies, circulation rules, patron groups and block conditions.
[[nodiscard]] tl::expected<void, std::string> load_policies(const nlohmann::json& seed,
                                                            LibraryState& state);

/// Seeds loans, requests, fees and manual blocks (after users and inventory are in place).
[[nodiscard]] tl::expected<void, std::string> load_circulation(const nlohmann::json& seed,
                                                               LibraryState& state, TimePoint now);

}  // namespace ils_emulator
