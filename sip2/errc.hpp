// The codec's error codes, wired into std::error_code.
#pragma once

#include <cstddef>
#include <string_view>
#include <system_error>

namespace sip2 {

/// Every way the codec can refuse bytes or a message.
enum class errc {
  frame_too_long = 1,      ///< no terminator within the maximum frame length
  nul_byte,                ///< a NUL byte inside a frame (SPEC "Nulls")
  empty_message,           ///< a frame with no bytes
  truncated,               ///< shorter than the two-character command identifier
  truncated_fixed_field,   ///< the fixed part ends early
  bad_fixed_field,         ///< a fixed field holds a value outside its enumeration
  bad_date,                ///< a date is not YYYYMMDDZZZZHHMMSS
  bad_field,               ///< a variable segment too short to hold a field identifier
  field_too_long,          ///< a variable field over the dialect's maximum (255)
  missing_required_field,  ///< a required variable field is absent
  bad_encoding,            ///< bytes that are not valid in the wire character set
  control_character,       ///< a control character inside a message
  missing_checksum,        ///< error detection is on but the message has no AY/AZ trailer
  checksum_mismatch,       ///< AZ does not verify
  unknown_command,         ///< no typed message for this command identifier
  bad_value,               ///< encode: a value does not fit its fixed field
  bad_json,                ///< JSON form of a message is not usable (tools only)
};

const std::error_category& error_category() noexcept;

inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

/// The stable snake_case name of an error ("checksum_mismatch"), as tools print it.
std::string_view to_string(errc e) noexcept;

/// An error and the byte offset in the frame where it was found.
struct DecodeError {
  std::error_code code;
  std::size_t offset = 0;
  bool operator==(const DecodeError&) const = default;
};

}  // namespace sip2

template <>
struct std::is_error_code_enum<sip2::errc> : std::true_type {};
