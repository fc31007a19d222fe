// Evaluates a parsed CQL query against JSON records, and orders them by its sortBy keys.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "cql_query.hpp"

namespace ils_emulator {

/// True when `record` satisfies `query`. Dotted indexes walk objects and fan out over arrays;
/// `==` compares whole values case-insensitively, `=` requires every term word to be present,
/// orderings compare timestamps, then numbers, then text. `cql.allRecords` matches everything.
[[nodiscard]] bool cql_matches(const CqlQuery& query, const nlohmann::json& record);

/// Stable-sorts `records` by the query's sortBy keys; records missing a key go last.
void cql_sort(const CqlQuery& query, std::vector<nlohmann::json>& records);

}  // namespace ils_emulator
