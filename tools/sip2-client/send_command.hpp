// The `send` subcommand: connect to a SIP2 server, exchange messages, print the responses.
#pragma once

#include <span>
#include <string_view>

namespace sip2_client {

/// sip2-client send --port P [OPTIONS] MESSAGE... (see kSendUsage). Exit status: 0 all answered
/// and decoded, 1 a response did not decode or none came, 2 usage, 3 login refused, 4 no
/// connection.
int run_send(std::span<const std::string_view> args);

}  // namespace sip2_client
