// Tokenizer for the CQL subset: words, quoted strings with backslash escapes, relations, parens.
#include "cql_lexer.hpp"

namespace ils_emulator {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool ends_word(char c) {
  return is_space(c) || c == '(' || c == ')' || c == '"' || c == '=' || c == '<' || c == '>' ||
         c == '/';
}

/// Appends the term byte at `pos`, resolving `\x` and CQL's masking characters.
tl::expected<void, CqlError> take_term_char(std::string_view q, std::size_t& pos, CqlToken& token) {
  char c = q[pos];
  bool escaped = false;
  if (c == '\\') {
    if (pos + 1 >= q.size()) return tl::unexpected(CqlError{pos, "dangling backslash"});
    c = q[++pos];
    escaped = true;
  }
  ++pos;
  // An unescaped `^` anchors the term at a field edge; every match here is anchored already.
  if (!escaped && c == '^') return {};
  token.text.push_back(c);
  CqlChar kind = CqlChar::literal;
  if (!escaped && c == '*') kind = CqlChar::any_run;
  if (!escaped && c == '?') kind = CqlChar::any_one;
  token.chars.push_back(kind);
  return {};
}

tl::expected<CqlToken, CqlError> read_quoted(std::string_view q, std::size_t& pos) {
  CqlToken token{CqlTokenKind::quoted, {}, {}, pos};
  ++pos;
  while (pos < q.size() && q[pos] != '"') {
    if (auto taken = take_term_char(q, pos, token); !taken) return tl::unexpected(taken.error());
  }
  if (pos >= q.size()) return tl::unexpected(CqlError{token.position, "unterminated string"});
  ++pos;
  return token;
}

tl::expected<CqlToken, CqlError> read_word(std::string_view q, std::size_t& pos) {
  CqlToken token{CqlTokenKind::word, {}, {}, pos};
  while (pos < q.size() && !ends_word(q[pos])) {
    if (auto taken = take_term_char(q, pos, token); !taken) return tl::unexpected(taken.error());
  }
  return token;
}

CqlToken read_relation(std::string_view q, std::size_t& pos) {
  CqlToken token{CqlTokenKind::relation, {}, {}, pos};
  static constexpr std::string_view two_char[] = {"==", "<=", ">=", "<>"};
  for (const auto r : two_char) {
    if (q.substr(pos, 2) == r) {
      token.text = std::string(r);
      pos += 2;
      return token;
    }
  }
  token.text = std::string(1, q[pos++]);
  return token;
}

}  // namespace

tl::expected<std::vector<CqlToken>, CqlError> tokenize_cql(std::string_view q) {
  std::vector<CqlToken> tokens;
  std::size_t pos = 0;
  while (true) {
    while (pos < q.size() && is_space(q[pos]))
      ++pos;
    if (pos >= q.size()) break;
    const char c = q[pos];
    if (c == '(' || c == ')' || c == '/') {
      const auto kind = c == '('   ? CqlTokenKind::open_paren
                        : c == ')' ? CqlTokenKind::close_paren
                                   : CqlTokenKind::slash;
      tokens.push_back({kind, std::string(1, c), {}, pos});
      ++pos;
    } else if (c == '=' || c == '<' || c == '>') {
      tokens.push_back(read_relation(q, pos));
    } else {
      auto token = c == '"' ? read_quoted(q, pos) : read_word(q, pos);
      if (!token) return tl::unexpected(token.error());
      tokens.push_back(std::move(*token));
    }
  }
  tokens.push_back({CqlTokenKind::end, {}, {}, q.size()});
  return tokens;
}

}  // namespace ils_emulator
