// The `shell` subcommand: an interactive staff session on a terminal, or a script of commands.
#pragma once

#include <span>
#include <string_view>

namespace sip2_client {

/// Runs `sip2-client shell ARGS...`; returns the process exit status.
[[nodiscard]] int run_shell(std::span<const std::string_view> args);

}  // namespace sip2_client
