// Prints the per-call cost of the hot-path observability calls; a program, not a test.
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <thread>
#include <vector>

#include "obs/log.hpp"
#include "obs/metrics.hpp"
#include "obs/pseudonym.hpp"

namespace {

// Runs body(i) n times on each of `threads` threads; returns wall-clock ns per call per thread.
double ns_per_call(int threads, int n, const std::function<void(int)>& body) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&body, n] {
      for (int i = 0; i < n; ++i)
        body(i);
    });
  }
  for (auto& w : workers)
    w.join();
  const std::chrono::duration<double, std::nano> elapsed = std::chrono::steady_clock::now() - start;
  return elapsed.count() / n;
}

void report(const char* what, double ns) {
  std::printf("%-48s %9.1f ns/call\n", what, ns);
}

}  // namespace

int main() {
  obs::Metrics metrics;
  constexpr int n = 1'000'000;
  const char* outcomes[] = {"ok", "refused", "error", "replayed"};
  metrics.message("11", "ok");
  report("Metrics::message, 1 thread",
         ns_per_call(1, n, [&](int i) { metrics.message("11", outcomes[i & 3]); }));
  report("Metrics::message, 2 threads (contended)",
         ns_per_call(2, n, [&](int i) { metrics.message("11", outcomes[i & 3]); }));
  report("Metrics::latency, 1 thread",
         ns_per_call(1, n, [&](int i) { metrics.latency("23", 0.0001 * (i & 1023)); }));
  report("Metrics::backend_call (long label), 1 thread", ns_per_call(1, n, [&](int) {
           metrics.backend_call("circulation.check-out", "ok", 0.02);
         }));

  const obs::Pseudonymizer pseudonym(crypto::SecretBytes(std::vector<std::uint8_t>(32, 9)));
  report("Pseudonymizer(), 1 thread",
         ns_per_call(1, 100'000, [&](int) { (void)pseudonym("23333000123"); }));

  std::string dir_template =
      (std::filesystem::temp_directory_path() / "sip2gw-bench-XXXXXX").string();
  if (::mkdtemp(dir_template.data()) == nullptr) return 1;
  const std::filesystem::path dir = dir_template;
  for (const auto format : {obs::LogFormat::text, obs::LogFormat::json}) {
    obs::init_logging({format, spdlog::level::info, (dir / "bench.log").string()});
    const auto ns = ns_per_call(1, 100'000, [](int i) {
      obs::log(spdlog::level::info, 12, "12-5", "checkout accepted",
               {{"patron", "p:0123456789abcdef"}, {"i", std::to_string(i)}});
    });
    report(format == obs::LogFormat::text ? "log() text line to file" : "log() json line to file",
           ns);
  }
  report("log() below level (filtered)",
         ns_per_call(1, n, [](int) { obs::log(spdlog::level::debug, 12, "12-5", "dropped"); }));
  obs::flush_logs();
  std::filesystem::remove_all(dir);
  return 0;
}
