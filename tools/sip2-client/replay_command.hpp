// The `replay` subcommand: send a recorded trace again and compare every response.
#pragma once

#include <span>
#include <string_view>

namespace sip2_client {

/// Runs `sip2-client replay TRACE ARGS...`; returns the process exit status.
[[nodiscard]] int run_replay(std::span<const std::string_view> args);

}  // namespace sip2_client
