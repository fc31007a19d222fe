// The system under test: a real ils-emulator and sip2gw on 127.0.0.1:0 in a fresh temp directory.
#include "gateway_stack.hpp"

#include <signal.h>
#include <stdlib.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <httplib.h>

#include "requests.hpp"

namespace integration {

namespace {

constexpr auto kStartTimeout = std::chrono::seconds(10);

/// "PREFIX... HOST:PORT[ tls]" → PORT.
std::uint16_t port_of(const std::string& line) {
  const auto colon = line.rfind(':');
  if (colon == std::string::npos) return 0;
  return static_cast<std::uint16_t>(std::atoi(line.c_str() + colon + 1));
}

httplib::Client http(std::uint16_t port) {
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(5);
  c.set_read_timeout(10);
  return c;
}

}  // namespace

std::string env(const char* name) {
  const char* v = std::getenv(name);
  BOOST_REQUIRE_MESSAGE(v != nullptr && *v != '\0', name << " is not set (meson sets it)");
  return v;
}

std::filesystem::path source_root() {
  return env("SIP2GW_SOURCE_ROOT");
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "sip2gw-int-XXXXXX").string();
  BOOST_REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

nlohmann::json demo_config() {
  std::ifstream in(source_root() / "config" / "demo.json");
  auto j = nlohmann::json::parse(in, nullptr, false);
  BOOST_REQUIRE_MESSAGE(j.is_object(), "config/demo.json is not a JSON object");
  j["profiles"]["dir"] = (source_root() / "firmware-profiles").string();
  return j;
}

void write_file(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  BOOST_REQUIRE_MESSAGE(out.good(), "cannot write " << path);
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

GatewayStack::GatewayStack(StackOptions options) : config_(demo_config()) {
  if (options.edit_config) options.edit_config(config_);
  emulator_ = std::make_unique<ChildProcess>(
      env("ILS_EMULATOR"),
      std::vector<std::string>{"--data", (source_root() / "config" / "demo-library.json").string(),
                               "--listen", "127.0.0.1:0"},
      (dir() / "emulator.log").string());
  BOOST_REQUIRE_MESSAGE(emulator_->spawned(), "cannot start ils-emulator");
  const auto line =
      emulator_->wait_for_line("ils-emulator listening on http://", Clock::now() + kStartTimeout);
  BOOST_REQUIRE_MESSAGE(line.has_value(),
                        "ils-emulator did not listen: " << read_file(dir() / "emulator.log"));
  emulator_port_ = port_of(*line);
  std::filesystem::create_directories(dir() / "data");
  write_config();
  if (options.start_gateway) start_gateway();
}

GatewayStack::~GatewayStack() = default;

void GatewayStack::write_config() {
  write_file(config_path(), config_.dump(2));
}

CommandRun run_sip2gw(const std::filesystem::path& scratch, const std::vector<std::string>& args,
                      std::chrono::seconds timeout) {
  const auto err = scratch / "sip2gw-command.err";
  std::filesystem::remove(err);
  ChildProcess p(env("SIP2GW"), args, err.string());
  BOOST_REQUIRE(p.spawned());
  CommandRun r;
  const auto deadline = Clock::now() + timeout;
  while (auto line = p.read_line(deadline))
    r.out += *line + "\n";
  const auto code = p.wait_exit(deadline);
  BOOST_REQUIRE_MESSAGE(code.has_value(), "sip2gw did not finish within the timeout");
  r.exit_code = *code;
  r.err = read_file(err);
  return r;
}

void GatewayStack::restart_gateway() {
  BOOST_REQUIRE(gateway_->signal(SIGTERM));
  BOOST_REQUIRE_MESSAGE(gateway_->wait_exit(Clock::now() + std::chrono::seconds(10)).has_value(),
                        "sip2gw did not stop within 10 s of SIGTERM");
  start_gateway();
}

bool GatewayStack::wait_for_full_pass(int n) const {
  return wait_for_log("identity cache: full pass done", std::chrono::seconds(20), n);
}

bool GatewayStack::wait_for_records_read() const {
  return wait_for_log("identity cache: every record read in full", std::chrono::seconds(20));
}

void GatewayStack::start_gateway() {
  gateway_ = std::make_unique<ChildProcess>(
      env("SIP2GW"),
      std::vector<std::string>{"--config", config_path().string(), "--listen", "127.0.0.1:0",
                               "--admin-listen", "127.0.0.1:0", "--backend-url", emulator_url(),
                               "--data-dir", (dir() / "data").string()},
      (dir() / "gateway.log").string());
  BOOST_REQUIRE_MESSAGE(gateway_->spawned(), "cannot start sip2gw");
  const auto deadline = Clock::now() + kStartTimeout;
  sip_ports_.clear();
  first_listener_.clear();
  while (auto line = gateway_->read_line(deadline)) {
    std::istringstream words(*line);
    std::string listening, kind, name;
    words >> listening >> kind;
    if (listening != "listening") continue;
    if (kind == "admin") {
      admin_port_ = port_of(*line);
      return;
    }
    words >> name;
    if (first_listener_.empty()) first_listener_ = name;
    sip_ports_[name] = port_of(*line);
  }
  BOOST_FAIL("sip2gw did not report its listeners; stderr: " << gateway_log());
}

std::uint16_t GatewayStack::sip_port(const std::string& name) const {
  const auto it = sip_ports_.find(name.empty() ? first_listener_ : name);
  BOOST_REQUIRE_MESSAGE(it != sip_ports_.end(), "no SIP listener '" << name << "'");
  return it->second;
}

std::string GatewayStack::emulator_url() const {
  return "http://127.0.0.1:" + std::to_string(emulator_port_);
}

std::string GatewayStack::gateway_log() const {
  return read_file(dir() / "gateway.log");
}

bool GatewayStack::wait_for_log(std::string_view text, std::chrono::milliseconds timeout,
                                int times) const {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const std::string log = gateway_log();
    int seen = 0;
    for (auto pos = log.find(text); pos != std::string::npos; pos = log.find(text, pos + 1))
      ++seen;
    if (seen >= times) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling a file to a deadline
  }
}

int GatewayStack::control(const std::string& what, const nlohmann::json& body) {
  auto c = http(emulator_port_);
  auto res = c.Post(("/_emulator/" + what).c_str(), body.dump(), "application/json");
  return res ? res->status : 0;
}

nlohmann::json GatewayStack::emulator_state(const std::string& what) {
  auto c = http(emulator_port_);
  auto res = c.Get(("/_emulator/" + what).c_str());
  if (!res || res->status != 200) return nullptr;
  return nlohmann::json::parse(res->body, nullptr, false);
}

std::pair<int, std::string> GatewayStack::admin_get(const std::string& path) {
  auto c = http(admin_port_);
  auto res = c.Get(path.c_str());
  if (!res) return {0, {}};
  return {res->status, res->body};
}

std::pair<int, std::string> GatewayStack::admin_get(const std::string& path,
                                                    const std::string& token) {
  auto c = http(admin_port_);
  auto res = c.Get(path.c_str(), {{"Authorization", "Bearer " + token}});
  if (!res) return {0, {}};
  return {res->status, res->body};
}

SipClient GatewayStack::connect(sip2_client::ConnectOptions options, std::uint16_t port) {
  auto c = SipClient::connect(port != 0 ? port : sip_port(), std::move(options));
  BOOST_REQUIRE_MESSAGE(c.has_value(), "cannot connect: " << (c ? "" : c.error()));
  return std::move(*c);
}

SipClient GatewayStack::login(std::string_view user) {
  auto c = connect();
  auto a = c.exchange(req::login(user, req::kTerminalPassword));
  BOOST_REQUIRE_MESSAGE(a.has_value(), "no answer to 93: " << (a ? "" : a.error()));
  BOOST_REQUIRE_EQUAL(a->command, "94");
  BOOST_REQUIRE_MESSAGE(fixed(*a, "ok") == "1", "login as " << user << " refused");
  return c;
}

}  // namespace integration
