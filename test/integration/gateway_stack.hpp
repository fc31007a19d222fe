// The system under test: a real ils-emulator and sip2gw on 127.0.0.1:0 in a fresh temp directory.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "sip_client.hpp"

namespace integration {

/// The value of an environment variable set by meson (SIP2GW, ILS_EMULATOR, SIP2GW_SOURCE_ROOT).
[[nodiscard]] std::string env(const char* name);
/// The repository root (for config/ and firmware-profiles/).
[[nodiscard]] std::filesystem::path source_root();

/// A directory under /tmp removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// config/demo.json with the profiles directory made absolute (the copy lives elsewhere).
[[nodiscard]] nlohmann::json demo_config();
/// Writes `text` to `path`.
void write_file(const std::filesystem::path& path, std::string_view text);
/// The whole file, or "" when it cannot be read.
[[nodiscard]] std::string read_file(const std::filesystem::path& path);

/// What one run of a sip2gw command left behind.
struct CommandRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};
/// Runs `sip2gw args...` to its end (a test failure after `timeout`); stderr goes through a file
/// in `scratch`.
[[nodiscard]] CommandRun run_sip2gw(const std::filesystem::path& scratch,
                                    const std::vector<std::string>& args,
                                    std::chrono::seconds timeout = std::chrono::seconds(60));

struct StackOptions {
  std::function<void(nlohmann::json&)> edit_config;  ///< applied to demo_config() before start
  bool start_gateway = true;
};

/// An emulator seeded with config/demo-library.json and a gateway using a copy of
/// config/demo.json; both are killed when the stack goes. Failures to start are test failures.
class GatewayStack {
 public:
  explicit GatewayStack(StackOptions options = {});
  ~GatewayStack();
  GatewayStack(const GatewayStack&) = delete;
  GatewayStack& operator=(const GatewayStack&) = delete;

  [[nodiscard]] const std::filesystem::path& dir() const { return dir_.path(); }
  /// The gateway's config as written to config_path(); edit it and call write_config().
  [[nodiscard]] nlohmann::json& config() { return config_; }
  [[nodiscard]] std::filesystem::path config_path() const { return dir() / "gateway.json"; }
  void write_config();

  /// Starts sip2gw and reads its "listening" lines (within 10 s).
  void start_gateway();
  /// SIGTERM, wait for the exit (10 s), start again on the same data dir.
  void restart_gateway();
  /// Waits (up to 20 s) until the gateway's log (appended across restarts) tells of `n`
  /// finished full passes of the identity cache (the first runs at start: the demo import).
  [[nodiscard]] bool wait_for_full_pass(int n = 1) const;
  /// Waits until the identity cache has read in full every record a full pass left partial
  /// (the background reads that follow an import; `identity.sync.complete_per_second` paces
  /// them, so a test that waits for them raises it).
  [[nodiscard]] bool wait_for_records_read() const;
  [[nodiscard]] ChildProcess& gateway() { return *gateway_; }
  [[nodiscard]] ChildProcess& emulator() { return *emulator_; }
  /// The port of the first SIP listener, or of the one called `name`.
  [[nodiscard]] std::uint16_t sip_port(const std::string& name = {}) const;
  [[nodiscard]] std::uint16_t admin_port() const { return admin_port_; }
  [[nodiscard]] std::string emulator_url() const;

  /// The gateway's stderr so far.
  [[nodiscard]] std::string gateway_log() const;
  /// Polls the gateway's stderr until it holds `text` `times` times; false at the timeout.
  [[nodiscard]] bool wait_for_log(std::string_view text, std::chrono::milliseconds timeout,
                                  int times = 1) const;

  /// POST /_emulator/<what> with a JSON body; the HTTP status (0 when unreachable).
  int control(const std::string& what, const nlohmann::json& body = nlohmann::json::object());
  /// GET /_emulator/<what> as JSON (null when unreachable).
  [[nodiscard]] nlohmann::json emulator_state(const std::string& what);
  /// GET on the admin endpoint: (status, body); status 0 when unreachable.
  [[nodiscard]] std::pair<int, std::string> admin_get(const std::string& path);
  /// The same with "Authorization: Bearer TOKEN".
  [[nodiscard]] std::pair<int, std::string> admin_get(const std::string& path,
                                                      const std::string& token);

  /// A connected kiosk on the first listener (or `port`).
  [[nodiscard]] SipClient connect(sip2_client::ConnectOptions options = {}, std::uint16_t port = 0);
  /// A connected kiosk logged in as `user` / demo-kiosk (a 941 is required).
  [[nodiscard]] SipClient login(std::string_view user = "kiosk1");

 private:
  TempDir dir_;
  nlohmann::json config_;
  std::unique_ptr<ChildProcess> emulator_;
  std::uint16_t emulator_port_ = 0;
  std::unique_ptr<ChildProcess> gateway_;
  std::map<std::string, std::uint16_t> sip_ports_;
  std::string first_listener_;
  std::uint16_t admin_port_ = 0;
};

}  // namespace integration
