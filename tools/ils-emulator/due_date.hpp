// Due dates from a rolling loan policy.
#pragma once

#include "iso_time.hpp"
#include "library_state.hpp"

namespace ils_emulator {

/// `from` plus the loan period; day-based periods end at 23:59:59 UTC of the last day, as FOLIO
/// does for intervals of a day or longer.
[[nodiscard]] TimePoint loan_due_date(const LoanPolicy& policy, TimePoint from);

/// The due date a renewal proposes: from the current due date or from now, per `renewFrom`.
[[nodiscard]] TimePoint renewal_due_date(const LoanPolicy& policy, TimePoint current_due,
                                         TimePoint now);

}  // namespace ils_emulator
