// Splits a CQL query string into tokens for the parser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace ils_emulator {

/// Why a query was refused, and where (byte offset into the query).
struct CqlError {
  std::size_t position = 0;  ///< byte offset of the offending token
  std::string message;       ///< what is wrong, in words
};

/// What one byte of a search term stands for.
enum class CqlChar : std::uint8_t { literal, any_run, any_one };

/// The kinds of token the CQL subset knows.
enum class CqlTokenKind { word, quoted, relation, open_paren, close_paren, slash, end };

/// One token; `text` holds the decoded text (escapes resolved, anchors dropped).
struct CqlToken {
  CqlTokenKind kind = CqlTokenKind::end;
  std::string text;            ///< the word, string contents or relation symbol
  std::vector<CqlChar> chars;  ///< per byte of `text`: literal or an unescaped `*` / `?`
  std::size_t position = 0;    ///< byte offset in the query
};

/// Tokenizes the whole query; the last token is always `end`.
[[nodiscard]] tl::expected<std::vector<CqlToken>, CqlError> tokenize_cql(std::string_view query);

}  // namespace ils_emulator
