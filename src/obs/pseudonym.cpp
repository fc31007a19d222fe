// HMAC-SHA-256 pseudonyms; a fresh MAC object per call keeps the class free of locks.
#include "obs/pseudonym.hpp"

#include <botan/hex.h>
#include <botan/mac.h>

#include <algorithm>

#include "obs/pseudonym_key_file.hpp"

namespace obs {
namespace {

constexpr std::size_t pseudonym_bytes = 8;  // 16 hex digits: 64 bits, no practical collisions

}  // namespace

tl::expected<Pseudonymizer, std::string> Pseudonymizer::load_or_create(
    const std::filesystem::path& key_file) {
  return load_or_create_key_file(key_file).map(
      [](std::vector<std::uint8_t> key) { return Pseudonymizer(std::move(key)); });
}

Pseudonymizer::Pseudonymizer(std::vector<std::uint8_t> key) : key_(key.begin(), key.end()) {
  std::fill(key.begin(), key.end(), std::uint8_t{0});
}

std::string Pseudonymizer::operator()(std::string_view identifier) const {
  const auto mac = Botan::MessageAuthenticationCode::create_or_throw("HMAC(SHA-256)");
  mac->set_key(key_);
  mac->update(reinterpret_cast<const std::uint8_t*>(identifier.data()), identifier.size());
  const auto tag = mac->final();
  return "p:" + Botan::hex_encode(tag.data(), pseudonym_bytes, false);
}

}  // namespace obs
