// `sip2-bench --baseline-server`: the minimal SIP2 responder sip2gw is measured against.
#pragma once

#include <cstdint>
#include <string>

namespace bench {

/// Listens on host:port (port 0: the kernel picks), prints
/// "sip2-bench baseline listening HOST:PORT" on stdout once ready, and answers every request
/// with CannedResponder on one io thread (as the gateway runs its sessions) until SIGINT or
/// SIGTERM. Returns the exit status.
int run_baseline_server(const std::string& host, std::uint16_t port);

}  // namespace bench
