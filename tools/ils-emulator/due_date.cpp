// Rolling-period due date arithmetic.
#include "due_date.hpp"

namespace ils_emulator {

TimePoint loan_due_date(const LoanPolicy& policy, TimePoint from) {
  using namespace std::chrono;
  const auto n = policy.duration;
  if (policy.interval == "Minutes") return from + minutes(n);
  if (policy.interval == "Hours") return from + hours(n);
  long long day_count = n;
  if (policy.interval == "Weeks") day_count = 7 * n;
  if (policy.interval == "Months") day_count = 30 * n;
  const auto last_day = floor<days>(from) + days(day_count);
  return last_day + hours(23) + minutes(59) + seconds(59);
}

TimePoint renewal_due_date(const LoanPolicy& policy, TimePoint current_due, TimePoint now) {
  return loan_due_date(policy, policy.renew_from_due_date ? current_due : now);
}

}  // namespace ils_emulator
