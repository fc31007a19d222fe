// Argon2id through crypto::, and the in-memory memo of successful verifications.
#include "server/terminal_auth.hpp"

namespace server {

std::string hash_password(std::string_view password, Argon2Params params) {
  return crypto::argon2id_hash(password, {static_cast<std::uint32_t>(params.memory_kib),
                                          static_cast<std::uint32_t>(params.passes),
                                          static_cast<std::uint32_t>(params.lanes)});
}

TerminalAuth::TerminalAuth() : key_(crypto::random_key()) {}

crypto::Digest TerminalAuth::tag(std::string_view hash, std::string_view password) const {
  return crypto::hmac(key_, {hash, password});
}

std::string TerminalAuth::pair_key(std::string_view hash, std::string_view password) const {
  const auto t = tag(hash, password);
  return {t.begin(), t.end()};
}

bool TerminalAuth::remembered(std::string_view hash, std::string_view password) const {
  const auto t = tag(hash, password);
  std::lock_guard lock(mutex_);
  auto it = remembered_.find(std::string(hash));
  return it != remembered_.end() && crypto::equal(it->second, t);
}

std::string TerminalAuth::decoy_like(std::string_view like) {
  // Decoys are made per parameter set ("m=19456,t=2,p=1"); a verifier that does not parse gets
  // the default one.
  const auto parsed = crypto::argon2id_params(like);
  const crypto::Argon2Params params = parsed.value_or(crypto::Argon2Params{});
  const std::string key = parsed ? "m=" + std::to_string(params.memory_kib) +
                                       ",t=" + std::to_string(params.iterations) +
                                       ",p=" + std::to_string(params.lanes)
                                 : "default";
  std::lock_guard lock(mutex_);
  auto& decoy = decoys_[key];
  if (decoy.empty()) {
    const auto random = crypto::random_bytes(16);
    decoy = crypto::argon2id_hash(
        std::string_view(reinterpret_cast<const char*>(random.data()), random.size()), params);
  }
  return decoy;
}

bool TerminalAuth::verify(std::string_view hash, std::string_view password) {
  if (remembered(hash, password)) return true;
  ++argon2_runs_;
  const bool ok = crypto::argon2id_verify(password, hash);
  if (ok) {
    std::lock_guard lock(mutex_);
    remembered_[std::string(hash)] = tag(hash, password);
  }
  return ok;
}

}  // namespace server
