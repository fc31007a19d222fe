// Keyed pseudonyms for patron identifiers in logs: "p:" + 16 hex digits of HMAC-SHA-256.
#pragma once

#include <string>
#include <string_view>

#include "crypto/crypto.hpp"

namespace obs {

/// Maps an identifier to a stable pseudonym under a secret key (the key file's pseudonym_key);
/// thread-safe, cheap to copy.
class Pseudonymizer {
 public:
  explicit Pseudonymizer(crypto::SecretBytes key) : key_(std::move(key)) {}

  /// "p:" followed by the first 16 lowercase hex digits of HMAC-SHA-256(key, identifier), the
  /// identifier's bytes as they are (no length prefix): pseudonyms in older logs stay valid.
  [[nodiscard]] std::string operator()(std::string_view identifier) const;

 private:
  crypto::SecretBytes key_;
};

}  // namespace obs
