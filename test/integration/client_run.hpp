// Running the real sip2-client binary from integration tests, with its output captured.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace integration {

/// What one run of sip2-client left behind.
struct ClientRun {
  int status = -1;  ///< exit status (124 when it had to be stopped after 60 s)
  std::string out;
  std::string err;
  [[nodiscard]] std::string all() const { return out + err; }
};

/// The sip2-client binary (SIP2_CLIENT, set by meson).
[[nodiscard]] std::string client_binary();

/// Runs `sip2-client ARGS...` in `dir` with `stdin_text` on standard input (not a terminal),
/// stopped after 60 s. `env` entries ("SIP2_PIN=...") are added to its environment.
[[nodiscard]] ClientRun run_client(const std::filesystem::path& dir,
                                   const std::vector<std::string>& args,
                                   const std::string& stdin_text = {},
                                   const std::vector<std::string>& env = {});

/// `s` quoted for /bin/sh.
[[nodiscard]] std::string shell_quote(const std::string& s);

}  // namespace integration
