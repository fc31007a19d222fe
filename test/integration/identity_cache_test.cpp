// The identity cache through the real gateway and emulator: patrons validated from the cache
// without asking the library system, offline validation with the emulator stopped, a PIN changed
// at the library, the lockout and its persistence, refresh and full pass seeing changes, a kill
// during an import, and the cache commands.
#define BOOST_TEST_MODULE integration_identity_cache
#include <signal.h>

#include <boost/test/unit_test.hpp>
#include <thread>

#include "checks.hpp"
#include "gateway_stack.hpp"
#include "requests.hpp"

namespace integration {
namespace {

using namespace std::chrono_literals;

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

/// FOLIO requests the emulator served on `path` so far.
int served(GatewayStack& stack, const std::string& path) {
  const auto stats = stack.emulator_state("stats");
  if (!stats.is_object() || !stats.contains("paths") || !stats["paths"].contains(path)) return 0;
  return stats["paths"][path].get<int>();
}

/// sip2gw_identity_events_total{event="NAME"} in a metrics page (0 when absent).
double identity_events(const std::string& metrics, const std::string& name) {
  const std::string key = "sip2gw_identity_events_total{event=\"" + name + "\"} ";
  const auto at = metrics.find(key);
  return at == std::string::npos ? 0 : std::stod(metrics.substr(at + key.size()));
}

/// A stack whose cache holds the demo library (its first full pass is done).
struct Imported : GatewayStack {
  explicit Imported(StackOptions o = {}) : GatewayStack(std::move(o)) {
    BOOST_REQUIRE_MESSAGE(wait_for_full_pass(), "no full pass: " << gateway_log());
  }
};

/// PIN memo off, so every PIN check goes to the verifier or the library system.
struct NoMemo : Imported {
  NoMemo() : Imported({[](nlohmann::json& c) { c["identity"]["memo_seconds"] = 0; }, true}) {}
};

/// Three wrong PINs lock validation for six seconds.
struct StrictLockout : Imported {
  StrictLockout()
      : Imported({[](nlohmann::json& c) {
                    c["identity"]["memo_seconds"] = 0;
                    c["identity"]["lockout"] = {
                        {"max_failures", 3}, {"window_seconds", 600}, {"duration_seconds", 6}};
                  },
                  true}) {}
};

/// Incremental refresh every second.
struct FastRefresh : Imported {
  FastRefresh()
      : Imported({[](nlohmann::json& c) { c["identity"]["sync"]["refresh_seconds"] = 1; }, true}) {}
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(cached_patron_status_asks_the_library_system_nothing, Imported) {
  auto kiosk = login();
  // The import lists patrons in bulk; each one's first use reads the rest (automated blocks,
  // counts) in the background, without holding up its answer.
  for (auto patron : {req::kAda, req::kBoris, req::kFarah})
    (void)answer(kiosk.exchange(req::patron_status(patron, "")), "24");
  // Wait (up to 20 s) for those three reads, which show in the metrics, unless the background
  // pass over the records the import listed got to them first (it logs when it is done).
  bool read = false;
  for (int i = 0; i < 200 && !read; ++i) {
    read = identity_events(admin_get("/metrics").second, "fetched") >= 3 ||
           gateway_log().find("identity cache: every record read in full") != std::string::npos;
    if (!read) std::this_thread::sleep_for(100ms);
  }
  BOOST_REQUIRE_MESSAGE(read, "the background reads did not finish within 20 s");
  const int users = served(*this, "/users");
  const int blocks = served(*this, "/manualblocks");
  for (auto patron : {req::kAda, req::kBoris, req::kFarah}) {
    auto a = answer(kiosk.exchange(req::patron_status(patron, "")), "24");
    BOOST_TEST(field(a, "BL") == "Y");
  }
  BOOST_TEST(served(*this, "/users") == users);
  BOOST_TEST(served(*this, "/manualblocks") == blocks);
  // The blocked patron's status comes from the cached blocks.
  auto boris = answer(kiosk.exchange(req::patron_status(req::kBoris, "")), "24");
  BOOST_TEST(fixed(boris, "patron_status").at(0) == 'Y');
  auto farah = answer(kiosk.exchange(req::patron_status(req::kFarah, "")), "24");
  BOOST_TEST(field(farah, "BV") == "9.50");
  // An unknown patron is asked about (and not found).
  auto unknown = answer(kiosk.exchange(req::patron_status(req::kUnknownPatron, "")), "24");
  BOOST_TEST(field(unknown, "BL") == "N");
}

BOOST_FIXTURE_TEST_CASE(offline_validation_accepts_a_cached_verifier_and_refuses_without,
                        Imported) {
  {
    auto kiosk = login();
    auto ok = answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
    BOOST_REQUIRE(field(ok, "CQ") == "Y");  // checked by the library: a verifier is kept
  }
  restart_gateway();  // the in-memory memo is gone: only the verifier on disk remains
  emulator().kill_now();
  auto kiosk = login();
  auto ada = answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
  BOOST_TEST(field(ada, "BL") == "Y");
  BOOST_TEST(field(ada, "CQ") == "Y", screen(ada));
  auto wrong = answer(kiosk.exchange(req::patron_status(req::kAda, "9876")), "24");
  BOOST_TEST(field(wrong, "CQ") == "N");
  // Farah's PIN was never checked: no verifier, and nobody to ask.
  auto farah = answer(kiosk.exchange(req::patron_status(req::kFarah, req::kFarahPin)), "24");
  BOOST_TEST(field(farah, "BL") == "Y");
  BOOST_TEST(field(farah, "CQ") == "N");
  BOOST_TEST(contains(screen(farah), "cannot be checked right now"), screen(farah));
  // Without a PIN the cached status still answers.
  auto plain = answer(kiosk.exchange(req::patron_status(req::kFarah, "")), "24");
  BOOST_TEST(field(plain, "BL") == "Y");
  BOOST_TEST(field(plain, "BV") == "9.50");
}

BOOST_FIXTURE_TEST_CASE(pin_changed_at_the_library_is_verified_through, NoMemo) {
  auto kiosk = login();
  auto first = answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
  BOOST_REQUIRE(field(first, "CQ") == "Y");
  BOOST_REQUIRE_EQUAL(control("patrons/update", {{"barcode", req::kAda}, {"pin", "8642"}}), 200);
  // The old verifier does not match the new PIN: the library system is asked and says yes.
  auto changed = answer(kiosk.exchange(req::patron_status(req::kAda, "8642")), "24");
  BOOST_TEST(field(changed, "CQ") == "Y", screen(changed));
  // The old PIN no longer passes (the library says no).
  auto old_pin = answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
  BOOST_TEST(field(old_pin, "CQ") == "N");
  // Offline, the new verifier holds the new PIN.
  emulator().kill_now();
  auto offline = answer(kiosk.exchange(req::patron_status(req::kAda, "8642")), "24");
  BOOST_TEST(field(offline, "CQ") == "Y", screen(offline));
}

BOOST_FIXTURE_TEST_CASE(lockout_survives_a_restart_and_expires, StrictLockout) {
  {
    auto kiosk = login();
    for (int i = 0; i < 3; ++i) {
      auto wrong = answer(kiosk.exchange(req::patron_status(req::kAda, "0000")), "24");
      BOOST_TEST(field(wrong, "CQ") == "N");
    }
    const int verifies = served(*this, "/patron-pin/verify");
    auto locked = answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
    BOOST_TEST(field(locked, "CQ") == "N");
    BOOST_TEST(contains(screen(locked), "Too many wrong PINs"), screen(locked));
    BOOST_TEST(served(*this, "/patron-pin/verify") == verifies);  // refused without asking
  }
  const auto locked_at = Clock::now();
  restart_gateway();
  auto kiosk = login();
  auto still = answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
  BOOST_TEST(field(still, "CQ") == "N");
  BOOST_TEST(contains(screen(still), "Too many wrong PINs"), screen(still));
  // The lock lasts six seconds from the third failure; wait until surely past it.
  std::this_thread::sleep_until(locked_at + 7s);
  auto open = answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
  BOOST_TEST(field(open, "CQ") == "Y", screen(open));
}

BOOST_FIXTURE_TEST_CASE(incremental_refresh_sees_a_block_and_an_expiry, FastRefresh) {
  auto kiosk = login();
  auto before = answer(kiosk.exchange(req::patron_status(req::kAda, "")), "24");
  BOOST_REQUIRE(fixed(before, "patron_status").at(0) == ' ');
  BOOST_REQUIRE_EQUAL(control("patrons/block", {{"barcode", req::kAda}, {"desc", "Lost card"}}),
                      200);
  BOOST_REQUIRE_EQUAL(control("patrons/update", {{"barcode", req::kFarah},
                                                 {"expirationDate", "2020-01-01T00:00:00Z"}}),
                      200);
  bool blocked = false;
  bool expired = false;
  for (int i = 0; i < 40 && !(blocked && expired); ++i) {  // a refresh runs every second
    std::this_thread::sleep_for(250ms);
    auto a = answer(kiosk.exchange(req::patron_status(req::kAda, "")), "24");
    blocked = fixed(a, "patron_status").at(0) == 'Y';
    auto f = answer(kiosk.exchange(req::patron_status(req::kFarah, "")), "24");
    expired = contains(screen(f), "expired");
  }
  BOOST_TEST(blocked, "the block was not seen within 10 s");
  BOOST_TEST(expired, "the expiry was not seen within 10 s");
}

BOOST_FIXTURE_TEST_CASE(full_pass_removes_a_deleted_patron_and_cache_commands_work, Imported) {
  BOOST_REQUIRE_EQUAL(control("patrons/delete", {{"barcode", req::kIvo}}), 200);
  BOOST_REQUIRE(gateway().signal(SIGTERM));
  BOOST_REQUIRE(gateway().wait_exit(Clock::now() + 10s).has_value());
  const std::vector<std::string> common = {"--config",      config_path().string(),
                                           "--data-dir",    (dir() / "data").string(),
                                           "--backend-url", emulator_url()};
  auto with = [&](std::vector<std::string> words) {
    words.insert(words.end(), common.begin(), common.end());
    return run_sip2gw(dir(), words);
  };
  auto import = with({"cache", "import"});
  BOOST_TEST(import.exit_code == 0, import.err);
  BOOST_TEST(contains(import.out, "imported 59 patrons"), import.out);
  BOOST_TEST(contains(import.out, "removed 1 no longer in the library system"), import.out);
  auto stats = with({"cache", "stats"});
  BOOST_TEST(stats.exit_code == 0, stats.err);
  BOOST_TEST(contains(stats.out, "records      59"), stats.out);
  auto forget = with({"cache", "forget", std::string(req::kAda)});
  BOOST_TEST(forget.exit_code == 0, forget.err);
  BOOST_TEST(contains(forget.out, "forgotten"), forget.out);
  auto gone = with({"cache", "forget", std::string(req::kAda)});
  BOOST_TEST(contains(gone.out, "no such patron"), gone.out);
  auto again = with({"cache", "stats"});
  BOOST_TEST(contains(again.out, "records      58"), again.out);
}

/// No incremental refresh: what changes the cache comes from a full pass.
struct NoRefresh : Imported {
  NoRefresh()
      : Imported({[](nlohmann::json& c) { c["identity"]["sync"]["refresh_seconds"] = 0; }, true}) {}
};

BOOST_FIXTURE_TEST_CASE(a_full_pass_sees_a_block_and_an_expiry, NoRefresh) {
  auto kiosk = login();
  auto before = answer(kiosk.exchange(req::patron_status(req::kAda, "")), "24");
  BOOST_REQUIRE(fixed(before, "patron_status").at(0) == ' ');
  BOOST_REQUIRE_EQUAL(control("patrons/block", {{"barcode", req::kAda}, {"desc", "Lost card"}}),
                      200);
  BOOST_REQUIRE_EQUAL(control("patrons/update", {{"barcode", req::kFarah},
                                                 {"expirationDate", "2020-01-01T00:00:00Z"}}),
                      200);
  // Still served from the cache as it was: nothing refreshes it.
  auto stale = answer(kiosk.exchange(req::patron_status(req::kAda, "")), "24");
  BOOST_TEST(fixed(stale, "patron_status").at(0) == ' ');
  // A full pass from the command line, beside the running gateway (one LMDB store, two
  // processes), brings both changes in.
  auto pass =
      run_sip2gw(dir(), {"cache", "import", "--config", config_path().string(), "--data-dir",
                         (dir() / "data").string(), "--backend-url", emulator_url()});
  BOOST_REQUIRE_MESSAGE(pass.exit_code == 0, pass.err);
  auto blocked = answer(kiosk.exchange(req::patron_status(req::kAda, "")), "24");
  BOOST_TEST(fixed(blocked, "patron_status").at(0) == 'Y',
             "charge privileges denied after the pass");
  auto expired = answer(kiosk.exchange(req::patron_status(req::kFarah, "")), "24");
  BOOST_TEST(contains(screen(expired), "expired"), screen(expired));
}

BOOST_FIXTURE_TEST_CASE(a_key_rotation_reseals_the_cache_and_the_old_key_can_be_retired, NoMemo) {
  const std::vector<std::string> common = {"--config", config_path().string(), "--data-dir",
                                           (dir() / "data").string()};
  auto keys = [&](std::vector<std::string> words) {
    words.insert(words.end(), common.begin(), common.end());
    return run_sip2gw(dir(), words);
  };
  auto kiosk = login();
  // Ada's PIN verified through once: her record and its verifier are sealed with version 1.
  auto first = answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
  BOOST_REQUIRE(field(first, "CQ") == "Y");
  auto rotated = keys({"keys", "rotate"});
  BOOST_REQUIRE_MESSAGE(rotated.exit_code == 0, rotated.err);
  // The running gateway keeps its keys until a restart; then the purge re-seals what version 1
  // sealed, soon after start.
  restart_gateway();
  // The purge's log line ("identity cache: purged ... resealed=N") comes only when it did
  // something, and after the rotation every record needs re-sealing.
  BOOST_REQUIRE_MESSAGE(wait_for_log("identity cache: purged", 60s),
                        "no re-seal after the restart: " << gateway_log());
  BOOST_TEST(!contains(gateway_log(), "resealed=0"), gateway_log());
  auto retired = keys({"keys", "retire", "1"});
  BOOST_REQUIRE_MESSAGE(retired.exit_code == 0, retired.err);
  restart_gateway();
  // With the library system gone, Ada is still validated from the cache, PIN and all: her
  // record and verifier were sealed again with version 2 before version 1 was shredded.
  emulator().kill_now();
  auto again = login();
  auto offline = answer(again.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
  BOOST_TEST(field(offline, "BL") == "Y", screen(offline));
  BOOST_TEST(field(offline, "CQ") == "Y", screen(offline));
}

/// A stack whose gateway is not started: the import runs first, from the command line.
struct NotStarted : GatewayStack {
  NotStarted() : GatewayStack({nullptr, false}) {}
};

BOOST_FIXTURE_TEST_CASE(an_import_killed_midway_resumes_and_the_cache_is_consistent, NotStarted) {
  // Pages of one patron and a slow library system: the import is surely midway when killed.
  config()["identity"]["sync"]["page_size"] = 1;
  write_config();
  BOOST_REQUIRE_EQUAL(control("latency", {{"ms", 150}}), 200);
  const std::vector<std::string> common = {"--config",      config_path().string(),
                                           "--data-dir",    (dir() / "data").string(),
                                           "--backend-url", emulator_url()};
  auto words = [&](std::vector<std::string> w) {
    w.insert(w.end(), common.begin(), common.end());
    return w;
  };
  {
    ChildProcess import(env("SIP2GW"), words({"cache", "import"}), (dir() / "import.log").string());
    BOOST_REQUIRE(import.spawned());
    // A progress line comes after 5 s (piped output); by then some pages are in, not all.
    bool progress = false;
    while (auto line = import.read_line(Clock::now() + 30s))
      if ((progress = contains(*line, "patrons"))) break;
    BOOST_REQUIRE_MESSAGE(progress,
                          "no progress from the import: " << read_file(dir() / "import.log"));
    import.kill_now();  // SIGKILL, mid-page
  }
  BOOST_REQUIRE_EQUAL(control("reset"), 200);
  auto stats = run_sip2gw(dir(), words({"cache", "stats"}));
  BOOST_TEST(contains(stats.out, "unfinished"), stats.out);
  auto resumed = run_sip2gw(dir(), words({"cache", "import"}));
  BOOST_TEST(resumed.exit_code == 0, resumed.err);
  BOOST_TEST(contains(resumed.out, "resumed"), resumed.out);
  auto after = run_sip2gw(dir(), words({"cache", "stats"}));
  BOOST_TEST(contains(after.out, "records      60"), after.out);
  BOOST_TEST(!contains(after.out, "unfinished"), after.out);
  // Every patron is found by the gateway with the library system gone.
  emulator().kill_now();
  start_gateway();
  auto kiosk = login();
  for (auto patron : {req::kAda, req::kBoris, req::kFarah, req::kIvo}) {
    auto a = answer(kiosk.exchange(req::patron_status(patron, "")), "24");
    BOOST_TEST(field(a, "BL") == "Y");
  }
}

}  // namespace integration
