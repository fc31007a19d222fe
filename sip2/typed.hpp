// Typed SIP2 messages: one struct per message, and conversion to and from the generic Message.
#pragma once

#include <string_view>
#include <variant>

#include <tl/expected.hpp>

#include "sip2/codec.hpp"
#include "sip2/messages/checkin.hpp"
#include "sip2/messages/checkout.hpp"
#include "sip2/messages/end_session.hpp"
#include "sip2/messages/fee_paid.hpp"
#include "sip2/messages/hold.hpp"
#include "sip2/messages/item_information.hpp"
#include "sip2/messages/patron_enable.hpp"
#include "sip2/messages/patron_information.hpp"
#include "sip2/messages/patron_status.hpp"
#include "sip2/messages/renew_all.hpp"
#include "sip2/messages/sc_status.hpp"

namespace sip2 {

/// Every SIP2 2.00 message; the alternative index follows no wire order, use `command_of`.
using AnyMessage =
    std::variant<PatronStatusRequest, PatronStatusResponse, CheckoutRequest, CheckoutResponse,
                 CheckinRequest, CheckinResponse, BlockPatronRequest, ScStatusRequest,
                 AcsStatusResponse, RequestAcsResend, RequestScResend, LoginRequest, LoginResponse,
                 PatronInformationRequest, PatronInformationResponse, EndPatronSessionRequest,
                 EndPatronSessionResponse, FeePaidRequest, FeePaidResponse, ItemInformationRequest,
                 ItemInformationResponse, ItemStatusUpdateRequest, ItemStatusUpdateResponse,
                 PatronEnableRequest, PatronEnableResponse, HoldRequest, HoldResponse, RenewRequest,
                 RenewResponse, RenewAllRequest, RenewAllResponse>;

/// The command of a typed message.
[[nodiscard]] Command command_of(const AnyMessage& m) noexcept;

/// Reads a generic message into its typed struct. Fixed values that do not parse read as the
/// member's default (the strict decoder has already rejected them); variable fields the struct
/// does not name, repeats of single-valued fields, and values that do not parse are kept in
/// `extra`, in wire order. Fails only with errc::unknown_command.
[[nodiscard]] DecodeResult<AnyMessage> to_typed(const Message& message);

/// Writes a typed message as a generic one: fixed values formatted to their widths, required
/// fields always, optional fields when set, then `extra`.
[[nodiscard]] Message to_message(const AnyMessage& message);

/// decode() followed by to_typed(), with the trailer (AY/AZ) beside the message.
struct TypedFrame {
  AnyMessage message;
  std::optional<int> sequence;
  std::optional<bool> checksum_valid;
};
[[nodiscard]] DecodeResult<TypedFrame> decode_typed(std::string_view frame,
                                                    const Dialect& dialect = {},
                                                    Mode mode = Mode::strict);

/// How a server reads a request frame: strictly; a frame that fails only for what real kiosks
/// get wrong (control bytes, loose fixed fields) is read again leniently. A frame whose AZ is
/// present and wrong, or missing where the dialect requires it, is never accepted, however it
/// was read: errc::checksum_mismatch or errc::missing_checksum. `lenient` tells which reading
/// succeeded, and `strict_error` why the strict one failed.
struct RequestFrame {
  TypedFrame frame;
  bool lenient = false;
  std::optional<DecodeError> strict_error;
};
[[nodiscard]] DecodeResult<RequestFrame> decode_request(std::string_view frame,
                                                        const Dialect& dialect);

/// to_message() followed by encode().
[[nodiscard]] DecodeResult<std::string> encode(const AnyMessage& message,
                                               const Dialect& dialect = {},
                                               EncodeOptions options = {});

}  // namespace sip2
