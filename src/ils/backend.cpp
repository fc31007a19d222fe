// The default of what a backend may do better itself.
#include "ils/backend.hpp"

namespace ils {

Result<PatronSummary> Backend::patron_summary(const CallContext& ctx, const PatronRef& patron) {
  auto account = patron_account(
      ctx, patron,
      {.loans = true, .holds = true, .recalls = false, .fees = true, .blocks = true});
  if (!account) return tl::unexpected(account.error());
  PatronSummary s;
  s.blocks = std::move(account->blocks);
  s.fee_balance = account->fee_total;
  s.loans = account->loans.size();
  s.overdue = account->overdue_count;
  s.holds_available = account->holds_available.size();
  s.holds_unavailable = account->holds_unavailable.size();
  return s;
}

}  // namespace ils
