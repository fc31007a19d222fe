// Decoding one SIP2 frame into a generic Message.
#include <algorithm>

#include "sip2/charset.hpp"
#include "sip2/checksum.hpp"
#include "sip2/codec.hpp"
#include "sip2/fixed_kind.hpp"

namespace sip2 {
namespace {

using Error = tl::unexpected<DecodeError>;

struct Trailer {
  std::size_t body_end;
  std::optional<int> sequence;
  std::optional<std::string> checksum;
  std::size_t covered_end = 0;  ///< bytes up to and including "AZ"
};

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

// The trailer ends the frame: AY<digit>AZ<4 hex digits>, or AZ<4 hex digits> alone (a 96 or 97
// is often sent without a sequence number).
Trailer find_trailer(std::string_view frame) {
  Trailer t{frame.size(), std::nullopt, std::nullopt};
  const std::size_t n = frame.size();
  if (n >= 8 && frame.substr(n - 6, 2) == "AZ" &&
      std::all_of(frame.end() - 4, frame.end(), is_hex)) {
    t.checksum = std::string(frame.substr(n - 4));
    t.covered_end = n - 4;
    t.body_end = n - 6;
    const std::size_t b = t.body_end;
    if (b >= 5 && frame.substr(b - 3, 2) == "AY" && frame[b - 1] >= '0' && frame[b - 1] <= '9') {
      t.sequence = frame[b - 1] - '0';
      t.body_end = b - 3;
    }
  }
  return t;
}

DecodeResult<std::string> text(std::string_view wire, std::size_t offset, const Dialect& d,
                               bool strict) {
  auto r = to_utf8(wire, d.inbound_charset.value_or(d.charset), strict);
  if (!r) return Error(DecodeError{r.error().code, offset + r.error().offset});
  return r;
}

std::optional<DecodeError> check_bytes(std::string_view frame, bool strict) {
  for (std::size_t i = 0; i < frame.size(); ++i) {
    const auto c = static_cast<unsigned char>(frame[i]);
    if (c == 0) return DecodeError{errc::nul_byte, i};
    if (strict && (c < 0x20 || c == 0x7F)) return DecodeError{errc::control_character, i};
  }
  return std::nullopt;
}

std::optional<DecodeError> check_error_detection(std::string_view frame, const Trailer& t,
                                                 Message& m, const Dialect& d, bool strict) {
  if (!t.checksum) {
    if (d.error_detection == ErrorDetection::on)
      return DecodeError{errc::missing_checksum, frame.size()};
    return std::nullopt;
  }
  const auto carried = parse_checksum_hex(*t.checksum);
  // A profile may require one case of hex digit (upper or lower); the other is then wrong.
  const auto& hex = *t.checksum;
  const bool case_ok =
      d.hex_case == Dialect::HexCase::accept_any ||
      (d.hex_case == Dialect::HexCase::upper
           ? std::none_of(hex.begin(), hex.end(), [](char c) { return c >= 'a' && c <= 'f'; })
           : std::none_of(hex.begin(), hex.end(), [](char c) { return c >= 'A' && c <= 'F'; }));
  m.checksum_valid = case_ok && carried &&
                     *carried == checksum(frame.substr(0, t.covered_end), d.checksum_basis,
                                          d.inbound_charset.value_or(d.charset));
  const bool enforce = d.error_detection == ErrorDetection::on ||
                       (strict && d.error_detection == ErrorDetection::automatic);
  if (!*m.checksum_valid && enforce) return DecodeError{errc::checksum_mismatch, t.covered_end - 2};
  return std::nullopt;
}

}  // namespace

DecodeResult<Message> decode(std::string_view frame, const Dialect& d, Mode mode) {
  const bool strict = mode == Mode::strict;
  if (frame.empty()) return Error(DecodeError{errc::empty_message, 0});
  if (auto e = check_bytes(frame, strict)) return Error(*e);
  if (frame.size() < 2) return Error(DecodeError{errc::truncated, frame.size()});

  Message m;
  m.command = std::string(frame.substr(0, 2));
  const Trailer t = find_trailer(frame);
  m.sequence = t.sequence;
  m.checksum = t.checksum;
  if (auto e = check_error_detection(frame, t, m, d, strict)) return Error(*e);

  std::size_t pos = 2;
  const CommandSpec* spec = m.spec();
  if (spec != nullptr) {
    for (const FixedSpec& f : spec->fixed) {
      const std::size_t avail = t.body_end - std::min(pos, t.body_end);
      if (avail < f.width && strict) return Error(DecodeError{errc::truncated_fixed_field, pos});
      const std::string_view raw = frame.substr(pos, std::min<std::size_t>(f.width, avail));
      if (strict && raw.find(d.delimiter) != std::string_view::npos)
        return Error(DecodeError{errc::bad_fixed_field, pos + raw.find(d.delimiter)});
      if (strict && !fixed_value_ok(f.kind, raw)) {
        const bool date = f.kind == FixedKind::date || f.kind == FixedKind::date_or_blank ||
                          f.kind == FixedKind::date_or_zeros;
        return Error(DecodeError{date ? errc::bad_date : errc::bad_fixed_field, pos});
      }
      auto value = text(raw, pos, d, strict);
      if (!value) return Error(value.error());
      m.fixed.push_back(std::move(*value));
      pos += raw.size();
    }
  }

  while (pos < t.body_end) {
    std::size_t end = frame.find(d.delimiter, pos);
    if (end == std::string_view::npos || end > t.body_end) end = t.body_end;
    const std::string_view segment = frame.substr(pos, end - pos);
    if (segment.size() == 1 && strict) return Error(DecodeError{errc::bad_field, pos});
    if (segment.size() >= 2) {  // skip empty segments: a stray | after the fixed part is common
      const FieldCode code(segment.substr(0, 2));
      // AY/AZ belong to the trailer only; inside the body they are a corrupted trailer.
      if (strict && (code == field::sequence_number || code == field::checksum))
        return Error(DecodeError{errc::bad_field, pos});
      auto value = text(segment.substr(2), pos + 2, d, strict);
      if (!value) return Error(value.error());
      if (strict && code_point_count(*value) > d.max_field_length) {
        return Error(DecodeError{errc::field_too_long, pos});
      }
      m.fields.push_back({code, std::move(*value)});
    }
    pos = end + 1;
  }

  if (strict && spec != nullptr && spec->direction == Direction::request) {
    for (const TagSpec& tag : spec->tags) {
      if (tag.required && m.find(tag.code) == nullptr) {
        return Error(DecodeError{errc::missing_required_field, t.body_end});
      }
    }
  }
  return m;
}

}  // namespace sip2
