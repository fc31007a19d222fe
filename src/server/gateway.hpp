// The running gateway: wiring of pools, listeners, admin surface, signals and reload.
#pragma once

#include <filesystem>

#include "config/config.hpp"

namespace server {

/// Runs until SIGTERM/SIGINT (drains, returns 0). Returns 1 when it cannot start (bind, key
/// file) and 2 when the config's files (profiles, messages, TLS) are wrong; says why on stderr.
int run_gateway(const std::filesystem::path& config_file, const config::Overrides& overrides,
                config::Config config);

}  // namespace server
