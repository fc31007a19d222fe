// Human rendering of SIP2 messages for a terminal: fields by name, flags and codes spelled out.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "sip2/message.hpp"

namespace sip2_client {

struct PrettyOptions {
  bool color = false;  ///< ANSI colours
};

/// True when stdout is a terminal, `no_color_flag` (--no-color) is false, NO_COLOR is unset and
/// TERM is not "dumb".
bool color_wanted(bool no_color_flag);

/// One line per field, each indented and ending in '\n': fixed fields by name with their meaning
/// ("patron status: card reported lost, recall overdue"), variable fields by code and name
/// ("AF screen message: Welcome"), then the trailer. CO, AC and AD show as "****".
std::string render_fields(const sip2::Message& message, const PrettyOptions& options);

/// ">> 23 patron status request".
std::string render_request(std::string_view command, const PrettyOptions& options);

/// "<< 24 patron status response  (1.234 ms)" followed by render_fields.
std::string render_response(const sip2::Message& message, std::chrono::nanoseconds rtt,
                            const PrettyOptions& options);

/// "== <text>", one line, dim.
std::string render_note(std::string_view text, const PrettyOptions& options);

/// "!! <text>", one line, red.
std::string render_problem(std::string_view text, const PrettyOptions& options);

/// "   <label> <bytes>" with CR, LF and other control bytes escaped (\r, \n, \xNN).
std::string render_wire(std::string_view label, std::string_view bytes,
                        const PrettyOptions& options);

/// "1.234 ms".
std::string format_rtt(std::chrono::nanoseconds rtt);

}  // namespace sip2_client
