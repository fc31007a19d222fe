// `sip2gw keys ...`: creating, rotating, retiring and showing the key file from the command line.
#pragma once

#include <filesystem>
#include <ostream>
#include <span>
#include <string>

namespace crypto {

/// Where the key commands find their files (from the config: security.key_file and the legacy
/// pseudonym key file).
struct KeyFilePaths {
  std::filesystem::path key_file;
  std::filesystem::path legacy_pseudonym_key;
};

/// Runs `keys init | rotate | retire VERSION | show` (`args` holds the words after "keys");
/// results on `out`, problems on `err`. Returns the exit code: 0 done, 1 the operation was
/// refused or failed, 2 a usage error.
[[nodiscard]] int run_keys_command(std::span<const std::string> args, const KeyFilePaths& paths,
                                   std::ostream& out, std::ostream& err);

}  // namespace crypto
