// Terminal (93 login) passwords: Argon2id hashes, verified once and then remembered in memory.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "crypto/crypto.hpp"

namespace server {

/// OWASP's Argon2id minimum: 19 MiB, 2 passes, 1 lane.
struct Argon2Params {
  std::size_t memory_kib = 19456;
  std::size_t passes = 2;
  std::size_t lanes = 1;
};

/// Makes a PHC-format Argon2id hash ("$argon2id$v=19$m=19456,t=2,p=1$salt$hash").
[[nodiscard]] std::string hash_password(std::string_view password, Argon2Params params = {});

/// Verifies terminal passwords. The first successful check of a (hash, password) pair costs an
/// Argon2id run (~50 ms); after that a keyed SHA-256 of the pair, under a per-process random
/// key, answers in microseconds, so a reconnect storm of kiosks that logged in before is cheap.
/// Failed checks are never remembered: every wrong guess pays the full Argon2id cost.
class TerminalAuth {
 public:
  TerminalAuth();
  /// True when `password` matches `hash`. Thread-safe; run it on the crypto pool.
  [[nodiscard]] bool verify(std::string_view hash, std::string_view password);
  /// True when verify() would answer from memory (no Argon2id run needed).
  [[nodiscard]] bool remembered(std::string_view hash, std::string_view password) const;
  /// A hash of a random password with the same Argon2id parameters as `like`: verifying an
  /// unknown account against it costs what a known one costs, so timing tells no names.
  [[nodiscard]] std::string decoy_like(std::string_view like);
  /// A keyed hash of (hash or name, password) under the per-process key: a map key for checks
  /// in progress that holds no password.
  [[nodiscard]] std::string pair_key(std::string_view hash, std::string_view password) const;
  /// Argon2id verifications run so far (a metric, and how tests see the cost of a login).
  [[nodiscard]] std::uint64_t argon2_runs() const { return argon2_runs_.load(); }

 private:
  [[nodiscard]] crypto::Digest tag(std::string_view hash, std::string_view password) const;

  crypto::SecretBytes key_;  ///< per-process, random
  std::atomic<std::uint64_t> argon2_runs_{0};
  mutable std::mutex mutex_;
  std::unordered_map<std::string, crypto::Digest> remembered_;  ///< hash → tag
  std::unordered_map<std::string, std::string> decoys_;         ///< parameters → decoy hash
};

}  // namespace server
