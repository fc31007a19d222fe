// The real sip2-bench binary against the real sip2-bench --baseline-server on 127.0.0.1:0.
#define BOOST_TEST_MODULE sip2_bench_run
#include <signal.h>

#include <boost/test/unit_test.hpp>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "gateway_stack.hpp"

namespace {

using namespace std::chrono_literals;
using integration::Clock;

constexpr std::string_view kFullMix =
    "patron-pin=2,patron=1,info=1,item=1,checkout-checkin=2,renew=1,status=1";

std::string bench_exe() {
  return boost::unit_test::framework::master_test_suite().argv[1];
}

/// What a finished sip2-bench left: exit status (-1 when it outlived the timeout).
struct Finished {
  int status = -1;
  std::string out;
  std::string err;
};

/// Runs sip2-bench to its end, its stderr kept in `dir`.
Finished run_bench(const integration::TempDir& dir, const std::vector<std::string>& args,
                   std::chrono::milliseconds timeout) {
  static int runs = 0;
  const auto err = dir.path() / ("bench-" + std::to_string(++runs) + ".err");
  integration::ChildProcess bench(bench_exe(), args, err.string());
  Finished f;
  const auto deadline = Clock::now() + timeout;
  while (auto line = bench.read_line(deadline))
    f.out += *line + '\n';
  f.status = bench.wait_exit(deadline).value_or(-1);
  f.err = integration::read_file(err);
  return f;
}

/// A baseline server on 127.0.0.1:0 and the files a run needs.
struct Baseline {
  integration::TempDir dir;
  integration::ChildProcess server{bench_exe(),
                                   {"--baseline-server", "--listen", "127.0.0.1:0"},
                                   (dir.path() / "baseline.err").string()};
  std::string port;

  Baseline() {
    const auto line = server.wait_for_line("sip2-bench baseline listening ", Clock::now() + 10s);
    BOOST_REQUIRE_MESSAGE(line.has_value(), "the baseline server did not report its port");
    port = line->substr(line->rfind(':') + 1);
    integration::write_file(dir.path() / "password", "bench-secret\n");
    integration::write_file(dir.path() / "patrons",
                            "# barcode PIN\n21234000000141 0141\n21234000000158 0158\n");
    integration::write_file(dir.path() / "items",
                            "31234000000180\n31234000000198\n31234000000206\n");
  }

