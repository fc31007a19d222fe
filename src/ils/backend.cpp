// The default of what a backend may do better itself.
#include "ils/backend.hpp"

#include <algorithm>
#include <cctype>

namespace ils {

bool status_listed(const Item& item, const std::vector<std::string>& statuses) {
  auto same = [](std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) ==
                    std::tolower(static_cast<unsigned char>(y));
           });
  };
  return std::any_of(statuses.begin(), statuses.end(), [&](const std::string& s) {
    return same(s, item.status_name) || same(s, status_key(item.status));
  });
}

Result<PatronSummary> Backend::patron_summary(const CallContext& ctx, const PatronRef& patron) {
  auto account = patron_account(
      ctx, patron, {.loans = true, .holds = true, .recalls = false, .fees = true, .blocks = true});
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
