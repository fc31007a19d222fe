// Benchmark (prints numbers, asserts nothing): lists every patron of an emulator with N
// generated patrons through FolioBackend::list_patrons.
//   folio_listing_bench EMULATOR SEED [N=1000000] [LIMIT=1000]
#include <chrono>
#include <cstdio>
#include <string>

#include "emulator_process.hpp"
#include "ils/folio/folio_backend.hpp"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s EMULATOR SEED [N] [LIMIT]\n", argv[0]);
    return 2;
  }
  const std::string n = argc > 3 ? argv[3] : "1000000";
  const std::size_t limit = argc > 4 ? std::stoul(argv[4]) : 1000;
  const auto started = std::chrono::steady_clock::now();
  emulator::Process process(argv[1], argv[2], {"--generate-patrons", n});
  if (process.url().empty()) return 1;
  const auto up = std::chrono::steady_clock::now();
  ils::folio::FolioConfig config;
  config.base_url = process.url();
  config.tenant = "diku";
  config.username = "sip2gw";
  config.password = "gateway-secret";
  auto backend = ils::folio::make_backend(config);

  ils::PatronPageRequest request{"", limit, std::nullopt};
  std::size_t patrons = 0, pages = 0, blocked = 0, owing = 0;
  for (;;) {
    const ils::CallContext ctx{"bench",
                               std::chrono::steady_clock::now() + std::chrono::seconds(60)};
    auto page = backend->list_patrons(ctx, request);
    if (!page) {
      std::fprintf(stderr, "page %zu: %s\n", pages + 1, page.error().message.c_str());
      return 1;
    }
    ++pages;
    patrons += page->patrons.size();
    for (const auto& s : page->summaries) {
      blocked += s.blocks.empty() ? 0 : 1;
      owing += s.fee_balance > 0 ? 1 : 0;
    }
    if (page->next_cursor.empty()) break;
    request.cursor = page->next_cursor;
  }
  const auto done = std::chrono::steady_clock::now();
  const auto secs = [](auto d) { return std::chrono::duration<double>(d).count(); };
  std::printf("emulator start (generation included): %.2f s\n", secs(up - started));
  std::printf("listed %zu patrons in %zu pages of %zu: %.2f s (%.0f patrons/s)\n", patrons, pages,
              limit, secs(done - up), double(patrons) / secs(done - up));
  std::printf("with a manual block: %zu, with open fees: %zu\n", blocked, owing);
  return 0;
}