  std::vector<std::string> args(std::vector<std::string> extra) const {
    std::vector<std::string> a{"--port",          port,
                               "--login",         "kiosk1",
                               "--password-file", (dir.path() / "password").string(),
                               "--patrons",       (dir.path() / "patrons").string(),
                               "--items",         (dir.path() / "items").string(),
                               "--json"};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
};

/// Runs sip2-bench and parses its one JSON object.
nlohmann::json run_json(const Baseline& b, const std::vector<std::string>& args) {
  const auto f = run_bench(b.dir, args, 30s);
  BOOST_REQUIRE_MESSAGE(f.status == 0, "sip2-bench exited " << f.status << ": " << f.err);
  auto j = nlohmann::json::parse(f.out, nullptr, false);
  BOOST_REQUIRE_MESSAGE(j.is_object(), "not one JSON object: " << f.out);
  return j;
}

void check_clean_run(const nlohmann::json& j) {
  BOOST_TEST(j["errors_total"].get<int>() == 0, "errors: " << j["errors"].dump());
  BOOST_TEST(j["messages"].get<long>() > 0);
  BOOST_TEST(j["p50_us"].get<double>() <= j["p99_us"].get<double>());
  BOOST_TEST(j["p99_us"].get<double>() <= j["max_us"].get<double>());
}

}  // namespace

BOOST_AUTO_TEST_CASE(closed_loop_run_sends_every_kind_of_the_mix_without_errors) {
  Baseline b;
  const auto j =
      run_json(b, b.args({"--connections", "50", "--mix", std::string(kFullMix), "--warmup", "0.2",
                          "--duration", "2", "--max-messages", "4000"}));
  check_clean_run(j);
  BOOST_TEST(j["connections_established"].get<int>() == 50);
  BOOST_TEST(j["refusals_total"].get<int>() == 0);
  for (const char* kind :
       {"patron-pin", "patron", "info", "item", "checkout", "checkin", "renew", "status"})
    BOOST_TEST(j["kinds"].contains(kind), "kind " << kind << " missing: " << j["kinds"].dump());
}

BOOST_AUTO_TEST_CASE(error_detection_run_verifies_every_reply_checksum) {
  Baseline b;
  const auto j = run_json(
      b, b.args({"--connections", "50", "--mix", std::string(kFullMix), "--error-detection",
                 "--warmup", "0.2", "--duration", "2", "--max-messages", "4000"}));
  check_clean_run(j);
  BOOST_TEST(j["error_detection"].get<bool>());
}

BOOST_AUTO_TEST_CASE(open_loop_run_sends_on_schedule_and_reports_lateness) {
  Baseline b;
  const auto j = run_json(b, b.args({"--connections", "20", "--rate", "2000", "--mix",
                                     "status=1,patron=1", "--warmup", "0.2", "--duration", "1"}));
  check_clean_run(j);
  BOOST_TEST(j["mode"] == "open");
  BOOST_TEST(j["open_loop"].contains("late"));
  BOOST_TEST(j["open_loop"].contains("skipped"));
}

BOOST_AUTO_TEST_CASE(idle_run_reports_server_memory_per_session) {
  Baseline b;
  const auto j =
      run_json(b, b.args({"--connections", "200", "--idle", "--warmup", "0", "--duration", "0.3",
                          "--server-pid", std::to_string(b.server.pid())}));
  BOOST_TEST(j["errors_total"].get<int>() == 0);
  BOOST_TEST(j["connections_established"].get<int>() == 200);
  BOOST_TEST(j["messages"].get<int>() == 0);
  BOOST_TEST(j["rss_start_kib"].is_number());
  BOOST_TEST(j["rss_per_session_bytes"].is_number());
}

BOOST_AUTO_TEST_CASE(random_patrons_from_a_generated_range_run_without_errors) {
  Baseline b;
  const auto j = run_json(
      b, {"--port", b.port, "--connections", "20", "--mix", "patron-pin=19,patron-wrong-pin=1",
          "--generated-patrons", "100000", "--patron-choice", "random", "--warmup", "0.2",
          "--duration", "1", "--max-messages", "4000", "--json"});
  check_clean_run(j);
  BOOST_TEST(j["patrons"].get<int>() == 100000);
  BOOST_TEST(j["patron_choice"] == "random");
  BOOST_TEST(j["kinds"].contains("patron-wrong-pin"), j["kinds"].dump());
}

BOOST_AUTO_TEST_CASE(a_pass_names_every_patron_once_and_ends_when_all_are_answered) {
  Baseline b;
  const auto j = run_json(
      b, {"--port", b.port, "--connections", "20", "--mix", "patron-pin", "--generated-patrons",
          "1000-1499", "--patron-choice", "once", "--warmup", "0", "--duration", "60", "--json"});
  BOOST_TEST(j["errors_total"].get<int>() == 0, j["errors"].dump());
  BOOST_TEST(j["patron_pass"]["patrons"].get<int>() == 500);
  BOOST_TEST(j["patron_pass"]["answered"].get<int>() == 500);
  BOOST_TEST(j["patron_pass"]["complete"].get<bool>());
  BOOST_TEST(j["window_seconds"].get<double>() < 30.0);
}

BOOST_AUTO_TEST_CASE(refuses_a_host_that_is_not_loopback) {
  for (const char* host : {"10.1.2.3", "192.168.0.1", "localhost", "::2"}) {
    const integration::TempDir dir;
    const auto f = run_bench(dir, {"--host", host, "--port", "6001"}, 10s);
    BOOST_TEST(f.status == 2, host << " exited " << f.status);
    BOOST_TEST(f.err.find("loopback") != std::string::npos, f.err);
  }
}

BOOST_AUTO_TEST_CASE(baseline_server_exits_cleanly_on_sigterm) {
  Baseline b;
  BOOST_TEST(b.server.signal(SIGTERM));
  BOOST_TEST(b.server.wait_exit(Clock::now() + 5s).value_or(-1) == 0);
}
