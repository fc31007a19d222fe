// The --help texts of sip2-client's connecting subcommands, built from shared option sections.
#include "client_options.hpp"

namespace sip2_client {
namespace {

constexpr std::string_view kSendHead = R"(usage: sip2-client send --port P [OPTIONS] MESSAGE...

Connects to a SIP2 server, sends each MESSAGE in order, and prints each response.
A MESSAGE is a raw SIP2 message without terminator and without AY/AZ, for example
  '9900302.00'   or   '2300020261123    101500AOMAIN|AA1234|'
Inside a MESSAGE, {now} becomes the current SIP date (YYYYMMDD    HHMMSS, local time),
{institution} the --institution value and {location} the --location value.
)";

constexpr std::string_view kShellHead = R"(usage: sip2-client shell --port P [OPTIONS]
       sip2-client --port P [OPTIONS]            (the same)

Opens a SIP2 session and reads commands in plain words: interactively with line editing,
history and tab completion when standard input is a terminal, otherwise as a script from
standard input or --script FILE. Type `help` in the session for the commands, e.g.
  login            status           patron 21234000000018 1234     info charged
  checkout ITEM    checkin ITEM     item ITEM     renew ITEM     raw '9900302.00'
A script may hold `expect` lines that check the last response (`expect ok=Y`,
`expect AF~"blocked"`); the exit status says whether all of them held.
)";

constexpr std::string_view kReplayHead = R"(usage: sip2-client replay TRACE --port P [OPTIONS]

Sends the requests of a trace written by `sip2-client shell --record TRACE` to a SIP2 server
in order, and compares each response with the recorded one: the command, every fixed field
and every variable field, except dates, AY/AZ and the fields named with --ignore. The trace
holds no passwords or PINs: the login password comes from --password-file or SIP2_PASSWORD,
patron PINs from --pin-file or SIP2_PIN.
)";

constexpr std::string_view kConnection = R"(
connection:
  --host H              server name or address (default 127.0.0.1)
  --port P              server port (required)
  --tls                 TLS 1.2; the server certificate and name are verified against the
                        system's CA certificates unless --ca or --insecure is given
  --ca FILE             trust the PEM certificates in FILE: a CA, or the server's own
                        self-signed certificate
  --insecure            TLS without verifying the server at all (explicit; tests only)
  --server-name NAME    name to verify in the certificate and send as SNI (default: --host)
  --timeout SECONDS     limit for connecting and for each response (default 10)
)";

constexpr std::string_view kSession = R"(session:
  --login USER          send a 93 login first (CN USER, CO password, CP --location);
                        a refused login (940) ends with exit status 3
  --password-file FILE  read the login password from the first line of FILE; without it
                        the password comes from the SIP2_PASSWORD environment variable
                        (the shell also asks for it on a terminal). A password is never
                        taken on the command line, and never printed.
  --location CP         location code sent with the login
  --institution AO      institution id of every request (default: the one the server
                        names in its 98, else empty)
)";

constexpr std::string_view kShellSession =
    R"(  --patron BARCODE      the session's patron from the start
  --pin-file FILE       PINs for `patron BARCODE -`: lines `BARCODE PIN`, or one line with
                        the PIN of every patron (else SIP2_PIN, else asked on a terminal)
  --keepalive SECONDS   send a 99 after this many idle seconds (default 60 interactive,
                        0 = never; scripts never idle)
  --script FILE         run the commands in FILE instead of reading standard input
  --record FILE         write the session as a trace for `sip2-client replay`
  --history FILE        keep the interactive history in FILE (default: in memory only);
                        PINs and passwords are never written to it
)";

constexpr std::string_view kWire = R"(wire:
  --profile ID|FILE     the wire conventions of a firmware profile: an id from
                        firmware-profiles/ (see --profiles-dir) or a profile JSON file
  --profiles-dir DIR    where profile ids are looked up (default: ./firmware-profiles, then
                        the installed share/sip2gw/firmware-profiles)
  --error-detection     append AY (sequence 0-9, wrapping) and AZ (checksum) to every message
  --no-error-detection  never append them, whatever the profile says
  --charset NAME        ascii, ibm850 (default, the spec's), iso-8859-1 or utf-8
  --checksum-basis B    bytes (default, the spec's) or code-points (some 3M units)
  --terminator T        cr (default), crlf or lf
  --lenient             decode responses leniently (a bad checksum is shown, not fatal)
output:
  --json                one JSON object per response, as `sip2-client decode` prints it,
                        plus "rtt_ms"
  --show-wire           also print the bytes sent and received, passwords masked
                        (on stderr with --json)
  --no-color            no colours (they are off anyway when stdout is not a terminal,
                        or NO_COLOR is set)
)";

constexpr std::string_view kSendExit = R"(
exit status:
  0  every message got a response that decoded
  1  a response did not decode, or none came in time
  2  usage error
  3  login refused
  4  cannot connect (refused, timed out, TLS verification failed, ...)
)";

constexpr std::string_view kShellExit = R"(
exit status (scripts):
  0  every command got its response and every expectation held
  1  an expectation failed, a response did not decode or none came in time
  2  usage error, or a script line that is not a command
  3  login refused
  4  cannot connect (refused, timed out, TLS verification failed, ...)
)";

constexpr std::string_view kReplayOptions = R"(replay:
  --ignore FIELD        do not compare this field (a two-letter code or a fixed field name,
                        e.g. AF or due_date); may be repeated
  --shift-dates         move every date of the recorded requests by the time since the first
                        one, so the server sees a session happening now (without it the
                        requests keep their recorded dates: the same transactions again)
  --password-file FILE  the password of a recorded login (else SIP2_PASSWORD)
  --pin-file FILE       PINs for recorded requests that carried one: lines `BARCODE PIN`,
                        or one line with the PIN for every patron (else SIP2_PIN)

exit status:
  0  every response matched the recording
  1  a response differed, did not decode, or did not come
  2  usage error or unreadable trace
  4  cannot connect
)";

}  // namespace

std::string usage_text(Purpose purpose) {
  std::string text;
  switch (purpose) {
    case Purpose::send:
      text.append(kSendHead).append(kConnection).append(kSession).append(kWire).append(kSendExit);
      break;
    case Purpose::shell:
      text.append(kShellHead).append(kConnection).append(kSession).append(kShellSession);
      text.append(kWire).append(kShellExit);
      break;
    case Purpose::replay:
      text.append(kReplayHead).append(kConnection).append(kWire).append(kReplayOptions);
      break;
  }
  return text;
}

}  // namespace sip2_client
