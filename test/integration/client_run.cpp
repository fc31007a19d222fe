// Running the real sip2-client binary from integration tests, with its output captured.
#include "client_run.hpp"

#include <sys/wait.h>

#include <cstdlib>

#include "gateway_stack.hpp"

namespace integration {

std::string client_binary() {
  return env("SIP2_CLIENT");
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

ClientRun run_client(const std::filesystem::path& dir, const std::vector<std::string>& args,
                     const std::string& stdin_text, const std::vector<std::string>& env) {
  static int runs = 0;
  const auto base = dir / ("client-run-" + std::to_string(++runs));
  write_file(base.string() + ".in", stdin_text);
  std::string command = "cd " + shell_quote(dir.string()) + " && env";
  for (const auto& e : env)
    command += " " + shell_quote(e);
  command += " timeout 60 " + shell_quote(client_binary());
  for (const auto& a : args)
    command += " " + shell_quote(a);
  command += " <" + shell_quote(base.string() + ".in") + " >" +
             shell_quote(base.string() + ".out") + " 2>" + shell_quote(base.string() + ".err");
  const int raw = std::system(command.c_str());
  ClientRun run;
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
  run.out = read_file(base.string() + ".out");
  run.err = read_file(base.string() + ".err");
  return run;
}

}  // namespace integration
