// Conversion between the wire character set and the codec's internal UTF-8.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "sip2/dialect.hpp"
#include "sip2/errc.hpp"

namespace sip2 {

/// Wire bytes → UTF-8. Strict: invalid bytes are `bad_encoding` (offset inside `wire`);
/// lenient: each invalid byte becomes U+FFFD.
[[nodiscard]] tl::expected<std::string, DecodeError> to_utf8(std::string_view wire, Charset charset,
                                                             bool strict);

/// UTF-8 → wire bytes. Characters the charset lacks are transliterated (diacritics stripped,
/// typographic punctuation simplified) or replaced, per `unmappable`. Never fails.
[[nodiscard]] std::string from_utf8(std::string_view utf8, Charset charset, Unmappable unmappable,
                                    char replacement);

/// Decodes one UTF-8 code point at `pos`, advancing it; U+FFFD for an invalid sequence.
char32_t next_code_point(std::string_view utf8, std::size_t& pos) noexcept;

/// Number of code points in a UTF-8 string.
std::size_t code_point_count(std::string_view utf8) noexcept;

/// The longest prefix of `utf8` holding at most `n` code points.
std::string_view code_point_prefix(std::string_view utf8, std::size_t n) noexcept;

}  // namespace sip2
