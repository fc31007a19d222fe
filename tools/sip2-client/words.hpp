// Splitting a command line into words, the way a shell does with quotes and backslashes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace sip2_client {

/// Words separated by blanks. 'single quotes' keep everything literally; "double quotes" keep
/// blanks and take \" and \\; a backslash outside quotes escapes the next character. Quoted
/// and unquoted parts next to each other make one word (AF~"card blocked" is one word).
/// A line whose first non-blank character is '#' is a comment: no words.
/// Errors: "unterminated quote", "backslash at the end of the line".
[[nodiscard]] tl::expected<std::vector<std::string>, std::string> split_words(
    std::string_view line);

/// True for a command line that is a raw SIP2 message: it starts with two digits.
[[nodiscard]] bool is_raw_message(std::string_view line);

/// The word as it would have to be typed to give it back (quoted when it needs to be).
[[nodiscard]] std::string quote_word(std::string_view word);

}  // namespace sip2_client
