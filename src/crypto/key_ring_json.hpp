// The key file's JSON text and a KeyRing, both ways (internal to src/crypto).
#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>

#include "crypto/key_ring.hpp"

namespace crypto::detail {

/// The ring in `text`, or "json.path: what is wrong" ("sealing.keys.2: must be base64 of 32
/// bytes").
[[nodiscard]] tl::expected<KeyRing, std::string> parse_key_ring(std::string_view text);
/// The file's text for `ring` (the caller wipes it once written).
[[nodiscard]] std::string serialize_key_ring(const KeyRing& ring);

}  // namespace crypto::detail
