// Users listing: a merge of the stored users and the generated patrons' candidate ranks.
#include "user_listing.hpp"

#include <algorithm>

#include "cql_match.hpp"
#include "json_fields.hpp"

namespace ils_emulator {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxMaterialized = 100000;

bool sorted_by_id(const CqlQuery* query) {
  return query != nullptr && query->sort.size() == 1 && query->sort[0].index == "id" &&
         !query->sort[0].descending;
}

/// Any sort but `sortBy id`: every match as JSON, sorted the generic way.
tl::expected<Page, FolioFailure> materialized_page(const LibraryState& s, const CqlQuery& query,
                                                   const std::vector<const json*>& stored,
                                                   const CqlCandidates& candidates, Paging paging) {
  std::vector<json> matches;
  for (const json* user : stored)
    matches.push_back(*user);
  bool too_many = false;
  candidates.each([&](std::size_t rank) {
    if (s.synthetic.taken(rank)) return true;
    json user = s.synthetic.user_at(rank);
    if (candidates.exact || cql_matches(query, user)) matches.push_back(std::move(user));
    too_many = matches.size() > kMaxMaterialized;
    return !too_many;
  });
  if (too_many)
    return tl::unexpected(text_failure(
        400, "ils-emulator: over generated patrons only sortBy id is supported for large results"));
  return select_page(matches, &query, paging);
}

}  // namespace

tl::expected<Page, FolioFailure> select_users(const LibraryState& s, const CqlQuery* query,
                                              Paging paging) {
  std::vector<const json*> stored = matching_records(s.users, query);
  const std::size_t generated = s.synthetic.size();
  const CqlCandidates candidates =
      query ? s.synthetic.plan(*query) : CqlCandidates::range(0, generated, true);
  const bool by_id = sorted_by_id(query);
  if (query != nullptr && !query->sort.empty() && !by_id)
    return materialized_page(s, *query, stored, candidates, paging);
  if (by_id) {
    std::sort(stored.begin(), stored.end(), [](const json* a, const json* b) {
      return fold_case(text(*a, "id")) < fold_case(text(*b, "id"));
    });
  }

  Page page;
  std::size_t position = 0;  // in the merged order
  const auto emit = [&](auto make) {
    if (position >= paging.offset && page.records.size() < paging.limit)
      page.records.push_back(make());
    ++position;
  };
  std::size_t next_stored = 0;
  const auto emit_stored_before = [&](const std::string* id) {
    while (next_stored < stored.size() &&
           (id == nullptr || fold_case(text(*stored[next_stored], "id")) < *id))
      emit([&] { return *stored[next_stored]; }), ++next_stored;
  };
  if (!by_id) emit_stored_before(nullptr);

  std::size_t generated_matches = 0;
  candidates.each([&](std::size_t rank) {
    if (s.synthetic.taken(rank)) return true;
    json user;
    if (!candidates.exact) {
      user = s.synthetic.user_at(rank);
      if (!cql_matches(*query, user)) return true;
    }
    ++generated_matches;
    if (by_id) {
      const std::string id = SyntheticPatrons::id_of(s.synthetic.number_at(rank));
      emit_stored_before(&id);
    }
    emit([&] { return user.is_null() ? s.synthetic.user_at(rank) : std::move(user); });
    // With exact candidates the total is known without looking at the rest.
    return !(candidates.exact && page.records.size() >= paging.limit);
  });
  emit_stored_before(nullptr);
  const std::size_t generated_total = candidates.exact
                                          ? candidates.size() - s.synthetic.taken_among(candidates)
                                          : generated_matches;
  page.total = stored.size() + generated_total;
  return page;
}

}  // namespace ils_emulator
