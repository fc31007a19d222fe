// Candidate sets combined through the query tree: intersection, union, difference by evaluation.
#include "cql_plan.hpp"

#include <algorithm>
#include <iterator>

namespace ils_emulator {
namespace {

/// Ranges wider than this are not turned into lists for a union (it would cost more than a scan).
constexpr std::size_t kMaxListFromRange = 100000;

std::vector<std::size_t> as_list(const CqlCandidates& c) {
  if (!c.is_range) return c.list;
  std::vector<std::size_t> out(c.size());
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = c.lo + i;
  return out;
}

CqlCandidates intersect(const CqlCandidates& a, const CqlCandidates& b) {
  const bool exact = a.exact && b.exact;
  if (a.is_range && b.is_range)
    return CqlCandidates::range(std::max(a.lo, b.lo),
                                std::max(std::max(a.lo, b.lo), std::min(a.hi, b.hi)), exact);
  if (a.is_range || b.is_range) {
    const CqlCandidates& r = a.is_range ? a : b;
    const CqlCandidates& l = a.is_range ? b : a;
    std::vector<std::size_t> out;
    std::copy_if(l.list.begin(), l.list.end(), std::back_inserter(out),
                 [&](std::size_t p) { return p >= r.lo && p < r.hi; });
    return CqlCandidates::positions(std::move(out), exact);
  }
  std::vector<std::size_t> out;
  std::set_intersection(a.list.begin(), a.list.end(), b.list.begin(), b.list.end(),
                        std::back_inserter(out));
  return CqlCandidates::positions(std::move(out), exact);
}

CqlCandidates unite(const CqlCandidates& a, const CqlCandidates& b, std::size_t size) {
  const bool exact = a.exact && b.exact;
  if (a.size() == 0 && a.exact) return b;
  if (b.size() == 0 && b.exact) return a;
  if (a.is_range && b.is_range && a.lo <= b.hi && b.lo <= a.hi)
    return CqlCandidates::range(std::min(a.lo, b.lo), std::max(a.hi, b.hi), exact);
  if ((a.is_range && a.size() > kMaxListFromRange) || (b.is_range && b.size() > kMaxListFromRange))
    return CqlCandidates::range(0, size, false);
  const auto x = as_list(a), y = as_list(b);
  std::vector<std::size_t> out;
  std::set_union(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(out));
  return CqlCandidates::positions(std::move(out), exact);
}

CqlCandidates plan_node(const CqlQuery& q, std::size_t index, std::size_t size,
                        const CqlTermResolver& resolve) {
  const CqlNode& node = q.nodes[index];
  if (node.is_term) {
    if (node.index == "cql.allRecords") return CqlCandidates::range(0, size, true);
    if (auto found = resolve(node)) return std::move(*found);
    return CqlCandidates::range(0, size, false);
  }
  CqlCandidates left = plan_node(q, node.left, size, resolve);
  CqlCandidates right = plan_node(q, node.right, size, resolve);
  switch (node.op) {
    case CqlBoolean::and_:
      return intersect(left, right);
    case CqlBoolean::or_:
      return unite(left, right, size);
    case CqlBoolean::not_:
      // Only a right side known to match nothing leaves the left side exact.
      if (right.exact && right.size() == 0) return left;
      if (right.exact && right.is_range && right.lo == 0 && right.hi == size)
        return CqlCandidates::positions({}, true);
      left.exact = false;
      return left;
  }
  return CqlCandidates::range(0, size, false);
}

}  // namespace

CqlCandidates CqlCandidates::range(std::size_t lo, std::size_t hi, bool exact) {
  CqlCandidates c;
  c.is_range = true;
  c.lo = lo;
  c.hi = std::max(lo, hi);
  c.exact = exact;
  return c;
}

CqlCandidates CqlCandidates::positions(std::vector<std::size_t> list, bool exact) {
  std::sort(list.begin(), list.end());
  list.erase(std::unique(list.begin(), list.end()), list.end());
  CqlCandidates c;
  c.is_range = false;
  c.list = std::move(list);
  c.exact = exact;
  return c;
}

CqlCandidates plan_cql(const CqlQuery& query, std::size_t size, const CqlTermResolver& resolve) {
  if (query.nodes.empty()) return CqlCandidates::range(0, size, true);
  return plan_node(query, query.root, size, resolve);
}

bool literal_values(const CqlNode& term) {
  return std::all_of(term.values.begin(), term.values.end(), [](const CqlValue& v) {
    return std::all_of(v.chars.begin(), v.chars.end(),
                       [](CqlChar c) { return c == CqlChar::literal; });
  });
}

}  // namespace ils_emulator
