// sip2gw: the command line (run, check-config, hash-password, keys, cache, outbox, profiles);
// wiring only.
#include <termios.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "crypto/key_commands.hpp"
#include "crypto/key_ring.hpp"
#include "server/cache_commands.hpp"
#include "server/gateway.hpp"
#include "server/outbox_commands.hpp"
#include "server/profile_commands.hpp"
#include "server/runtime.hpp"
#include "server/terminal_auth.hpp"

namespace {

constexpr const char* kUsage = R"(usage:
  sip2gw [run] --config FILE [--listen HOST:PORT] [--admin-listen HOST:PORT]
                [--backend-url URL] [--data-dir DIR]
      Runs the gateway. SIGTERM drains and exits 0; SIGHUP reloads config and profiles.
  sip2gw check-config FILE [overrides as above]
      Validates the config (and its profiles, messages and TLS files) without starting;
      prints every problem as "json.path: reason" and exits 2 if there is one.
  sip2gw keys init|rotate|show --config FILE [--data-dir DIR]
  sip2gw keys retire VERSION --config FILE [--data-dir DIR]
      The key file (security.key_file): init creates it (run starts by creating it too);
      rotate adds a sealing version and makes it current; retire deletes a sealing version,
      so records sealed only with it can no longer be opened; show prints versions and
      fingerprints, never keys. Exit 0 done, 1 refused or failed, 2 usage or config error.
  sip2gw cache import|stats --config FILE [--data-dir DIR]
  sip2gw cache forget IDENTIFIER|- [--institution AO] --config FILE [--data-dir DIR]
      The identity cache: import reads every patron from the library system (a progress bar
      on a terminal; resumes an interrupted import); stats counts records, verifiers and
      lockouts; forget deletes one patron (the identifier from stdin with "-").
  sip2gw outbox list [--state STATE] [--op OP] [--after ID] [--limit N] --config FILE
  sip2gw outbox show ID [--reveal] --config FILE
  sip2gw outbox retry ID --config FILE
  sip2gw outbox drop ID --reason TEXT --config FILE
  sip2gw outbox report --csv [--state STATE|all] --config FILE
  sip2gw outbox stats --config FILE
      (each also takes --data-dir DIR) The outbox journal, on a stopped or a running
      gateway's data dir: list prints one line per job (patrons and items as pseudonyms);
      show every field of one job, and with --reveal its request and the library system's
      answer, which hold patron data (identifiers, names); retry queues a job of the
      exceptions queue again (a running gateway attempts it within a minute); drop gives up
      on a queued or exception job; report --csv writes the exceptions queue (or STATE) as
      RFC 4180 CSV; stats counts jobs by state. Exit 0 done, 1 refused or failed (no such
      job, a state that does not allow it), 2 usage or config error.
  sip2gw profiles list --config FILE
  sip2gw profiles show NAME --config FILE
  sip2gw profiles match --port P --addr A [--login L] [--location CP] --config FILE
      The firmware profiles (profiles.dir): list names each with its file and match rules;
      show prints the effective profile, every value with the file it came from (the built-in
      baseline, a vendor profile, a site overlay); match says which profile a kiosk connecting
      to port P from address A (and logging in as L at location CP) gets, and why. Exit 0
      done, 1 no such profile, 2 usage, config or profile error.
  sip2gw hash-password
      Reads a terminal password from stdin and prints its Argon2id hash for "password_hash".
  sip2gw --version | --help
)";

struct Args {
  std::string command = "run";
  std::string config;
  config::Overrides overrides;
  std::vector<std::string> words;  ///< after keys, cache, outbox: the subcommand and the rest
};

