// A kiosk dialect: the wire conventions a connection uses, with the spec as defaults.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sip2 {

/// The default maximum frame length in bytes, terminator excluded.
inline constexpr std::size_t kDefaultMaxFrameLength = 8192;
/// The spec's maximum length of a variable field value, in characters.
inline constexpr std::size_t kMaxFieldLength = 255;

/// Character sets on the wire; values are UTF-8 inside the codec.
enum class Charset { ascii, cp850, latin1, utf8 };
/// What the AZ checksum sums: the encoded bytes (spec) or Unicode code points (some 3M units).
enum class ChecksumBasis { bytes, code_points };
/// Whether messages carry AY/AZ: never, always, or as each message shows (per message).
enum class ErrorDetection { off, on, automatic };
/// What the encoder does with a character the wire charset cannot carry.
enum class Unmappable { replace, transliterate };
/// How due dates (AH) are rendered for a kiosk.
enum class DueDateFormat { sip, iso_date_time, iso_date };
/// How outgoing dates name their zone: local time with four blanks (the spec's preference), UTC
/// with "   Z", or local time with the zone's letter (UTC when the offset has none).
enum class ZoneField { local_blank, utc_z, military_letter };

/// Wire conventions of one connection. Defaults follow SIP 2.00 as written.
struct Dialect {
  std::string terminator = "\r";  ///< output terminator; input accepts CR, CRLF and LF
  char delimiter = '|';
  char delimiter_replacement = ' ';  ///< replaces the delimiter or control bytes inside values
  Charset charset = Charset::cp850;  ///< SPEC: "English 850"
  Unmappable unmappable = Unmappable::transliterate;
  char replacement = '?';
  ChecksumBasis checksum_basis = ChecksumBasis::bytes;
  ErrorDetection error_detection = ErrorDetection::automatic;
  DueDateFormat due_date_format = DueDateFormat::sip;
  ZoneField zone_field = ZoneField::local_blank;  ///< of every date the gateway sends
  std::size_t max_field_length = kMaxFieldLength;
  std::size_t max_frame_length = kDefaultMaxFrameLength;
  bool sc_status_before_login = false;  ///< 99 accepted before a successful 93
  /// 23/63 answered with the patron's name, items and fees even when the PIN was wrong (a
  /// profile's patron.password.details_when_invalid); by default only the status bitmap.
  bool patron_details_on_bad_password = false;
  /// An AD sent empty (profile patron.password.empty_ad): like no AD at all (the default),
  /// checked like any PIN, or taken as right or wrong without a check.
  enum class EmptyPin { as_absent, verify, treat_valid, treat_invalid };
  EmptyPin empty_pin = EmptyPin::as_absent;
  /// No AD at all (patron.password.absent_ad): no check (the terminal's policy may still
  /// require one), or a wrong password.
  enum class AbsentPin { no_check, treat_invalid };
  AbsentPin absent_pin = AbsentPin::no_check;
  bool operator==(const Dialect&) const = default;
};

/// "ascii", "ibm850" (also "cp850"), "iso-8859-1" (also "latin1"), "utf-8".
std::optional<Charset> parse_charset(std::string_view name) noexcept;
std::string_view to_string(Charset c) noexcept;

}  // namespace sip2
