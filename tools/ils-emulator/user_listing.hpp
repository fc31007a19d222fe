// CQL searches over the users: stored records and generated patrons merged in id order.
#pragma once

#include <tl/expected.hpp>

#include "folio_failure.hpp"
#include "library_state.hpp"

namespace ils_emulator {

/// One page of users matching `query` (null: all). Sorted by `id` (or unsorted: stored records
/// first), the generated patrons are streamed from their id ranks; other sort keys are refused
/// (400) when more than 100,000 generated patrons match.
[[nodiscard]] tl::expected<Page, FolioFailure> select_users(const LibraryState& state,
                                                            const CqlQuery* query, Paging paging);

}  // namespace ils_emulator
