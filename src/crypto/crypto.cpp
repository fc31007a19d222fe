// Botan 2 behind crypto.hpp: every Botan call and exception of the gateway's cryptography.
#include "crypto/crypto.hpp"

#include <botan/aead.h>
#include <botan/argon2.h>
#include <botan/exceptn.h>
#include <botan/hex.h>
#include <botan/mac.h>
#include <botan/mem_ops.h>
#include <botan/system_rng.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <stdexcept>
#include <utility>
#include <vector>

namespace crypto {
namespace {

constexpr std::size_t nonce_size = 12;
constexpr std::size_t tag_size = 16;
constexpr std::uint8_t argon2id_variant = 2;

const std::uint8_t* data_of(std::string_view s) {
  return reinterpret_cast<const std::uint8_t*>(s.data());
}

/// Keyed Botan objects this thread made, for reuse: making one looks its name up and schedules
/// its key, which costs more than the short messages the gateway puts through them (an index key,
/// a record). Found by comparing key bytes; the few keys of a key file fit, the oldest goes first.
template <class T>
class Keyed {
 public:
  using Make = std::function<std::unique_ptr<T>(const SecretBytes&)>;
  T& get(const SecretBytes& key, const Make& make) {
    const auto k = key.bytes();
    for (auto& e : entries_)
      if (e.key.size() == k.size() &&
          Botan::constant_time_compare(e.key.data(), k.data(), k.size()))
        return *e.object;
    if (entries_.size() >= kMaxKeys) entries_.erase(entries_.begin());
    entries_.push_back({Botan::secure_vector<std::uint8_t>(k.begin(), k.end()), make(key)});
    return *entries_.back().object;
  }
  /// Forgets the object of `key` (after an exception left it in an unknown state).
  void drop(const SecretBytes& key) {
    const auto k = key.bytes();
    std::erase_if(entries_, [&](const Entry& e) {
      return e.key.size() == k.size() &&
             Botan::constant_time_compare(e.key.data(), k.data(), k.size());
    });
  }

 private:
  static constexpr std::size_t kMaxKeys = 8;
  struct Entry {
    Botan::secure_vector<std::uint8_t> key;
    std::unique_ptr<T> object;
  };
  std::vector<Entry> entries_;
};

/// HMAC-SHA-256 under `key`, ready for a message (a MAC is keyed again after final()).
Botan::MessageAuthenticationCode& hmac_sha256(const SecretBytes& key) {
  thread_local Keyed<Botan::MessageAuthenticationCode> macs;
  return macs.get(key, [](const SecretBytes& k) {
    auto mac = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-256)");
    mac->set_key(k.bytes().data(), k.size());
    return mac;
  });
}

/// AES-256/GCM in one direction under `key` (start() begins each message afresh).
Keyed<Botan::AEAD_Mode>& aead_cache(Botan::Cipher_Dir direction) {
  thread_local Keyed<Botan::AEAD_Mode> sealers;
  thread_local Keyed<Botan::AEAD_Mode> openers;
  return direction == Botan::ENCRYPTION ? sealers : openers;
}

Botan::AEAD_Mode& aes_gcm(const SecretBytes& key, Botan::Cipher_Dir direction) {
  return aead_cache(direction).get(key, [direction](const SecretBytes& k) {
    auto aead = Botan::AEAD_Mode::create_or_throw("AES-256/GCM", direction);
    aead->set_key(k.bytes().data(), k.size());
    return aead;
  });
}

Digest final_digest(Botan::MessageAuthenticationCode& mac) {
  Digest out{};
  mac.final(out.data());
  return out;
}

// "m=19456,t=2,p=1" → its three numbers, with the bounds the decoy and verify paths accept.
std::optional<Argon2Params> parse_cost(std::string_view text) {
  Argon2Params p;
  std::uint32_t* fields[] = {&p.memory_kib, &p.iterations, &p.lanes};
  const char names[] = {'m', 't', 'p'};
  for (std::size_t i = 0; i < 3; ++i) {
    if (text.size() < 3 || text[0] != names[i] || text[1] != '=') return std::nullopt;
    text.remove_prefix(2);
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *fields[i]);
    if (ec != std::errc() || end == text.data()) return std::nullopt;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    if (i < 2) {
      if (text.empty() || text[0] != ',') return std::nullopt;
      text.remove_prefix(1);
    }
  }
  // Bounds keep a hostile verifier from costing more than 4 GiB or a minute of CPU.
  const bool sane = text.empty() && p.lanes >= 1 && p.lanes <= 64 && p.iterations >= 1 &&
                    p.iterations <= 64 && p.memory_kib >= 8 * p.lanes && p.memory_kib <= (4U << 20);
  return sane ? std::optional(p) : std::nullopt;
}

bool is_base64_text(std::string_view s) {
  return !s.empty() && s.find_first_not_of(
                           "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                           "0123456789+/") == std::string_view::npos;
}

}  // namespace

SecretBytes::SecretBytes(std::span<const std::uint8_t> bytes)
    : data_(bytes.empty() ? nullptr : new std::uint8_t[bytes.size()]), size_(bytes.size()) {
  if (!bytes.empty()) Botan::copy_mem(data_, bytes.data(), size_);
}

