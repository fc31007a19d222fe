// Narrows a CQL search to candidate record positions before evaluating it (index use).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <vector>

#include "cql_query.hpp"

namespace ils_emulator {

/// Record positions a query may match: a range [lo, hi) or a sorted list of positions.
struct CqlCandidates {
  bool is_range = true;           ///< range [lo, hi), else `list`
  std::size_t lo = 0, hi = 0;     ///< the range
  std::vector<std::size_t> list;  ///< sorted, without duplicates
  bool exact = false;             ///< every candidate matches: no evaluation needed

  /// Positions [lo, hi); exact when every one of them matches.
  [[nodiscard]] static CqlCandidates range(std::size_t lo, std::size_t hi, bool exact);
  /// These positions (any order, duplicates allowed); exact when every one matches.
  [[nodiscard]] static CqlCandidates positions(std::vector<std::size_t> list, bool exact);
  /// How many positions there are.
  [[nodiscard]] std::size_t size() const { return is_range ? hi - lo : list.size(); }
  /// Calls `fn(position)` in ascending order until it returns false.
  template <typename Fn>
  void each(Fn fn) const {
    if (is_range) {
      for (std::size_t p = lo; p < hi; ++p)
        if (!fn(p)) return;
    } else {
      for (const std::size_t p : list)
        if (!fn(p)) return;
    }
  }
};

/// What a store knows of one term: its candidates, or nullopt when it cannot narrow it.
using CqlTermResolver = std::function<std::optional<CqlCandidates>(const CqlNode& term)>;

/// Candidates for the whole query over positions [0, size): terms the resolver answers are
/// combined through and/or/not; the rest count as "anything, to be evaluated".
[[nodiscard]] CqlCandidates plan_cql(const CqlQuery& query, std::size_t size,
                                     const CqlTermResolver& resolve);

/// True when every value of the term is free of wildcards (an index can answer `==`).
[[nodiscard]] bool literal_values(const CqlNode& term);

}  // namespace ils_emulator
