// sip2-client: the staff SIP2 test client (subcommand dispatch only).
#include <iostream>
#include <string_view>
#include <vector>

#include "codec_commands.hpp"
#include "replay_command.hpp"
#include "send_command.hpp"
#include "shell_command.hpp"

namespace {

constexpr std::string_view kUsage = R"(usage: sip2-client COMMAND [OPTIONS]

commands:
  shell --port P [--login USER] [--tls ...] [--script FILE] [--record TRACE] ...
        open a SIP2 session: interactive (line editing, history, tab completion, `help`)
        on a terminal, otherwise the commands of a script with `expect` checks;
        `sip2-client --port P ...` is the same
  send --port P [--login USER] [--json] ... MESSAGE...
        send each raw MESSAGE (no terminator, no AY/AZ) and print each response
  replay TRACE --port P ...
        send a trace written by `shell --record` again and compare every response
  decode [--lenient] [--charset NAME] [--checksum-basis bytes|code-points] RAW|-
        decode SIP2 messages (RAW without terminator; - reads one per line from stdin)
        and print one JSON object per message
  encode [--seq N] [--charset NAME] [--terminator cr|crlf|none]
        read JSON objects (one per line, as decode prints them) and write the wire form;
        --seq appends the AY sequence digit and the AZ checksum
  help  this text; `sip2-client COMMAND --help` details one command; man sip2-client
  --version
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "sip2-client " << SIP2GW_VERSION << '\n';
    return 0;
  }
  if (args[0].starts_with("--")) return sip2_client::run_shell(args);
  const std::span<const std::string_view> rest(args.data() + 1, args.size() - 1);
  if (args[0] == "decode") return sip2_client::run_decode(rest);
  if (args[0] == "encode") return sip2_client::run_encode(rest);
  if (args[0] == "send") return sip2_client::run_send(rest);
  if (args[0] == "shell") return sip2_client::run_shell(rest);
  if (args[0] == "replay") return sip2_client::run_replay(rest);
  std::cerr << "sip2-client: unknown command '" << args[0] << "'\n" << kUsage;
  return 2;
}
