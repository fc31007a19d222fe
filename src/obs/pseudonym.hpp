// Keyed pseudonyms for patron identifiers in logs: "p:" + 16 hex digits of HMAC-SHA-256.
#pragma once

#include <botan/secmem.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <tl/expected.hpp>
#include <vector>

namespace obs {

/// Maps an identifier to a stable pseudonym under a secret key; thread-safe, cheap to copy.
class Pseudonymizer {
 public:
  /// Reads the 32-byte key, creating it (mode 0600, parent directories too) when missing.
  /// Errors read "logging.pseudonym_key_file: cannot read '/path': reason".
  [[nodiscard]] static tl::expected<Pseudonymizer, std::string> load_or_create(
      const std::filesystem::path& key_file);

  explicit Pseudonymizer(std::vector<std::uint8_t> key);

  /// "p:" followed by the first 16 lowercase hex digits of HMAC-SHA-256(key, identifier).
  [[nodiscard]] std::string operator()(std::string_view identifier) const;

 private:
  Botan::secure_vector<std::uint8_t> key_;
};

}  // namespace obs
