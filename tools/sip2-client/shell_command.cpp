// The `shell` subcommand: an interactive staff session on a terminal, or a script of commands.
#include "shell_command.hpp"

#include <unistd.h>

#include <clocale>
#include <fstream>
#include <iostream>

#include "client_session.hpp"
#include "command_table.hpp"
#include "line_editor.hpp"
#include "pretty.hpp"
#include "secret_mask.hpp"

namespace sip2_client {
namespace {

enum ExitStatus : int { kOk = 0, kFailed = 1, kUsage = 2, kLoginRefused = 3 };

int run_interactive(ClientSession& session, const ClientOptions& o) {
  LineEditor::Hooks hooks;
  hooks.idle_after = [&] { return session.until_keepalive(); };
  hooks.on_idle = [&] { return session.keep_alive(); };
  hooks.complete = completions;
  LineEditor editor("sip2-client", hooks, o.history);
  // A kiosk's first request after the login: it names the institution for what follows.
  if (session.logged_in()) session.execute("status");
  std::cout << render_note("type help for the commands, quit or Ctrl-D to leave", session.pretty())
            << std::flush;
  for (;;) {
    const auto& s = session.state();
    std::string prompt = "sip2";
    if (s.login_user) prompt += " " + *s.login_user;
    if (!session.connected()) prompt += " (not connected)";
    auto line = editor.read(prompt + "> ");
    if (!line) {
      std::cout << '\n';
      return kOk;
    }
    editor.remember(line_without_secrets(*line, SecretStyle::mask));
    if (session.execute(*line) == LineStatus::quit) return kOk;
  }
}

int run_script(ClientSession& session, std::istream& in, const std::string& name,
               const ClientOptions& o) {
  int failures = 0;
  int commands = 0;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    if (line.find_first_not_of(" \t") != std::string::npos &&
        line[line.find_first_not_of(" \t")] == '#')
      continue;
    ++commands;
    if (!o.json)
      std::cout << render_note(
          "line " + std::to_string(number) + ": " + line_without_secrets(line, SecretStyle::mask),
          session.pretty());
    switch (session.execute(line)) {
      case LineStatus::ok:
        break;
      case LineStatus::quit:
        return failures ? kFailed : kOk;
      case LineStatus::failed:
        ++failures;
        break;
      case LineStatus::usage:
        std::cerr << "sip2-client: " << name << ":" << number
                  << ": not run: " << line_without_secrets(line, SecretStyle::mask) << '\n';
        return kUsage;
      case LineStatus::login_refused:
        std::cerr << "sip2-client: " << name << ":" << number << ": login refused\n";
        return kLoginRefused;
      case LineStatus::disconnected:
        std::cerr << "sip2-client: " << name << ":" << number
                  << ": no response; the script stops here\n";
        return kFailed;
    }
  }
  std::cerr << "sip2-client: " << name << ": " << commands << " lines, " << failures
            << (failures == 1 ? " failure\n" : " failures\n");
  return failures ? kFailed : kOk;
}

}  // namespace

int run_shell(std::span<const std::string_view> args) {
  auto parsed = parse_client_options(args, Purpose::shell);
  if (!parsed) {
    std::cerr << "sip2-client shell: " << parsed.error()
              << "\n(sip2-client shell --help shows the usage)\n";
    return kUsage;
  }
  ClientOptions& o = *parsed;
  if (o.help) {
    std::cout << usage_text(Purpose::shell);
    return kOk;
  }
  if (auto r = resolve_dialect(o); !r) {
    std::cerr << "sip2-client shell: " << r.error() << '\n';
    return kUsage;
  }
  std::setlocale(LC_CTYPE, "");
  const bool interactive = !o.script && ::isatty(STDIN_FILENO) != 0;
  if (!o.keepalive) o.keepalive = std::chrono::seconds(interactive ? 60 : 0);

  std::ifstream script_file;
  if (o.script) {
    script_file.open(*o.script);
    if (!script_file) {
      std::cerr << "sip2-client shell: --script: cannot read '" << *o.script << "'\n";
      return kUsage;
    }
  }
  SessionIo io{std::cout, std::cerr, {}};
  if (interactive) io.ask_secret = LineEditor::read_hidden;
  ClientSession session(o, io);
  if (const int status = session.start(); status != 0) return status;
  if (interactive) return run_interactive(session, o);
  if (o.script) return run_script(session, script_file, *o.script, o);
  return run_script(session, std::cin, "stdin", o);
}

}  // namespace sip2_client
