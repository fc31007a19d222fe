// The emulator's command line: `--data FILE --listen HOST:PORT [--tenant NAME]
// [--generate-patrons N]`.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

namespace ils_emulator {

/// Parsed command-line options.
struct CliOptions {
  std::string data_file;             ///< --data: the seed JSON
  std::string host;                  ///< --listen host part
  int port = 0;                      ///< --listen port part; 0 picks a free port
  std::string tenant = "diku";       ///< --tenant: the X-Okapi-Tenant accepted
  std::size_t generate_patrons = 0;  ///< --generate-patrons: synthetic patrons to add
};

/// The most patrons --generate-patrons accepts.
inline constexpr std::size_t kMaxGeneratedPatrons = 10'000'000;

/// One line of usage text.
inline constexpr std::string_view kUsage =
    "usage: ils-emulator --data FILE --listen HOST:PORT [--tenant NAME] [--generate-patrons N]";

/// Parses the arguments after the program name; errors are one line of text.
[[nodiscard]] tl::expected<CliOptions, std::string> parse_cli(
    const std::vector<std::string_view>& args);

}  // namespace ils_emulator