SecretBytes::SecretBytes(const SecretBytes& other) : SecretBytes(other.bytes()) {}

SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
  if (this != &other) *this = SecretBytes(other);
  return *this;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    wipe();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

SecretBytes::~SecretBytes() {
  wipe();
}

void SecretBytes::wipe() noexcept {
  if (data_ != nullptr) {
    Botan::secure_scrub_memory(data_, size_);
    delete[] data_;
  }
  data_ = nullptr;
  size_ = 0;
}

Bytes random_bytes(std::size_t n) {
  Bytes out(n);
  Botan::system_rng().randomize(out.data(), out.size());
  return out;
}

SecretBytes random_key() {
  Botan::secure_vector<std::uint8_t> key(key_size);
  Botan::system_rng().randomize(key.data(), key.size());
  return SecretBytes(key);
}

Digest hmac(const SecretBytes& key, std::initializer_list<std::string_view> parts) {
  auto& mac = hmac_sha256(key);
  for (const auto part : parts) {
    std::array<std::uint8_t, 8> length{};
    std::uint64_t n = part.size();
    for (std::size_t i = length.size(); i-- > 0; n >>= 8)
      length[i] = static_cast<std::uint8_t>(n & 0xff);
    mac.update(length.data(), length.size());
    mac.update(data_of(part), part.size());
  }
  return final_digest(mac);
}

Digest hmac_message(const SecretBytes& key, std::string_view message) {
  auto& mac = hmac_sha256(key);
  mac.update(data_of(message), message.size());
  return final_digest(mac);
}

bool equal(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return a.size() == b.size() && Botan::constant_time_compare(a.data(), b.data(), a.size());
}

std::string hex(std::span<const std::uint8_t> bytes) {
  return Botan::hex_encode(bytes.data(), bytes.size(), false);
}

Bytes seal(const SecretBytes& key, std::string_view ad, std::string_view plaintext) {
  if (key.size() != key_size) throw std::invalid_argument("crypto::seal: key is not 32 bytes");
  auto& aead = aes_gcm(key, Botan::ENCRYPTION);
  aead.set_associated_data(data_of(ad), ad.size());
  const Bytes nonce = random_bytes(nonce_size);
  aead.start(nonce.data(), nonce.size());
  Botan::secure_vector<std::uint8_t> buffer(plaintext.begin(), plaintext.end());
  aead.finish(buffer);
  Bytes out;
  out.reserve(nonce.size() + buffer.size());
  out.insert(out.end(), nonce.begin(), nonce.end());
  out.insert(out.end(), buffer.begin(), buffer.end());
  return out;
}

std::optional<std::string> open(const SecretBytes& key, std::string_view ad,
                                std::span<const std::uint8_t> sealed) {
  if (key.size() != key_size || sealed.size() < nonce_size + tag_size) return std::nullopt;
  auto& aead = aes_gcm(key, Botan::DECRYPTION);
  aead.set_associated_data(data_of(ad), ad.size());
  aead.start(sealed.data(), nonce_size);
  Botan::secure_vector<std::uint8_t> buffer(sealed.begin() + nonce_size, sealed.end());
  try {
    aead.finish(buffer);
  } catch (const Botan::Invalid_Authentication_Tag&) {
    aead_cache(Botan::DECRYPTION).drop(key);  // a fresh one next time, whatever state it is in
    return std::nullopt;
  }
  return std::string(buffer.begin(), buffer.end());
}

std::string argon2id_hash(std::string_view secret, const Argon2Params& params) {
  return Botan::argon2_generate_pwhash(secret.data(), secret.size(), Botan::system_rng(),
                                       params.lanes, params.memory_kib, params.iterations,
                                       argon2id_variant);
}

bool argon2id_verify(std::string_view secret, std::string_view encoded) {
  if (!argon2id_params(encoded)) return false;
  try {
    return Botan::argon2_check_pwhash(secret.data(), secret.size(), std::string(encoded));
  } catch (const std::exception&) {
    return false;  // a malformed verifier never verifies
  }
}

std::optional<Argon2Params> argon2id_params(std::string_view encoded) {
  // "$argon2id$v=19$m=19456,t=2,p=1$salt$hash": salt and hash unpadded base64.
  constexpr std::string_view prefix = "$argon2id$v=19$";
  if (encoded.substr(0, prefix.size()) != prefix) return std::nullopt;
  encoded.remove_prefix(prefix.size());
  const auto cost_end = encoded.find('$');
  if (cost_end == std::string_view::npos) return std::nullopt;
  const auto salt_end = encoded.find('$', cost_end + 1);
  if (salt_end == std::string_view::npos) return std::nullopt;
  if (!is_base64_text(encoded.substr(cost_end + 1, salt_end - cost_end - 1)) ||
      !is_base64_text(encoded.substr(salt_end + 1)))
    return std::nullopt;
  return parse_cost(encoded.substr(0, cost_end));
}

}  // namespace crypto
