// The real sip2-client used interactively, driven through tmux like a person at a terminal,
// against the real gateway and the emulator: hidden password, completion, help, history,
// keep-alive and leaving.
#define BOOST_TEST_MODULE integration_client_interactive
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <thread>

#include "client_run.hpp"
#include "gateway_stack.hpp"

namespace integration {
namespace {

using namespace std::chrono_literals;

/// Output of a shell command.
std::string capture(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    out.append(buffer, n);
  ::pclose(pipe);
  return out;
}

/// A tmux server of our own (its socket in the stack's directory) running sip2-client in a
/// 160x50 window; the client's exit status lands in `exit_file`.
class Terminal {
 public:
  Terminal(const GatewayStack& stack, const std::string& client_args)
      : socket_((stack.dir() / "tmux.sock").string()), exit_file_(stack.dir() / "client.exit") {
    const auto program = "cd " + shell_quote(stack.dir().string()) + " && " +
                         shell_quote(client_binary()) + " " + client_args +
                         "; echo $? > client.exit; sleep 60";
    const int rc =
        std::system((tmux() + " new-session -d -x 160 -y 50 " + shell_quote(program)).c_str());
    BOOST_TEST_REQUIRE(rc == 0, "tmux did not start (is tmux installed?)");
  }
  ~Terminal() { (void)std::system((tmux() + " kill-server 2>/dev/null").c_str()); }
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;

  /// Types `keys` (tmux key names, e.g. "Enter", "Tab", "Up", or literal text with -l).
  void keys(const std::string& k) {
    BOOST_TEST(std::system((tmux() + " send-keys -t 0 " + k).c_str()) == 0);
  }
  void type(const std::string& text) { keys("-l " + shell_quote(text)); }
  void line(const std::string& text) {
    type(text);
    keys("Enter");
  }

