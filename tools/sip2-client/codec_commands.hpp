// The `decode` and `encode` subcommands of sip2-client.
#pragma once

#include <span>
#include <string_view>

namespace sip2_client {

/// sip2-client decode [--lenient] [--charset NAME] [--checksum-basis bytes|code-points] RAW|-
int run_decode(std::span<const std::string_view> args);
/// sip2-client encode [--seq N] [--charset NAME] [--terminator cr|crlf|none] < JSON lines
int run_encode(std::span<const std::string_view> args);

}  // namespace sip2_client
