// Argon2id through Botan 2, and the in-memory memo of successful verifications.
#include "server/terminal_auth.hpp"

#include <botan/argon2.h>
#include <botan/mac.h>
#include <botan/mem_ops.h>
#include <botan/system_rng.h>

#include <cstdio>

namespace server {

std::string hash_password(std::string_view password, Argon2Params params) {
  Botan::System_RNG rng;
  return Botan::argon2_generate_pwhash(password.data(), password.size(), rng, params.lanes,
                                       params.memory_kib, params.passes, /*y=Argon2id*/ 2);
}

TerminalAuth::TerminalAuth() : key_(32) {
  Botan::System_RNG rng;
  rng.randomize(key_.data(), key_.size());
}

std::vector<std::uint8_t> TerminalAuth::tag(std::string_view hash,
                                            std::string_view password) const {
  auto mac = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-256)");
  mac->set_key(key_);
  mac->update(reinterpret_cast<const std::uint8_t*>(hash.data()), hash.size());
  mac->update(0);
  mac->update(reinterpret_cast<const std::uint8_t*>(password.data()), password.size());
  const auto out = mac->final();
  return {out.begin(), out.end()};
}

std::string TerminalAuth::pair_key(std::string_view hash, std::string_view password) const {
  const auto t = tag(hash, password);
  return {t.begin(), t.end()};
}

bool TerminalAuth::remembered(std::string_view hash, std::string_view password) const {
  const auto t = tag(hash, password);
  std::lock_guard lock(mutex_);
  auto it = remembered_.find(std::string(hash));
  return it != remembered_.end() && it->second.size() == t.size() &&
         Botan::constant_time_compare(it->second.data(), t.data(), t.size());
}

std::string TerminalAuth::decoy_like(std::string_view like) {
  // "$argon2id$v=19$m=19456,t=2,p=1$salt$hash": the parameters are the fourth field.
  Argon2Params params;
  std::string key = "default";
  const auto start = like.find("$m=");
  if (start != std::string_view::npos) {
    const auto end = like.find('$', start + 1);
    key = std::string(like.substr(start + 1, end - start - 1));
    unsigned long m = 0, t = 0, p = 0;
    if (std::sscanf(key.c_str(), "m=%lu,t=%lu,p=%lu", &m, &t, &p) == 3 && m >= 8 && t >= 1 &&
        p >= 1 && m <= (4UL << 20) && t <= 64 && p <= 64)
      params = {m, t, p};
    else
      key = "default";
  }
  std::lock_guard lock(mutex_);
  auto& decoy = decoys_[key];
  if (decoy.empty()) {
    std::uint8_t random[16];
    Botan::System_RNG().randomize(random, sizeof random);
    decoy = hash_password(std::string_view(reinterpret_cast<const char*>(random), sizeof random),
                          params);
  }
  return decoy;
}

bool TerminalAuth::verify(std::string_view hash, std::string_view password) {
  if (remembered(hash, password)) return true;
  bool ok = false;
  ++argon2_runs_;
  try {
    ok = Botan::argon2_check_pwhash(password.data(), password.size(), std::string(hash));
  } catch (const std::exception&) {
    ok = false;  // a malformed hash never verifies
  }
  if (ok) {
    std::lock_guard lock(mutex_);
    remembered_[std::string(hash)] = tag(hash, password);
  }
  return ok;
}

}  // namespace server
