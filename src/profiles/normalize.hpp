// Unicode normalization of outbound text, as a firmware profile's encoding.normalization asks.
#pragma once

#include <string>
#include <string_view>

#include "sip2/message.hpp"

namespace profiles {

enum class Normalization { none, nfc, nfd };

/// `utf8` in the normalization form asked; text that is not valid UTF-8 is returned as it is
/// (the encoder replaces what it cannot carry).
[[nodiscard]] std::string normalize(std::string_view utf8, Normalization form);

/// Every fixed value and field value of `m` normalized (nothing to do for Normalization::none).
void normalize(sip2::Message& m, Normalization form);

}  // namespace profiles
