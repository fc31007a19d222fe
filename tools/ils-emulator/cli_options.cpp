// Command-line parsing for the emulator.
#include "cli_options.hpp"

#include <charconv>

namespace ils_emulator {
namespace {

tl::expected<void, std::string> parse_listen(std::string_view value, CliOptions& out) {
  const auto colon = value.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return tl::unexpected("--listen: expected HOST:PORT, got '" + std::string(value) + "'");
  }
  std::string_view host = value.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const std::string_view port = value.substr(colon + 1);
  int number = -1;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || number < 0 ||
      number > 65535) {
    return tl::unexpected("--listen: port must be 0..65535, got '" + std::string(port) + "'");
  }
  out.host = std::string(host);
  out.port = number;
  return {};
}

}  // namespace

tl::expected<CliOptions, std::string> parse_cli(const std::vector<std::string_view>& args) {
  CliOptions options;
  bool listen_seen = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view name = args[i];
    std::string_view value;
    if (const auto eq = name.find('='); name.starts_with("--") && eq != std::string_view::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return tl::unexpected(std::string(name) + ": missing value");
    }
    if (name == "--data") {
      options.data_file = std::string(value);
    } else if (name == "--listen") {
      if (auto parsed = parse_listen(value, options); !parsed)
        return tl::unexpected(parsed.error());
      listen_seen = true;
    } else if (name == "--tenant") {
      if (value.empty()) return tl::unexpected(std::string("--tenant: must not be empty"));
      options.tenant = std::string(value);
    } else if (name == "--generate-patrons") {
      std::size_t count = 0;
      const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), count);
      if (value.empty() || ec != std::errc{} || end != value.data() + value.size() ||
          count > kMaxGeneratedPatrons) {
        return tl::unexpected("--generate-patrons: must be 0.." +
                              std::to_string(kMaxGeneratedPatrons) + ", got '" +
                              std::string(value) + "'");
      }
      options.generate_patrons = count;
    } else {
      return tl::unexpected(std::string(name) + ": unknown option");
    }
  }
  if (options.data_file.empty()) return tl::unexpected(std::string("--data: required"));
  if (!listen_seen) return tl::unexpected(std::string("--listen: required"));
  return options;
}

}  // namespace ils_emulator
