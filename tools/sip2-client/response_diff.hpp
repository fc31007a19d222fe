// Comparing a response with a recorded one, field by field, for `sip2-client replay`.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "sip2/message.hpp"

namespace sip2_client {

/// Fields never compared: dates that change with the day of the replay (AH due date, CM hold
/// pickup date, BW expiration date) besides the fixed dates, which are always skipped.
inline const std::set<std::string, std::less<>> kDateFields = {"AH", "CM", "BW"};

/// The differences between `recorded` and `now`, one line each ("ok: recorded 1, now 0",
/// "AF: recorded [\"Done\"], now none"); empty when they match. `ignore` holds field codes
/// and fixed field names that are not compared.
[[nodiscard]] std::vector<std::string> diff_responses(
    const sip2::Message& recorded, const sip2::Message& now,
    const std::set<std::string, std::less<>>& ignore);

}  // namespace sip2_client
