// The pseudonym key file: 32 random bytes, created once with mode 0600.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <tl/expected.hpp>
#include <vector>

namespace obs {

inline constexpr std::size_t pseudonym_key_size = 32;

/// The key bytes, or "logging.pseudonym_key_file: cannot read|create '/path': reason".
[[nodiscard]] tl::expected<std::vector<std::uint8_t>, std::string> load_or_create_key_file(
    const std::filesystem::path& key_file);

}  // namespace obs
