// `sip2gw profiles list|show|match`: what the firmware profiles of a config amount to, for the
// field engineer who writes a site overlay or wonders why a kiosk behaves as it does.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace server {

/// Runs one profiles command; `words` are the subcommand and its arguments. Exit codes: 0 done,
/// 1 no such profile, 2 usage, config or profile error (each problem on `err` as
/// "firmware-profiles/x.json: json.path: reason").
int run_profiles_command(const std::vector<std::string>& words, const config::Config& cfg,
                         std::ostream& out, std::ostream& err);

}  // namespace server
