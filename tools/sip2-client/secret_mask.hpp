// Hiding passwords and PINs (CO, AC, AD) in everything sip2-client prints.
#pragma once

#include <string>
#include <string_view>

#include "sip2/message.hpp"

namespace sip2_client {

/// What a secret value is printed as.
inline constexpr std::string_view kMask = "****";

/// True for the fields that carry a password or PIN: CO login password, AC terminal password,
/// AD patron password.
bool is_secret(sip2::FieldCode code) noexcept;

/// The raw frame with the value of every secret field replaced by kMask.
std::string mask_secrets(std::string_view frame);
/// The raw frame with every secret value replaced by its placeholder: CO {password},
/// AD {pin}, AC {terminal-password} (what traces hold, and what replay fills in again).
std::string secrets_to_placeholders(std::string_view frame);

/// How the secrets of a command line are hidden: as kMask, or as placeholders (traces).
enum class SecretStyle { mask, placeholder };
/// A command line as it may be shown, kept in a history or written to a trace: the PIN of
/// `patron BARCODE PIN`, the value of `set pin`, and CO/AD/AC of a raw message hidden. A line
/// with nothing to hide comes back as typed.
std::string line_without_secrets(std::string_view line, SecretStyle style);

/// The message with the value of every secret field replaced by kMask.
sip2::Message mask_secrets(sip2::Message message);

}  // namespace sip2_client
