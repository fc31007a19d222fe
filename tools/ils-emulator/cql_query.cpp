// Recursive-descent parser for the CQL subset (equal-precedence booleans, value lists, sortBy).
#include "cql_query.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace ils_emulator {
namespace {

constexpr int kMaxNesting = 32;

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}

std::optional<CqlRelation> relation_of(std::string_view symbol) {
  if (symbol == "==") return CqlRelation::exact;
  if (symbol == "=") return CqlRelation::words;
  if (symbol == "<>") return CqlRelation::not_equal;
  if (symbol == "<") return CqlRelation::less;
  if (symbol == ">") return CqlRelation::greater;
  if (symbol == "<=") return CqlRelation::less_equal;
  if (symbol == ">=") return CqlRelation::greater_equal;
  return std::nullopt;
}

class Parser {
 public:
  explicit Parser(std::vector<CqlToken> tokens) : tokens_(std::move(tokens)) {}

  tl::expected<CqlQuery, CqlError> run() {
    auto root = parse_query();
    if (!root) return tl::unexpected(root.error());
    query_.root = *root;
    if (is_word("sortby")) {
      ++pos_;
      if (auto sorted = parse_sort(); !sorted) return tl::unexpected(sorted.error());
    }
    if (peek().kind != CqlTokenKind::end) return fail(unexpected_message(peek()));
    return std::move(query_);
  }

 private:
  using Index = tl::expected<std::size_t, CqlError>;

  const CqlToken& peek() const { return tokens_[pos_]; }
  bool is_word(std::string_view lowered) const {
    return peek().kind == CqlTokenKind::word && lower(peek().text) == lowered;
  }
  tl::unexpected<CqlError> fail(std::string message) const {
    return tl::unexpected(CqlError{peek().position, std::move(message)});
  }
  static std::string unexpected_message(const CqlToken& t) {
    if (t.kind == CqlTokenKind::end) return "unexpected end of query";
    return "unexpected '" + t.text + "'";
  }

  std::optional<CqlBoolean> peek_boolean() const {
    if (is_word("and")) return CqlBoolean::and_;
    if (is_word("or")) return CqlBoolean::or_;
    if (is_word("not")) return CqlBoolean::not_;
    return std::nullopt;
  }

  Index parse_query() {
    auto left = parse_clause();
    if (!left) return left;
    while (const auto op = peek_boolean()) {
      ++pos_;
      auto right = parse_clause();
      if (!right) return right;
      CqlNode node;
      node.is_term = false;
      node.op = *op;
      node.left = *left;
      node.right = *right;
      query_.nodes.push_back(std::move(node));
      left = query_.nodes.size() - 1;
    }
    return left;
  }

  Index parse_clause() {
    if (peek().kind == CqlTokenKind::open_paren) {
      if (++depth_ > kMaxNesting) return fail("parentheses nested too deeply");
      ++pos_;
      auto inner = parse_query();
      if (!inner) return inner;
      if (peek().kind != CqlTokenKind::close_paren) return fail("expected ')'");
      ++pos_;
      --depth_;
      return inner;
    }
    if (peek().kind != CqlTokenKind::word || peek_boolean() || is_word("sortby")) {
      return fail(unexpected_message(peek()));
    }
    CqlNode term;
    term.index = tokens_[pos_++].text;
    if (peek().kind != CqlTokenKind::relation) {
      return fail("search term without index and relation is not supported");
    }
    const auto relation = relation_of(peek().text);
    if (!relation) return fail("unsupported relation '" + peek().text + "'");
    ++pos_;
    term.relation = *relation;
    auto values = parse_values();
    if (!values) return tl::unexpected(values.error());
    term.values = std::move(*values);
    query_.nodes.push_back(std::move(term));
    return query_.nodes.size() - 1;
  }

  tl::expected<CqlValue, CqlError> parse_value() {
    const CqlToken& t = peek();
    if (t.kind != CqlTokenKind::word && t.kind != CqlTokenKind::quoted) {
      return fail("expected a search term, found " + unexpected_message(t));
    }
    ++pos_;
    return CqlValue{t.text, t.chars};
  }

  /// A single term, or `( term or term ... )`.
  tl::expected<std::vector<CqlValue>, CqlError> parse_values() {
    std::vector<CqlValue> values;
    const bool listed = peek().kind == CqlTokenKind::open_paren;
    if (listed) ++pos_;
    while (true) {
      auto v = parse_value();
      if (!v) return tl::unexpected(v.error());
      values.push_back(std::move(*v));
      if (!listed) return values;
      if (peek().kind == CqlTokenKind::close_paren) break;
      if (peek_boolean() != CqlBoolean::or_) return fail("only 'or' may join a value list");
      ++pos_;
    }
    ++pos_;
    return values;
  }

  /// `sortBy index[/sort.ascending|/sort.descending] ...`
  tl::expected<void, CqlError> parse_sort() {
    while (peek().kind == CqlTokenKind::word) {
      CqlSortKey key{tokens_[pos_++].text, false};
      while (peek().kind == CqlTokenKind::slash) {
        ++pos_;
        const std::string modifier = peek().kind == CqlTokenKind::word ? lower(peek().text) : "";
        if (modifier == "sort.descending") {
          key.descending = true;
        } else if (modifier != "sort.ascending" && modifier != "sort.ignorecase") {
          return fail("unsupported sort modifier");
        }
        ++pos_;
      }
      query_.sort.push_back(std::move(key));
    }
    if (query_.sort.empty()) return fail("sortBy needs an index");
    return {};
  }

  std::vector<CqlToken> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;
  CqlQuery query_;
};

}  // namespace

tl::expected<CqlQuery, CqlError> parse_cql(std::string_view query) {
  if (query.size() > kMaxCqlLength) return tl::unexpected(CqlError{0, "query too long"});
  auto tokens = tokenize_cql(query);
  if (!tokens) return tl::unexpected(tokens.error());
  return Parser(std::move(*tokens)).run();
}

}  // namespace ils_emulator
