// `sip2gw cache import|stats|forget`: the identity cache from the command line; works on a
// stopped gateway's data dir and beside a running one (LMDB is multi-process safe).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace server {

/// Runs one cache command; `words` are the subcommand and its arguments. Exit codes: 0 done,
/// 1 failed, 2 usage or config error.
int run_cache_command(const std::vector<std::string>& words, const config::Config& cfg,
                      std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace server
