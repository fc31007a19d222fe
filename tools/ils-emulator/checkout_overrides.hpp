// The overrideBlocks of a check-out (mod-circulation's block overrides) and the loan date sent.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <tl/expected.hpp>

#include "folio_failure.hpp"
#include "iso_time.hpp"

namespace ils_emulator {

/// Which blocks a check-out overrides, and why. FOLIO needs a comment for any override and a
/// due date for a not-loanable item.
struct CheckoutOverrides {
  bool requested = false;             ///< overrideBlocks was sent
  bool patron_block = false;          ///< patronBlock: manual and automated patron blocks
  bool item_limit_block = false;      ///< itemLimitBlock (no item limits are modelled here)
  bool item_not_loanable = false;     ///< itemNotLoanableBlock
  std::optional<TimePoint> due_date;  ///< itemNotLoanableBlock.dueDate
  std::string comment;                ///< overrideBlocks.comment
};

/// Reads overrideBlocks from a check-out body; the 422 errors FOLIO sends for a bad one.
[[nodiscard]] tl::expected<CheckoutOverrides, std::vector<ValidationError>> read_overrides(
    const nlohmann::json& body);

/// The loanDate of a check-out body, `now` when absent; the 422 error for a bad one.
[[nodiscard]] tl::expected<TimePoint, ValidationError> read_loan_date(const nlohmann::json& body,
                                                                      TimePoint now);

}  // namespace ils_emulator
