// HMAC-SHA-256 pseudonyms through crypto::hmac_message; stateless per call, so no locks.
#include "obs/pseudonym.hpp"

#include <span>

namespace obs {
namespace {

constexpr std::size_t pseudonym_bytes = 8;  // 16 hex digits: 64 bits, no practical collisions

}  // namespace

std::string Pseudonymizer::operator()(std::string_view identifier) const {
  const auto tag = crypto::hmac_message(key_, identifier);
  return "p:" + crypto::hex(std::span(tag).first(pseudonym_bytes));
}

}  // namespace obs
