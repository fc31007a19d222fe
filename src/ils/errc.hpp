// Error codes and the failure value every library-system call can return.
#pragma once

#include <string>
#include <system_error>

#include <tl/expected.hpp>

namespace ils {

/// Why a library-system call did not produce a result.
enum class errc {
  not_found = 1,       ///< the patron, item, fee or hold does not exist
  rejected,            ///< the library system refused (policy, block, limit); see message
  unavailable,         ///< connection failed or the library system answered 5xx
  timeout,             ///< the call's deadline passed
  unauthorized,        ///< the gateway's own credentials were refused
  bad_response,        ///< the library system answered something we cannot read
  invalid_identifier,  ///< empty, overlong or control characters in an identifier
  not_supported,       ///< this backend does not offer the operation
  insufficient_time,   ///< a change was not started: too little time was left before the deadline
};

/// The error category of ils::errc ("ils").
[[nodiscard]] const std::error_category& category() noexcept;

/// Wraps an ils::errc into a std::error_code.
[[nodiscard]] std::error_code make_error_code(errc e) noexcept;

/// What a refusal (errc::rejected) means for a caller that replays a change, whatever the
/// library system's own code: the delivery of a replayed job reads back before it trusts these.
enum class Reason {
  unspecified,          ///< any other refusal, or not a refusal
  already_checked_out,  ///< the item is on loan already (to this patron or another)
  already_requested,    ///< the requester already has an open request for this item
};

/// A failed call: the code for logic, the library system's own words for the screen message.
struct Failure {
  std::error_code code;
  std::string message;                  ///< e.g. FOLIO errors[].message; safe for a SIP AF field
  Reason reason = Reason::unspecified;  ///< set for the refusals a replay must recognise
};

/// The result of every backend call.
template <class T>
using Result = tl::expected<T, Failure>;

/// Builds an unexpected Failure with the given code and message.
[[nodiscard]] inline tl::unexpected<Failure> fail(errc e, std::string message = {}) {
  return tl::unexpected<Failure>(Failure{make_error_code(e), std::move(message)});
}

/// Builds an unexpected refusal (errc::rejected) that a replay can recognise by its reason.
[[nodiscard]] inline tl::unexpected<Failure> refuse(Reason reason, std::string message) {
  return tl::unexpected<Failure>(
      Failure{make_error_code(errc::rejected), std::move(message), reason});
}

}  // namespace ils

template <>
struct std::is_error_code_enum<ils::errc> : std::true_type {};
