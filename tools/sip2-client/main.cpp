// sip2-client: the staff SIP2 test client (subcommand dispatch only).
#include <iostream>
#include <string_view>
#include <vector>

#include "codec_commands.hpp"
#include "send_command.hpp"

namespace {

constexpr std::string_view kUsage = R"(usage: sip2-client COMMAND [OPTIONS]

commands:
  decode [--lenient] [--charset NAME] [--checksum-basis bytes|code-points] RAW|-
        decode SIP2 messages (RAW without terminator; - reads one per line from stdin)
        and print one JSON object per message
  encode [--seq N] [--charset NAME] [--terminator cr|crlf|none]
        read JSON objects (one per line, as decode prints them) and write the wire form;
        --seq appends the AY sequence digit and the AZ checksum
  send --port P [--host H] [--tls [--ca FILE | --insecure]] [--login USER] [--json] ... MESSAGE...
        connect to a SIP2 server over TCP or TLS, send each raw MESSAGE (no terminator, no
        AY/AZ) and print each response; `sip2-client send --help` lists every option
  help  this text
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::span<const std::string_view> rest(args.data() + 1, args.size() - 1);
  if (args[0] == "decode") return sip2_client::run_decode(rest);
  if (args[0] == "encode") return sip2_client::run_encode(rest);
  if (args[0] == "send") return sip2_client::run_send(rest);
  std::cerr << "sip2-client: unknown command '" << args[0] << "'\n" << kUsage;
  return 2;
}
