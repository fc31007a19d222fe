// Block evaluation: FOLIO's condition rules (every limit is "reached" at >=).
#include "patron_blocks.hpp"

#include <cmath>

#include "json_fields.hpp"

namespace ils_emulator {
namespace {

using nlohmann::json;

// mod-patron-blocks' fixed condition ids.
constexpr std::string_view kItemsChargedOut = "3d7c52dc-c732-4223-8bf8-e5917801386f";
constexpr std::string_view kLostItems = "72b67965-5b73-4840-bc0b-be8f3f6e047e";
constexpr std::string_view kOverdueItems = "584fbd4f-6a34-4730-a6ca-73a6a6a9d845";
constexpr std::string_view kFeeBalance = "cf7a0d5f-a327-4ca1-aa9e-dc55ec006b8a";

struct UserSummary {
  double open_loans = 0, overdue = 0, lost = 0, fee_balance = 0;
};

UserSummary summarize(LibraryState& s, std::string_view user_id, TimePoint now) {
  UserSummary sum;
  for (const json* record : s.loans.with("userId", user_id)) {
    const json& loan = *record;
    if (text(loan, "status", "name") != "Open") continue;
    ++sum.open_loans;
    const auto due = parse_iso_time(text(loan, "dueDate"));
    if (due && *due < now) ++sum.overdue;
    const json* item = s.items.find(text(loan, "itemId"));
    const std::string status = item ? item_status(*item) : "";
    if (status == "Declared lost" || status == "Aged to lost") ++sum.lost;
  }
  sum.fee_balance = double(outstanding_cents(s, user_id)) / 100.0;
  return sum;
}

bool limit_reached(std::string_view condition, double limit, const UserSummary& sum) {
  if (condition == kItemsChargedOut) return sum.open_loans >= limit;
  if (condition == kLostItems) return sum.lost >= limit;
  if (condition == kOverdueItems) return sum.overdue >= limit;
  if (condition == kFeeBalance) return sum.fee_balance >= limit;
  return false;
}

bool stops(const json& block, PatronAction action) {
  switch (action) {
    case PatronAction::borrowing:
      return flag(block, "blockBorrowing");
    case PatronAction::renewals:
      return flag(block, "blockRenewals");
    case PatronAction::requests:
      return flag(block, "blockRequests");
  }
  return false;
}

}  // namespace

long long outstanding_cents(const LibraryState& s, std::string_view user_id) {
  long long cents = 0;
  for (const json* a : s.accounts.with("userId", user_id)) {
    if (text(*a, "status", "name") == "Open") {
      cents += std::llround(number(*a, "remaining") * 100);
    }
  }
  return cents;
}

json automated_blocks(LibraryState& s, const json& user, TimePoint now) {
  json blocks = json::array();
  const PatronGroup* group = group_for(s, user);
  if (group == nullptr) return blocks;
  const UserSummary sum = summarize(s, text(user, "id"), now);
  for (const auto& c : s.conditions) {
    const auto limit = group->limits.find(c.id);
    if (limit == group->limits.end() || !limit_reached(c.id, limit->second, sum)) continue;
    if (!(c.borrowing || c.renewals || c.requests)) continue;
    blocks.push_back({{"patronBlockConditionId", c.id},
                      {"blockBorrowing", c.borrowing},
                      {"blockRenewals", c.renewals},
                      {"blockRequests", c.requests},
                      {"message", c.message}});
  }
  return blocks;
}

std::vector<ValidationError> automated_block_errors(LibraryState& s, const json& user,
                                                    PatronAction action, TimePoint now) {
  std::vector<ValidationError> errors;
  for (const auto& block : automated_blocks(s, user, now)) {
    if (stops(block, action)) {
      errors.push_back({text(block, "message"), {}, "USER_IS_BLOCKED_AUTOMATICALLY"});
    }
  }
  return errors;
}

std::optional<ValidationError> manual_block_error(LibraryState& s, std::string_view user_id,
                                                  PatronAction action, TimePoint now) {
  static constexpr const char* flag_name[] = {"borrowing", "renewals", "requests"};
  static constexpr const char* verb[] = {"borrowing", "renewing", "requesting"};
  const auto i = static_cast<std::size_t>(action);
  std::string reasons;
  bool blocked = false;
  for (const json* record : s.manualblocks.with("userId", user_id)) {
    const json& b = *record;
    if (!flag(b, flag_name[i])) continue;
    const auto expires = parse_iso_time(text(b, "expirationDate"));
    if (expires && *expires <= now) continue;
    reasons += (blocked ? ";" : "") + text(b, "desc");
    blocked = true;
  }
  if (!blocked) return std::nullopt;
  return ValidationError{std::string("Patron blocked from ") + verb[i],
                         {{"reason", reasons}},
                         "USER_IS_BLOCKED_MANUALLY"};
}

std::vector<ValidationError> block_errors(LibraryState& s, const json& user, PatronAction action,
                                          TimePoint now) {
  std::vector<ValidationError> errors;
  if (auto manual = manual_block_error(s, text(user, "id"), action, now)) {
    errors.push_back(std::move(*manual));
  }
  for (auto& e : automated_block_errors(s, user, action, now))
    errors.push_back(std::move(e));
  return errors;
}

}  // namespace ils_emulator
