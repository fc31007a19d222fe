// `sip2gw outbox list|show|retry|drop|report|stats`: the outbox journal for staff; works on a
// stopped gateway's data dir and beside a running gateway (LMDB is multi-process safe, and the
// commands change jobs through outbox::Outbox as the gateway does).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace server {

/// Runs one outbox command; `words` are the subcommand and its arguments (options included).
/// Exit codes: 0 done, 1 refused or failed (no such job, a state that does not allow it, an
/// unreadable journal), 2 usage or config error.
int run_outbox_command(const std::vector<std::string>& words, const config::Config& cfg,
                       std::ostream& out, std::ostream& err);

}  // namespace server