std::optional<Args> parse(int argc, char** argv) {
  Args a;
  std::vector<std::string> rest(argv + 1, argv + argc);
  std::size_t i = 0;
  if (i < rest.size() &&
      (rest[i] == "run" || rest[i] == "check-config" || rest[i] == "hash-password" ||
       rest[i] == "keys" || rest[i] == "cache" || rest[i] == "outbox" || rest[i] == "profiles"))
    a.command = rest[i++];
  for (; i < rest.size(); ++i) {
    const std::string& opt = rest[i];
    auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= rest.size()) return std::nullopt;
      return rest[++i];
    };
    std::optional<std::string> v;
    if (opt == "--config")
      v = value(), a.config = v.value_or("");
    else if (opt == "--listen")
      v = value(), a.overrides.listen = v;
    else if (opt == "--admin-listen")
      v = value(), a.overrides.admin_listen = v;
    else if (opt == "--backend-url")
      v = value(), a.overrides.backend_url = v;
    else if (opt == "--data-dir")
      v = value(), a.overrides.data_dir = v;
    else if (a.command == "check-config" && a.config.empty() && opt.rfind("--", 0) != 0) {
      a.config = opt;
      continue;
    } else if ((a.command == "keys" || a.command == "cache") && opt.rfind("--", 0) != 0) {
      a.words.push_back(opt);
      continue;
    } else if (a.command == "outbox" || a.command == "profiles") {  // its own options too
      a.words.push_back(opt);
      continue;
    } else if (a.command == "cache" && opt == "--institution" && i + 1 < rest.size()) {
      a.words.push_back(opt);
      a.words.push_back(rest[++i]);
      continue;
    } else {
      std::cerr << "sip2gw: unknown argument '" << opt << "'\n" << kUsage;
      return std::nullopt;
    }
    if (!v) {
      std::cerr << "sip2gw: " << opt << " needs a value\n";
      return std::nullopt;
    }
  }
  return a;
}

int hash_password() {
  const bool tty = ::isatty(STDIN_FILENO) != 0;
  termios old{};
  if (tty) {
    std::cerr << "Terminal password: " << std::flush;
    ::tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string password;
  std::getline(std::cin, password);
  if (tty) {
    ::tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
  }
  if (password.empty()) {
    std::cerr << "sip2gw: empty password\n";
    return 2;
  }
  std::cout << server::hash_password(password) << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::cout << kUsage;
      return 0;
    }
    if (std::strcmp(argv[i], "--version") == 0) {
      std::cout << "sip2gw " << SIP2GW_VERSION << "\n";
      return 0;
    }
  }
  // A file that may not grow (RLIMIT_FSIZE) must fail the write with EFBIG, which the store
  // reports as a full disk, instead of killing the gateway with SIGXFSZ mid-commit.
  (void)std::signal(SIGXFSZ, SIG_IGN);
  auto args = parse(argc, argv);
  if (!args) return 2;
  if (args->command == "hash-password") return hash_password();
  if (args->config.empty()) {
    std::cerr << "sip2gw: --config FILE is required\n" << kUsage;
    return 2;
  }
  auto loaded = config::load(args->config, args->overrides);
  if (auto* errors = std::get_if<config::Errors>(&loaded)) {
    for (const auto& e : *errors)
      std::cerr << e << "\n";
    return 2;
  }
  auto& cfg = std::get<config::Config>(loaded);
  if (args->command == "cache")
    return server::run_cache_command(args->words, cfg, std::cin, std::cout, std::cerr);
  if (args->command == "outbox")
    return server::run_outbox_command(args->words, cfg, std::cout, std::cerr);
  if (args->command == "profiles")
    return server::run_profiles_command(args->words, cfg, std::cout, std::cerr);
  if (args->command == "keys")
    return crypto::run_keys_command(args->words,
                                    {cfg.security.key_file, cfg.security.legacy_pseudonym_key_file},
                                    std::cout, std::cerr);
  if (args->command == "check-config") {
    std::vector<std::string> problems;
    auto built = server::build_runtime(cfg, nullptr, nullptr);
    if (auto* e = std::get_if<std::vector<std::string>>(&built)) problems = *e;
    if (auto keys =
            crypto::check_key_file(cfg.security.key_file, cfg.security.legacy_pseudonym_key_file);
        !keys)
      problems.push_back("security.key_file: " + keys.error());
    for (const auto& line : problems)
      std::cerr << line << "\n";
    if (!problems.empty()) return 2;
    std::cout << args->config << ": ok (" << cfg.listeners.size() << " listeners, "
              << cfg.accounts.size() << " accounts)\n";
    return 0;
  }
  return server::run_gateway(args->config, args->overrides, std::move(cfg));
}
