// Encoding a generic Message into one SIP2 frame body.
#include "sip2/charset.hpp"
#include "sip2/checksum.hpp"
#include "sip2/codec.hpp"

namespace sip2 {
namespace {

using Error = tl::unexpected<DecodeError>;

/// Replaces the delimiter and control characters (a CR would end the frame: Koha bug 40675).
std::string sanitize(std::string_view value, const Dialect& d) {
  std::string out(value);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (c == d.delimiter || u < 0x20 || u == 0x7F) c = d.delimiter_replacement;
  }
  return out;
}

void append_field(std::string& out, const Field& f, const Dialect& d) {
  const std::string clean = sanitize(f.value, d);
  const FieldInfo* info = find_field(f.code);
  using O = Dialect::Overflow;
  if (d.overflow == O::drop && code_point_count(clean) > d.max_field_length) return;
  const bool repeat = d.overflow == O::repeat_field || (d.overflow == O::repeat_if_repeatable &&
                                                        info != nullptr && info->repeatable);
  std::string_view rest = clean;
  do {
    const std::string_view chunk = code_point_prefix(rest, d.max_field_length);
    out.append(f.code.view());
    out += from_utf8(chunk, d.charset, d.unmappable, d.replacement);
    out.push_back(d.delimiter);
    rest.remove_prefix(chunk.size());
  } while (!rest.empty() && repeat);
}

}  // namespace

DecodeResult<std::string> encode(const Message& m, const Dialect& d, EncodeOptions options) {
  if (m.command.size() != 2) return Error(DecodeError{errc::bad_value, 0});
  const CommandSpec* spec = m.spec();
  if (spec != nullptr && m.fixed.size() != spec->fixed.size()) {
    return Error(DecodeError{errc::bad_value, std::min(m.fixed.size(), spec->fixed.size())});
  }
  std::string out = m.command;
  for (std::size_t i = 0; i < m.fixed.size(); ++i) {
    if (spec != nullptr && code_point_count(m.fixed[i]) != spec->fixed[i].width) {
      return Error(DecodeError{errc::bad_value, i});
    }
    out += from_utf8(sanitize(m.fixed[i], d), d.charset, d.unmappable, d.replacement);
  }
  for (const Field& f : m.fields) {
    if (f.code == field::sequence_number || f.code == field::checksum) continue;
    append_field(out, f, d);
  }
  if (options.error_detection) {
    const bool with_seq = spec == nullptr || spec->takes_sequence;
    append_error_detection(out, with_seq ? std::optional<int>(options.sequence) : std::nullopt,
                           d.checksum_basis, d.charset, d.hex_case == Dialect::HexCase::lower);
  }
  return out;
}

std::string with_terminator(std::string body, const Dialect& dialect) {
  body += dialect.terminator;
  return body;
}

}  // namespace sip2
