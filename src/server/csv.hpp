// RFC 4180 CSV for staff reports: quoting of fields and rows ending in CRLF.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace server {

/// One field: as it is, or in double quotes (quotes doubled) when it holds a comma, a double
/// quote, CR or LF, or starts or ends with a space (RFC 4180, section 2).
[[nodiscard]] std::string csv_field(std::string_view text);

/// Free text for a spreadsheet: a leading =, +, -, @, tab or CR gets a ' in front, so that a
/// spreadsheet shows it as text instead of running it as a formula. Quote the result with
/// csv_field as any other field.
[[nodiscard]] std::string csv_text(std::string_view text);

/// The fields joined by commas, each through csv_field, ended by CRLF.
[[nodiscard]] std::string csv_row(const std::vector<std::string>& fields);

}  // namespace server
