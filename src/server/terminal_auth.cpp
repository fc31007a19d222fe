// Argon2id through Botan 2, and the in-memory memo of successful verifications.
#include "server/terminal_auth.hpp"

#include <botan/argon2.h>
#include <botan/mac.h>
#include <botan/mem_ops.h>
#include <botan/system_rng.h>

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

bool TerminalAuth::remembered(std::string_view hash, std::string_view password) const {
  const auto t = tag(hash, password);
  std::lock_guard lock(mutex_);
  auto it = remembered_.find(std::string(hash));
  return it != remembered_.end() && it->second.size() == t.size() &&
         Botan::constant_time_compare(it->second.data(), t.data(), t.size());
}

bool TerminalAuth::verify(std::string_view hash, std::string_view password) {
  if (remembered(hash, password)) return true;
  bool ok = false;
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
