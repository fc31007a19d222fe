// A spec-valid refusal of any request, of the request's own response type.
#pragma once

#include <chrono>
#include <string>

#include "sip2/typed.hpp"

namespace handlers {

struct Terminal;
struct Services;

/// The response type of `request` with ok/valid flags off, its identifiers echoed and `screen`
/// as AF, dated now in the site's zone as the terminal's dialect asks. Used when a request may
/// not run (not logged in, policy, overload, timeout). For a message that is not a request, a 96
/// is the right answer and the caller sends that instead.
[[nodiscard]] sip2::AnyMessage refusal(const sip2::AnyMessage& request, const std::string& screen,
                                       const Terminal& terminal, const Services& services);

}  // namespace handlers
