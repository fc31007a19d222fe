// The session rig: config, runtime and hub built in memory.
#include "session_rig.hpp"

#include <stdexcept>
#include <thread>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/ip/address.hpp>

#include "config/config.hpp"
#include "server/runtime.hpp"
#include "server/session.hpp"

namespace server::test {

namespace {

/// Cheap Argon2id parameters: the tests measure sessions, not hashing. Made once, so a reload
/// of the base config keeps the same hash.
const std::string& kiosk_hash() {
  static const std::string hash = hash_password("kiosk-password", {.memory_kib = 64, .passes = 1});
  return hash;
}

nlohmann::json base_config() {
  return {
      {"version", 1},
      {"listeners", {{{"name", "sip"}, {"listen", "127.0.0.1:0"}}}},
      {"accounts",
       {{{"login", "kiosk1"}, {"password_hash", kiosk_hash()}, {"institution", "MAIN"}}}},
      {"backend",
       {{"folio",
         {{"url", "http://127.0.0.1:9/"},
          {"tenant", "t"},
          {"username", "u"},
          {"password", "p"},
          {"service_point_id", "sp"}}}}},
      {"admin", {{"enabled", false}}},
  };
}

void write_text(const std::filesystem::path& file, const std::string& text) {
  std::FILE* f = std::fopen(file.c_str(), "w");
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
}

std::shared_ptr<const Runtime> runtime_from(nlohmann::json j, const nlohmann::json& profile) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("sip2gw-session-rig-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "profiles");
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(SIP2GW_SOURCE_ROOT) + "/firmware-profiles"))
    if (e.is_regular_file())  // not examples/
      std::filesystem::copy_file(e.path(), dir / "profiles" / e.path().filename(),
                                 std::filesystem::copy_options::overwrite_existing);
  write_text(
      dir / "profiles" / "test-crlf-short.json",
      nlohmann::json{{"schema_version", 1},
                     {"profile_id", "test-crlf-short"},
                     {"extends", {"sip2-baseline"}},
                     {"framing", {{"outbound_terminator", "CRLF"}, {"max_frame_length", 300}}}}
          .dump());
  // The same, chosen by their own match rules: by network at accept, by location at login.
  write_text(dir / "profiles" / "test-crlf-by-network.json",
             nlohmann::json{{"schema_version", 1},
                            {"profile_id", "test-crlf-by-network"},
                            {"extends", {"test-crlf-short"}},
                            {"match", {{"source_cidrs", {"198.51.100.0/24"}}}}}
                 .dump());
  write_text(dir / "profiles" / "test-crlf-by-location.json",
             nlohmann::json{{"schema_version", 1},
                            {"profile_id", "test-crlf-by-location"},
                            {"extends", {"test-crlf-short"}},
                            {"match", {{"location_codes", {"CRLF-BRANCH"}}}}}
                 .dump());
  if (!profile.is_null()) {
    auto file = profile;
    file["schema_version"] = 1;
    file["profile_id"] = "test-profile";
    write_text(dir / "profiles" / "test-profile.json", file.dump());
    j["accounts"][0]["profile"] = "test-profile";
  }
  j["profiles"]["dir"] = (dir / "profiles").string();
  write_text(dir / "gateway.json", j.dump());
  auto loaded = config::load(dir / "gateway.json");
  if (auto* e = std::get_if<config::Errors>(&loaded)) {
    std::filesystem::remove_all(dir);
    throw std::runtime_error("rig config: " + e->front());
  }
  auto built = build_runtime(std::get<config::Config>(std::move(loaded)), nullptr, nullptr);
  std::filesystem::remove_all(dir);
  if (auto* e = std::get_if<std::vector<std::string>>(&built))
    throw std::runtime_error("rig runtime: " + e->front());
  return std::get<std::shared_ptr<const Runtime>>(built);
}

}  // namespace

SessionRig::SessionRig(const std::function<void(nlohmann::json&)>& edit)
    : SessionRig(WithProfile{nullptr}, edit) {}

SessionRig::SessionRig(WithProfile profile, const std::function<void(nlohmann::json&)>& edit)
    : pseudonym_(crypto::SecretBytes(std::vector<std::uint8_t>(32, 0x5a))),
      profile_(std::move(profile.keys)) {
  auto j = base_config();
  if (edit) edit(j);
  hub_ = std::make_unique<Hub>(io_, backend_pool_, crypto_pool_, metrics_, pseudonym_, auth_,
                               runtime_from(j, profile_), clock_);
}

void SessionRig::reload(const std::function<void(nlohmann::json&)>& edit) {
  auto j = base_config();
  if (edit) edit(j);
  hub_->runtime = runtime_from(j, profile_);
  hub_->sessions.reloaded();
  io_.poll();
  io_.restart();
}

SessionRig::~SessionRig() {
  hub_->sessions.stop_all();
  (void)run_until([this] { return running_ == 0; });
  backend_pool_.join();
  crypto_pool_.join();
}

net::MemoryPeer SessionRig::open(const std::string& address) {
  auto [channel, peer] =
      net::make_memory_channel(io_.get_executor(), {asio::ip::make_address(address), 40000});
  ++running_;
  const auto& listener = hub_->runtime->config.listeners.front();
  asio::co_spawn(io_, run_session(*hub_, std::move(channel), listener, next_id_++),
                 [this](const std::exception_ptr&) { --running_; });
  io_.poll();
  io_.restart();
  return peer;
}

bool SessionRig::run_until(const std::function<bool()>& done) {
  const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!done()) {
    if (std::chrono::steady_clock::now() > limit) return false;
    io_.run_for(std::chrono::milliseconds(5));
    io_.restart();
  }
  io_.poll();
  io_.restart();
  return true;
}

void SessionRig::advance(std::chrono::steady_clock::duration d) {
  clock_.advance(d);
  io_.poll();
  io_.restart();
}

std::string SessionRig::exchange(net::MemoryPeer& peer, const std::string& frame) {
  peer.send(frame + "\r");
  std::string got;
  (void)run_until([&] {
    got += peer.receive();
    return got.find('\r') != std::string::npos || peer.closed();
  });
  return got;
}

}  // namespace server::test
