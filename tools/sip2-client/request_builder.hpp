// The SIP2 request bodies behind the client's plain-word commands, from what the session knows.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace sip2_client {

/// What a session remembers so that commands stay short.
struct SessionState {
  std::string institution;              ///< AO of every request
  std::optional<std::string> location;  ///< CP of the login, AP of a checkin
  std::optional<std::string> login_user;
  std::optional<std::string> patron;  ///< AA, set by `patron BARCODE`
  std::optional<std::string> pin;     ///< AD, set by `patron BARCODE PIN`; never printed
  std::string language = "001";       ///< 23 and 63 language (001 English)
  std::string currency = "USD";       ///< 37 currency
};

/// The current local time as a SIP date: YYYYMMDD, four blanks (local zone), HHMMSS.
[[nodiscard]] std::string sip_now();

/// A 93 body: CN user, CO password, CP location when known.
[[nodiscard]] std::string login_body(std::string_view user, std::string_view password,
                                     const std::optional<std::string>& location);

/// A `{key}` and what it stands for; nullopt when it has no value here.
struct Placeholder {
  std::string_view key;
  std::optional<std::string> value;
};

/// `text` with every placeholder of `values` replaced. The error is the key of the first
/// placeholder that occurs in `text` without a value.
[[nodiscard]] tl::expected<std::string, std::string_view> fill_placeholders(
    std::string text, std::span<const Placeholder> values);

/// `{now}`, `{institution}`, `{location}`, `{patron}` and `{pin}` replaced from the session.
/// An error names the placeholder that has no value.
[[nodiscard]] tl::expected<std::string, std::string> expand_placeholders(std::string text,
                                                                         const SessionState& state);

/// The request body (UTF-8, no AY/AZ, no terminator) for a message command (`status`,
/// `patron`, `info`, `checkout`, `checkin`, `item`, `renew`, `renew-all`, `hold`, `pay`,
/// `block`, `enable`, `end`, `raw`, `resend`) and its arguments. `patron` also remembers the
/// patron and PIN in `state`. Errors are one line for the user ("checkout needs an ITEM").
[[nodiscard]] tl::expected<std::string, std::string> build_request(
    std::string_view command, std::span<const std::string> args, SessionState& state);

}  // namespace sip2_client
