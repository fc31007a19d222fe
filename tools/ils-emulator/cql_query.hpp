// The parsed form of the CQL subset FOLIO clients send (edge-sip2 and the gateway's backend).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "cql_lexer.hpp"

namespace ils_emulator {

/// Relations: `==` exact, `=` all words, `<>` not equal, and the four orderings.
enum class CqlRelation { exact, words, not_equal, less, greater, less_equal, greater_equal };

/// Boolean operators; CQL gives them equal precedence, left to right.
enum class CqlBoolean { and_, or_, not_ };

/// A search term; `chars` marks the wildcards.
struct CqlValue {
  std::string text;            ///< decoded term text
  std::vector<CqlChar> chars;  ///< per byte of `text`
};

/// One node of the query tree, stored in `CqlQuery::nodes`.
struct CqlNode {
  bool is_term = true;              ///< term node, or a boolean node
  std::string index;                ///< term: dotted field path (`status.name`)
  CqlRelation relation{};           ///< term: the relation
  std::vector<CqlValue> values;     ///< term: alternatives (`id==(a or b)`), any may match
  CqlBoolean op{};                  ///< boolean: the operator
  std::size_t left = 0, right = 0;  ///< boolean: operand node indices
};

/// One `sortBy` key.
struct CqlSortKey {
  std::string index;        ///< dotted field path
  bool descending = false;  ///< `/sort.descending`
};

/// A parsed query: a tree of nodes in one vector, `root` indexes the top node.
struct CqlQuery {
  std::vector<CqlNode> nodes;    ///< all nodes; children come before their parent
  std::size_t root = 0;          ///< index of the top node
  std::vector<CqlSortKey> sort;  ///< `sortBy` keys, in order
};

/// The longest query accepted (FOLIO's URLs are bounded too).
inline constexpr std::size_t kMaxCqlLength = 4096;

/// Parses the subset: index-relation-term clauses, and/or/not, parentheses, value lists and a
/// trailing `sortBy`. Anything else (bare terms, modifiers, word relations) is an error.
[[nodiscard]] tl::expected<CqlQuery, CqlError> parse_cql(std::string_view query);

}  // namespace ils_emulator
