// sip2-bench: the SIP2 load benchmark and its baseline server; wiring only.
#include <csignal>
#include <iostream>

#include "baseline_server.hpp"
#include "bench_options.hpp"
#include "load_runner.hpp"
#include "process_info.hpp"
#include "report.hpp"

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);
  auto command = bench::parse_command_line(argc, argv);
  if (!command) {
    std::cerr << "sip2-bench: " << command.error() << "\n(sip2-bench --help for usage)\n";
    return 2;
  }
  using Mode = bench::Command::Mode;
  if (command->mode == Mode::help) {
    std::cout << bench::usage();
    return 0;
  }
  if (command->mode == Mode::baseline_server)
    return bench::run_baseline_server(command->listen_host, command->listen_port);

  const auto& options = command->bench;
  if (auto limit = bench::raise_file_limit(options.connections + 64); !limit) {
    std::cerr << "sip2-bench: " << limit.error() << '\n';
    return 2;
  }
  auto result = bench::run_load(options);
  if (!result) {
    std::cerr << "sip2-bench: " << result.error() << '\n';
    return 2;
  }
  std::cout << (options.json ? bench::format_json(options, *result) + "\n"
                             : bench::format_table(options, *result))
            << std::flush;
  // Exit 1 when nothing could be measured at all, so scripts notice a dead server.
  return result->established == 0 ? 1 : 0;
}
