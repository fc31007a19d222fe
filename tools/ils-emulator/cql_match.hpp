// Evaluates a parsed CQL query against JSON records, and orders them by its sortBy keys.
#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cql_query.hpp"

namespace ils_emulator {

/// True when `record` satisfies `query`. Dotted indexes walk objects and fan out over arrays;
/// `==` compares whole values case-insensitively, `=` requires every term word to be present,
/// orderings compare timestamps, then numbers, then text. `cql.allRecords` matches everything.
[[nodiscard]] bool cql_matches(const CqlQuery& query, const nlohmann::json& record);

/// True when one field value satisfies the term (any of its values, under its relation).
[[nodiscard]] bool cql_term_matches(const CqlNode& term, std::string_view field);

/// CQL's ordering of two field values: timestamps, then numbers, then case-folded text.
[[nodiscard]] int cql_compare(std::string_view a, std::string_view b);

/// Stable-sorts `records` by the query's sortBy keys; records missing a key go last.
void cql_sort(const CqlQuery& query, std::vector<nlohmann::json>& records);

}  // namespace ils_emulator
