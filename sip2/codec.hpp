// decode and encode: one frame (terminator excluded) to a generic Message and back.
#pragma once

#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "sip2/dialect.hpp"
#include "sip2/errc.hpp"
#include "sip2/message.hpp"

namespace sip2 {

/// strict: the spec (valid fixed fields, required request fields, verified checksum);
/// lenient: missing fixed characters read as short/empty values, no enumeration checks,
/// invalid bytes replaced, a bad checksum reported in `checksum_valid` only.
/// Both accept what every peer accepts: empty segments, a missing final delimiter, unknown
/// commands and fields.
enum class Mode { strict, lenient };

template <class T>
using DecodeResult = tl::expected<T, DecodeError>;

/// Decodes one frame. Error detection per `dialect.error_detection`: `on` requires a trailer,
/// `off` never fails on one, `automatic` verifies a trailer when present.
[[nodiscard]] DecodeResult<Message> decode(std::string_view frame, const Dialect& dialect = {},
                                           Mode mode = Mode::strict);

struct EncodeOptions {
  bool error_detection = false;  ///< append AY (not for 96/97) and AZ
  int sequence = 0;
};

/// Encodes a message body (no terminator). Fixed widths are enforced (`bad_value` with the index
/// of the offending fixed field as offset); delimiters and control characters inside values are
/// replaced; values longer than the dialect's maximum are truncated, or split into repeated
/// fields when the field is repeatable.
[[nodiscard]] DecodeResult<std::string> encode(const Message& message, const Dialect& dialect = {},
                                               EncodeOptions options = {});

/// Body plus the dialect's output terminator.
std::string with_terminator(std::string body, const Dialect& dialect);

}  // namespace sip2
