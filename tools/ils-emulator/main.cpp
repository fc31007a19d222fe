// ils-emulator: a stateful FOLIO/Okapi stand-in for tests and demos (wiring only).
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <string_view>
#include <thread>
#include <vector>

#include "cli_options.hpp"
#include "emulator_server.hpp"
#include "seed_loader.hpp"

namespace {

int usage_error(const std::string& message) {
  std::fprintf(stderr, "ils-emulator: %s\n%s\n", message.c_str(),
               std::string(ils_emulator::kUsage).c_str());
  return 2;
}

std::string url_host(const std::string& host) {
  return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  const auto options = ils_emulator::parse_cli(args);
  if (!options) return usage_error(options.error());
  const auto seed = ils_emulator::read_seed_file(options->data_file);
  if (!seed) {
    std::fprintf(stderr, "%s\n", seed.error().c_str());
    return 2;
  }
  auto library = ils_emulator::Library::from_seed(*seed);
  if (!library) {
    std::fprintf(stderr, "%s\n", library.error().c_str());
    return 2;
  }

  if (options->generate_patrons > 0) {
    const long long ms = (*library)->generate_patrons(options->generate_patrons);
    std::fprintf(stderr, "ils-emulator: generated %zu patrons in %lld ms\n",
                 options->generate_patrons, ms);
  }

  // A lost answer is written to a connection already shut down; that must not kill the process.
  signal(SIGPIPE, SIG_IGN);
  // Signals are taken by one thread with sigwait, so stop() never runs in a signal handler.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  ils_emulator::EmulatorServer server(std::move(*library), options->tenant);
  const auto port = server.bind(options->host, options->port);
  if (!port) {
    std::fprintf(stderr, "ils-emulator: %s\n", port.error().c_str());
    return 1;
  }
  std::printf("ils-emulator listening on http://%s:%d\n", url_host(options->host).c_str(), *port);
  std::fflush(stdout);

  std::thread signal_thread([&server, &signals] {
    int received = 0;
    sigwait(&signals, &received);
    server.stop();
  });
  const bool served = server.run();
  // When run() ended by itself, release the signal thread with a signal of our own.
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  return served ? 0 : 1;
}
