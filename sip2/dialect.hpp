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
/// How due dates (AH) are rendered: the SIP date, ISO 8601 in UTC, local "YYYY-MM-DD HH:MM:SS"
/// (profile dates.due_date.format iso_local), or the local date alone.
enum class DueDateFormat { sip, iso_date_time, iso_local, iso_date };
/// How outgoing dates name their zone: local time with four blanks (the spec's preference), UTC
/// with "   Z", or local time with the zone's letter (UTC when the offset has none).
enum class ZoneField { local_blank, utc_z, military_letter };

/// Wire conventions of one connection. Defaults follow SIP 2.00 as written.
struct Dialect {
  std::string terminator = "\r";  ///< output terminator; input accepts CR, CRLF and LF
  char delimiter = '|';
  char delimiter_replacement = ' ';  ///< replaces the delimiter or control bytes inside values
  Charset charset = Charset::cp850;  ///< SPEC: "English 850"
  /// The charset requests are read in, when a kiosk writes another than it reads (profile
  /// encoding.inbound_charset); else `charset`.
  std::optional<Charset> inbound_charset;
  Unmappable unmappable = Unmappable::transliterate;
  char replacement = '?';
  ChecksumBasis checksum_basis = ChecksumBasis::bytes;
  ErrorDetection error_detection = ErrorDetection::automatic;
  DueDateFormat due_date_format = DueDateFormat::sip;
  ZoneField zone_field = ZoneField::local_blank;  ///< of every date the gateway sends
  std::size_t max_field_length = kMaxFieldLength;
  /// A value longer than max_field_length (profile fields.overflow): split into repeated
  /// fields when SIP2 lets the field repeat and cut otherwise (the default), always cut,
  /// always repeated, or left out.
  enum class Overflow { repeat_if_repeatable, truncate, repeat_field, drop };
  Overflow overflow = Overflow::repeat_if_repeatable;
  std::size_t max_frame_length = kDefaultMaxFrameLength;
  /// When responses carry AY/AZ (profile error_detection.outbound): never, when the request
  /// carried a sequence number (AY), or always.
  enum class Outbound { off, mirror_request, always };
  Outbound outbound = Outbound::mirror_request;
  /// The case of the AZ hex digits (error_detection.checksum_hex_case): `upper` and `lower` are
  /// written and required in that case; `accept_any` writes upper case and accepts both.
  enum class HexCase { upper, lower, accept_any };
  HexCase hex_case = HexCase::accept_any;
  /// What a request with a wrong AZ gets (error_detection.on_bad_checksum): a 96, no answer, or
  /// processed as if it were right (for kiosks known to compute it wrongly).
  enum class BadChecksum { send_96, drop, process_anyway };
  BadChecksum on_bad_checksum = BadChecksum::send_96;
  bool echo_sequence = true;  ///< responses repeat the request's AY (else AY0)
  /// A request repeating the previous one (error_detection.sequence): its previous response
  /// replayed, or run again; "repeating" is the same AY and AZ, or the same bytes.
  bool replay_duplicates = true;
  bool duplicate_by_checksum = false;  ///< false: the same bytes (seq_and_body)
  /// 97 (error_detection.resend_97): answered with the last response, that response with its
  /// AY dropped and AZ recomputed, and before any response with a 96 or nothing.
  bool resend_supported = true;
  bool resend_recompute = false;
  bool resend_nothing_sent_96 = true;
  bool sc_status_before_login = false;  ///< 99 accepted before a successful 93
  /// A message that is no SIP2 request (session.unknown_message): 96, no answer, or closing.
  enum class UnknownMessage { send_96, ignore, close };
  UnknownMessage unknown_message = UnknownMessage::send_96;
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
