// Every firmware profile's conversation (test/data/traces/<profile>/) against the real gateway
// and emulator: the script's expectations hold live (the quirks the profile exists for), and
// the committed trace replays on a fresh gateway with no difference (its requests dated now,
// as the device would send them today). With
// SIP2GW_RECORD_TRACES=1 the traces are recorded again, into the source tree, instead.
#define BOOST_TEST_MODULE integration_profile_traces
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "client_run.hpp"
#include "gateway_stack.hpp"

namespace integration {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPassword = "demo-kiosk";  // the demo accounts' password
/// The demo patrons the conversations use, with their demo PINs.
constexpr const char* kPins =
    "21234000000018 1234\n21234000000026 2222\n21234000000067 6666\n21234000000125 0125\n";
/// Screen texts without dates, so that a replay on another day answers alike.
constexpr const char* kMessages = R"json({
  "checkout.ok": "Checked out: {title}",
  "renew.ok": "Renewed: {title}",
  "offline.checkout": "Checked out (offline)",
  "offline.renew": "Renewed (offline)"
})json";

fs::path traces_dir() {
  return source_root() / "test" / "data" / "traces";
}

std::vector<fs::path> trace_dirs() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(traces_dir()))
    if (e.is_directory()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

/// A fresh emulator and gateway whose `login` account has `profile` bound (and, for a device
/// that speaks before it logs in, every connection from its accept on).
struct ProfileStack : GatewayStack {
  explicit ProfileStack(const nlohmann::json& meta)
      : GatewayStack(StackOptions{[&](nlohmann::json& c) {
                                    const auto profile = meta.at("profile").get<std::string>();
                                    for (auto& account : c["accounts"])
                                      if (account["login"] == meta.at("login"))
                                        account["profile"] = profile;
                                    if (meta.value("bind_at_accept", false))
                                      c["profiles"]["default"] = profile;
                                    c["messages"]["file"] = "messages.json";
                                  },
                                  false}) {
    write_file(dir() / "messages.json", kMessages);
    write_file(dir() / "password", kPassword);
    write_file(dir() / "pins", kPins);
    start_gateway();
  }
};

std::vector<std::string> session_options(const ProfileStack& stack, const nlohmann::json& meta) {
  std::vector<std::string> args{"--port",         std::to_string(stack.sip_port()),
                                "--pin-file",     "pins",
                                "--profile",      meta.at("profile").get<std::string>(),
                                "--profiles-dir", (source_root() / "firmware-profiles").string()};
  // A device that speaks before it logs in has its `login` line in the script (the password
  // then comes from SIP2_PASSWORD).
  if (!meta.value("login_in_script", false))
    args.insert(args.end(),
                {"--login", meta.at("login").get<std::string>(), "--password-file", "password"});
  for (const auto& o : meta.at("client"))
    args.push_back(o.get<std::string>());
  return args;
}

void check_no_secrets(const std::string& text) {
  BOOST_TEST(text.find(kPassword) == std::string::npos, "the password was printed");
  for (const char* pin : {"1234", "2222", "6666", "0125"})
    BOOST_TEST(text.find(std::string("AD") + pin) == std::string::npos, "a PIN was written");
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_profile_has_a_conversation) {
  const auto dirs = trace_dirs();
  std::vector<std::string> have;
  for (const auto& d : dirs)
    have.push_back(d.filename().string());
  for (const auto& e : fs::directory_iterator(source_root() / "firmware-profiles")) {
    if (!e.is_regular_file() || e.path().extension() != ".json" ||
        e.path().filename() == "schema.json")
      continue;
    const auto id = nlohmann::json::parse(read_file(e.path())).at("profile_id").get<std::string>();
    BOOST_TEST((std::find(have.begin(), have.end(), id) != have.end()), id << " has no trace");
  }
  BOOST_TEST((std::find(have.begin(), have.end(), "sip2-baseline") != have.end()));
}

BOOST_AUTO_TEST_CASE(each_conversation_holds_live_and_replays_identically) {
  // SIP2GW_RECORD_TRACES=1 records every trace, =a,b only those profiles'.
  const char* wanted = std::getenv("SIP2GW_RECORD_TRACES");
  const std::string to_record = wanted == nullptr ? "" : "," + std::string(wanted) + ",";
  for (const auto& dir : trace_dirs()) {
    const bool record = to_record == ",1," ||
                        to_record.find("," + dir.filename().string() + ",") != std::string::npos;
    BOOST_TEST_CONTEXT(dir.filename().string()) {
      const auto meta = nlohmann::json::parse(read_file(dir / "trace.json"));
      const auto script = read_file(dir / "session.script");
      BOOST_TEST_REQUIRE(!script.empty());
      {
        ProfileStack live(meta);
        auto args = session_options(live, meta);
        if (record) {
          args.push_back("--record");
          args.push_back((dir / "session.trace").string());
        }
        const auto run =
            run_client(live.dir(), args, script, {std::string("SIP2_PASSWORD=") + kPassword});
        BOOST_TEST(run.status == 0, run.all());
        check_no_secrets(run.all());
      }
      if (record) continue;
      const auto trace = read_file(dir / "session.trace");
      BOOST_TEST_REQUIRE(!trace.empty(), "no session.trace: record it (README.md beside it)");
      check_no_secrets(trace);
      ProfileStack fresh(meta);
      const auto replay =
          run_client(fresh.dir(), {"replay", (dir / "session.trace").string(), "--shift-dates",
                                   "--port", std::to_string(fresh.sip_port()), "--password-file",
                                   "password", "--pin-file", "pins"});
      BOOST_TEST(replay.status == 0, replay.all());
      BOOST_TEST(replay.err.find(" 0 differ") != std::string::npos, replay.err);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_trace_from_days_ago_replays_as_today_only_with_shifted_dates) {
  // The baseline conversation as if recorded three days before its recorded day.
  const auto dir = traces_dir() / "sip2-baseline";
  auto trace = read_file(dir / "session.trace");
  const auto at = trace.find("\"request\":\"11");
  BOOST_TEST_REQUIRE(at != std::string::npos);
  const std::string day = trace.substr(at + 15, 8);  // 11 + two flags, then YYYYMMDD
  const auto earlier =
      std::chrono::year_month_day(std::chrono::sys_days(std::chrono::year_month_day(
                                      std::chrono::year(std::stoi(day.substr(0, 4))),
                                      std::chrono::month(std::stoul(day.substr(4, 2))),
                                      std::chrono::day(std::stoul(day.substr(6, 2))))) -
                                  std::chrono::days(3));
  char text[16];
  std::snprintf(text, sizeof text, "%04d%02u%02u", static_cast<int>(earlier.year()),
                static_cast<unsigned>(earlier.month()), static_cast<unsigned>(earlier.day()));
  for (auto p = trace.find(day); p != std::string::npos; p = trace.find(day, p + 8))
    trace.replace(p, 8, text);
  const auto meta = nlohmann::json::parse(read_file(dir / "trace.json"));
  for (const bool shift : {false, true}) {
    ProfileStack stack(meta);
    write_file(stack.dir() / "old.trace", trace);
    std::vector<std::string> args{
        "replay",          "old.trace", "--port",     std::to_string(stack.sip_port()),
        "--password-file", "password",  "--pin-file", "pins"};
    if (shift) args.push_back("--shift-dates");
    const auto replay = run_client(stack.dir(), args);
    if (shift) {
      BOOST_TEST(replay.status == 0, replay.all());
    } else {
      // Three days old, the check-out is a kiosk's stored transaction: answered offline.
      BOOST_TEST(replay.status == 1, replay.all());
      BOOST_TEST(replay.out.find("Checked out (offline)") != std::string::npos, replay.out);
    }
  }
}

}  // namespace integration
