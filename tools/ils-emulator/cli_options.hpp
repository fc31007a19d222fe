// The emulator's command line: `--data FILE --listen HOST:PORT [--tenant NAME]`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace ils_emulator {

/// Parsed command-line options.
struct CliOptions {
  std::string data_file;        ///< --data: the seed JSON
  std::string host;             ///< --listen host part
  int port = 0;                 ///< --listen port part; 0 picks a free port
  std::string tenant = "diku";  ///< --tenant: the X-Okapi-Tenant accepted
};

/// One line of usage text.
inline constexpr std::string_view kUsage =
    "usage: ils-emulator --data FILE --listen HOST:PORT [--tenant NAME]";

/// Parses the arguments after the program name; errors are one line of text.
[[nodiscard]] tl::expected<CliOptions, std::string> parse_cli(
    const std::vector<std::string_view>& args);

}  // namespace ils_emulator
