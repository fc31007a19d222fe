// The gateway's one key file: the index key (keyed identifiers), the pseudonym key (log
// pseudonyms) and the sealing keys by version. Everything the gateway seals or pseudonymizes
// uses these; deleting a sealing version crypto-shreds what only it sealed.
//
// The file is JSON, mode 0600, replaced atomically on every change:
//   {"format": 1, "index_key": "<base64>", "pseudonym_key": "<base64>",
//    "sealing": {"current": 2, "keys": {"1": "<base64>", "2": "<base64>"}}}
// Every key is 32 bytes. Errors name the file ('/path') and, for content, the JSON path; callers
// put the config key in front ("security.key_file: ").
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
  SecretBytes index_key;                         ///< HMAC key of identifiers; rotating it = rebuild
  SecretBytes pseudonym_key;                     ///< HMAC key of log pseudonyms
  std::map<std::uint32_t, SecretBytes> sealing;  ///< AES-256/GCM keys by version (>= 1)
  std::uint32_t current = 0;                     ///< the version new seals use

  /// The key of a version, nullptr when it was retired (or never existed).
  [[nodiscard]] const SecretBytes* sealing_key(std::uint32_t version) const;
  /// The key new seals use (never nullptr in a loaded ring).
  [[nodiscard]] const SecretBytes* current_key() const { return sealing_key(current); }
  /// A short, non-secret fingerprint of a key for `keys show` and logs ("k:1a2b3c4d").
  [[nodiscard]] static std::string fingerprint(const SecretBytes& key);
};

/// Reads the key file. Errors are one line naming the file: missing, unreadable, readable by
/// group or others (with its mode in octal), malformed (with the JSON path of what is wrong).
[[nodiscard]] tl::expected<KeyRing, std::string> load_key_file(const std::filesystem::path& path);

/// Creates a new key file (mode 0600, missing parent directories 0700) with fresh keys and
/// sealing version 1. Refuses when the file exists or its directory is writable by group or
/// others. `pseudonym_key`, when given, is kept (so pseudonyms in old logs stay the same).
[[nodiscard]] tl::expected<KeyRing, std::string> create_key_file(
    const std::filesystem::path& path, const SecretBytes* pseudonym_key = nullptr);

/// How open_key_file came by its ring.
enum class KeyFileOrigin {
  loaded,    ///< the file existed
  created,   ///< fresh keys
  migrated,  ///< fresh keys, but the pseudonym key of the legacy file
};
struct OpenedKeyFile {
  KeyRing ring;
  KeyFileOrigin origin = KeyFileOrigin::loaded;
};
/// Loads the key file, or creates it when missing. A missing file takes its pseudonym key from
/// `legacy_pseudonym_key` (32 raw bytes, the pseudonym key file of earlier releases) when that
/// exists (it must be 0600 too). Two processes starting at once end up with the same file.
[[nodiscard]] tl::expected<OpenedKeyFile, std::string> open_key_file(
    const std::filesystem::path& path, const std::filesystem::path& legacy_pseudonym_key = {});

/// What open_key_file would refuse, without creating anything: the key file when it exists,
/// else the legacy pseudonym key when that exists. For `check-config`.
[[nodiscard]] tl::expected<void, std::string> check_key_file(
    const std::filesystem::path& path, const std::filesystem::path& legacy_pseudonym_key = {});

/// Adds sealing version (highest + 1) and makes it current; returns the new version. The file is
/// replaced atomically (a temporary 0600 file in the same directory, fsync, rename, fsync of the
/// directory); concurrent changes are serialized by a lock on the directory.
[[nodiscard]] tl::expected<std::uint32_t, std::string> rotate_key_file(
    const std::filesystem::path& path);

/// Deletes sealing version `version` from the file (never the current one): whatever only it
/// sealed can no longer be opened. Replaced atomically like rotate_key_file.
[[nodiscard]] tl::expected<void, std::string> retire_key_version(const std::filesystem::path& path,
                                                                 std::uint32_t version);

}  // namespace crypto
