// Human names of SIP2 coded values and flag positions (the spec's enumerations, sip2/values.hpp).
#pragma once

#include <string_view>
#include <vector>

namespace sip2_client {

/// Names of the positions holding 'Y' in a 14-character patron status ("card reported lost").
std::vector<std::string_view> patron_status_names(std::string_view flags);
/// Names of the positions holding 'Y' in a 10-character 63 summary ("charged items").
std::vector<std::string_view> summary_names(std::string_view flags);

/// The message pairs a 98's BX marks 'Y' (supported) and 'N' (not supported).
struct SupportedNames {
  std::vector<std::string_view> supported;
  std::vector<std::string_view> unsupported;
};
SupportedNames supported_message_names(std::string_view bx);

/// The name of a coded value, or "" when the code is not defined.
std::string_view circulation_status_name(std::string_view code);  ///< 18, two digits
std::string_view security_marker_name(std::string_view code);     ///< 18, two digits
std::string_view fee_type_name(std::string_view code);            ///< 18/37, BT, two digits
std::string_view payment_type_name(std::string_view code);        ///< 37, two digits
std::string_view alert_type_name(std::string_view code);          ///< CV, two digits
std::string_view media_type_name(std::string_view code);          ///< CK, three digits
std::string_view language_name(std::string_view code);            ///< three digits
std::string_view status_code_name(std::string_view code);         ///< 99 status code
std::string_view hold_mode_name(std::string_view code);           ///< 15 hold mode
std::string_view hold_type_name(std::string_view code);           ///< BY

}  // namespace sip2_client
