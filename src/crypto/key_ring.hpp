// The gateway's one key file: the index key (keyed identifiers), the pseudonym key (log
// pseudonyms) and the sealing keys by version. Everything the gateway seals or pseudonymizes
// uses these; deleting a sealing version crypto-shreds what only it sealed.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <tl/expected.hpp>

#include "crypto/crypto.hpp"

namespace crypto {

/// The keys of one key file, immutable once loaded.
struct KeyRing {
  SecretBytes index_key;                        ///< HMAC key of identifiers; rotating it = rebuild
  SecretBytes pseudonym_key;                    ///< HMAC key of log pseudonyms
  std::map<std::uint32_t, SecretBytes> sealing;  ///< AES-256/GCM keys by version (>= 1)
  std::uint32_t current = 0;                    ///< the version new seals use

  /// The key of a version, nullptr when it was retired (or never existed).
  [[nodiscard]] const SecretBytes* sealing_key(std::uint32_t version) const;
  /// A short, non-secret fingerprint of a key for `keys show` and logs ("k:1a2b3c4d").
  [[nodiscard]] static std::string fingerprint(const SecretBytes& key);
};

/// Reads the key file. Errors are one line naming the file: missing, unreadable, readable by
/// group or others (with its mode), malformed (with what is wrong).
[[nodiscard]] tl::expected<KeyRing, std::string> load_key_file(const std::filesystem::path& path);

/// Creates a new key file (mode 0600, parent directories 0700) with fresh keys and sealing
/// version 1. Refuses when the file exists. `pseudonym_key`, when given, is kept (so pseudonyms
/// in old logs stay the same).
[[nodiscard]] tl::expected<KeyRing, std::string> create_key_file(
    const std::filesystem::path& path, const SecretBytes* pseudonym_key = nullptr);

/// Adds sealing version current+1 and makes it current; returns the new version. The file is
/// replaced atomically (write to a temporary 0600 file, fsync, rename).
[[nodiscard]] tl::expected<std::uint32_t, std::string> rotate_key_file(
    const std::filesystem::path& path);

/// Deletes sealing version `version` from the file (never the current one): whatever only it
/// sealed can no longer be opened.
[[nodiscard]] tl::expected<void, std::string> retire_key_version(const std::filesystem::path& path,
                                                                 std::uint32_t version);

}  // namespace crypto