  /// The whole screen and its scroll-back, as plain text.
  [[nodiscard]] std::string screen() const {
    return capture(tmux() + " capture-pane -p -J -S -1000 -t 0");
  }
  /// Polls the screen until `text` shows up `times` times; false after 10 s.
  [[nodiscard]] bool shows(std::string_view text, int times = 1) const {
    for (const auto deadline = Clock::now() + 10s; Clock::now() < deadline;) {
      const auto s = screen();
      int seen = 0;
      for (auto at = s.find(text); at != std::string::npos; at = s.find(text, at + 1))
        ++seen;
      if (seen >= times) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }
  /// The client's exit status once it has ended (within 10 s), or -1.
  [[nodiscard]] int exit_status() const {
    for (const auto deadline = Clock::now() + 10s; Clock::now() < deadline;) {
      const auto text = read_file(exit_file_);
      if (!text.empty()) return std::stoi(text);
      std::this_thread::sleep_for(50ms);
    }
    return -1;
  }

 private:
  [[nodiscard]] std::string tmux() const {
    return "TERM=xterm-256color tmux -f /dev/null -S " + shell_quote(socket_);
  }
  std::string socket_;
  std::filesystem::path exit_file_;
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_person_logs_in_completes_commands_and_reads_decoded_answers) {
  GatewayStack stack;
  Terminal t(stack, "--port " + std::to_string(stack.sip_port()) + " --login kiosk1");
  BOOST_TEST_REQUIRE(t.shows("password for kiosk1:"), t.screen());
  t.line("demo-kiosk");
  BOOST_TEST_REQUIRE(t.shows("type help for the commands"), t.screen());
  BOOST_TEST(t.shows("institution is now MAIN"), "the first 99 names the institution");

  t.type("pat");
  t.keys("Tab");
  t.line("21234000000075 7777");
  BOOST_TEST(t.shows("<< 24 patron status response"), t.screen());
  BOOST_TEST(t.shows("BL valid patron: yes"), "fields are named and flags spelled out");

  t.type("info ov");
  t.keys("Tab");
  t.keys("Enter");
  BOOST_TEST(t.shows("<< 64 patron information response"), t.screen());
  BOOST_TEST(t.shows("AT overdue items: 31234000000099"), t.screen());

  t.type("chec");
  t.keys("Tab");
  t.keys("Tab");
  BOOST_TEST(t.shows("checkin  checkout"), "two candidates are listed");
  t.line("out 31234000000016");
  BOOST_TEST(t.shows("<< 12 checkout response"), t.screen());

  t.line("help");
  BOOST_TEST(t.shows("renew-all"), t.screen());

  const auto screen = t.screen();
  BOOST_TEST(screen.find("demo-kiosk") == std::string::npos, "the password was echoed");
  BOOST_TEST(screen.find("7777") != std::string::npos, "the PIN as typed is on the line");
  t.line("quit");
  BOOST_TEST(t.exit_status() == 0);
}

BOOST_AUTO_TEST_CASE(history_recalls_commands_with_the_pin_hidden_and_reuses_it) {
  GatewayStack stack;
  write_file(stack.dir() / "pw", "demo-kiosk");
  Terminal t(stack, "--port " + std::to_string(stack.sip_port()) +
                        " --login kiosk1 --password-file pw --history hist");
  BOOST_TEST_REQUIRE(t.shows("type help for the commands"), t.screen());
  t.line("patron 21234000000075 7777");
  BOOST_TEST_REQUIRE(t.shows("CQ valid patron password: yes"), t.screen());
  t.line("show");
  BOOST_TEST(t.shows("PIN           ****"), t.screen());
  t.keys("Up");
  t.keys("Up");
  BOOST_TEST(t.shows("patron 21234000000075 ****"), t.screen());
  t.keys("Enter");
  BOOST_TEST(t.shows("CQ valid patron password: yes", 2), "the recalled line kept the PIN");
  t.keys("C-d");
  BOOST_TEST(t.exit_status() == 0);
  const auto history = read_file(stack.dir() / "hist");
  BOOST_TEST(history.find("21234000000075") != std::string::npos, history);
  BOOST_TEST(history.find("7777") == std::string::npos, "the PIN was written to the history");
}

/// The gateway closes sessions idle for 3 s.
StackOptions short_idle_timeout() {
  return {[](nlohmann::json& c) { c["limits"]["idle_timeout_seconds"] = 3; }, true};
}

BOOST_AUTO_TEST_CASE(keep_alives_hold_an_idle_session_open) {
  GatewayStack stack(short_idle_timeout());
  write_file(stack.dir() / "pw", "demo-kiosk");
  Terminal t(stack, "--port " + std::to_string(stack.sip_port()) +
                        " --login kiosk1 --password-file pw --keepalive 1");
  BOOST_TEST_REQUIRE(t.shows("type help for the commands"), t.screen());
  // Longer than the gateway's idle timeout: only the keep-alives keep the session.
  BOOST_TEST(stack.wait_for_log("command=99", 10s, 6),
             "too few keep-alive 99s reached the gateway");
  t.line("status");
  BOOST_TEST(t.shows("<< 98 ACS status response", 2), t.screen());
  BOOST_TEST(stack.gateway_log().find("idle_timeout") == std::string::npos, stack.gateway_log());
  t.line("show");
  BOOST_TEST(t.shows("99 after 1 s idle"), t.screen());
  t.line("exit");
  BOOST_TEST(t.exit_status() == 0);
}

BOOST_AUTO_TEST_CASE(a_closed_session_is_reported_and_reconnect_logs_in_again) {
  GatewayStack stack(short_idle_timeout());
  write_file(stack.dir() / "pw", "demo-kiosk");
  Terminal t(stack, "--port " + std::to_string(stack.sip_port()) +
                        " --login kiosk1 --password-file pw --keepalive 0");
  BOOST_TEST_REQUIRE(t.shows("type help for the commands"), t.screen());
  BOOST_TEST_REQUIRE(stack.wait_for_log("idle_timeout", 10s), stack.gateway_log());
  t.line("status");
  BOOST_TEST(t.shows("connection closed; `reconnect` opens it again"), t.screen());
  BOOST_TEST(t.shows("(not connected)>"), "the prompt says so");
  t.line("reconnect");
  BOOST_TEST(t.shows("<< 94 login response", 2), t.screen());
  t.line("status");
  BOOST_TEST(t.shows("<< 98 ACS status response", 2), t.screen());
  t.line("exit");
  BOOST_TEST(t.exit_status() == 0);
}

}  // namespace integration
