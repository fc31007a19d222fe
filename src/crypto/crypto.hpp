// The gateway's cryptography behind one small interface (Botan 2 lives only in src/crypto/*.cpp):
// HMAC-SHA-256 for keyed identifiers, AES-256/GCM for sealing records, Argon2id for PIN and
// password verifiers, and the system RNG. Moving to Botan 3 changes only the .cpp files.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace crypto {

using Bytes = std::vector<std::uint8_t>;
/// Key material: its own heap copy, overwritten (Botan::secure_scrub_memory) when freed.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::span<const std::uint8_t> bytes);
  SecretBytes(const SecretBytes&);
  SecretBytes& operator=(const SecretBytes&);
  SecretBytes(SecretBytes&&) noexcept;
  SecretBytes& operator=(SecretBytes&&) noexcept;
  ~SecretBytes();
  [[nodiscard]] std::span<const std::uint8_t> bytes() const { return {data_, size_}; }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }

 private:
  void wipe() noexcept;
  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

inline constexpr std::size_t key_size = 32;
using Digest = std::array<std::uint8_t, 32>;

/// `n` random bytes from the system RNG.
[[nodiscard]] Bytes random_bytes(std::size_t n);
[[nodiscard]] SecretBytes random_key();  ///< 32 random bytes

/// HMAC-SHA-256 of the concatenated parts under `key`; each part is preceded by its length as
/// 8 bytes big-endian, so ("ab","c") and ("a","bc") differ.
[[nodiscard]] Digest hmac(const SecretBytes& key, std::initializer_list<std::string_view> parts);
/// HMAC-SHA-256 of one message exactly as given (no length prefix): for formats fixed before
/// hmac() existed, such as the log pseudonyms. New uses take hmac().
[[nodiscard]] Digest hmac_message(const SecretBytes& key, std::string_view message);
/// Constant-time equality (false when the sizes differ).
[[nodiscard]] bool equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);
/// Lower-case hex of bytes.
[[nodiscard]] std::string hex(std::span<const std::uint8_t> bytes);

/// AES-256/GCM: out = 12-byte random nonce ‖ ciphertext ‖ 16-byte tag; `ad` is authenticated,
/// not stored. `key` must be key_size bytes (std::invalid_argument otherwise).
[[nodiscard]] Bytes seal(const SecretBytes& key, std::string_view ad, std::string_view plaintext);
/// The plaintext, or nullopt when the tag does not verify (wrong key, wrong ad, tampered,
/// truncated).
[[nodiscard]] std::optional<std::string> open(const SecretBytes& key, std::string_view ad,
                                              std::span<const std::uint8_t> sealed);

/// Argon2id cost (defaults: OWASP's m=19 MiB, t=2, p=1).
struct Argon2Params {
  std::uint32_t memory_kib = 19456;
  std::uint32_t iterations = 2;
  std::uint32_t lanes = 1;
  friend bool operator==(const Argon2Params&, const Argon2Params&) = default;
};
/// "$argon2id$v=19$m=…,t=…,p=…$salt$hash" of `secret` with a fresh 16-byte salt.
[[nodiscard]] std::string argon2id_hash(std::string_view secret, const Argon2Params& params);
/// True when `secret` matches the encoded verifier (its own parameters); false if malformed.
[[nodiscard]] bool argon2id_verify(std::string_view secret, std::string_view encoded);
/// The parameters an encoded verifier was made with, nullopt if malformed.
[[nodiscard]] std::optional<Argon2Params> argon2id_params(std::string_view encoded);

}  // namespace crypto
