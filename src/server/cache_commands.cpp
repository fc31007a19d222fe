// The cache commands. Import shows a progress bar on a terminal and plain lines when piped; it
// commits page by page, so an interrupted import (even kill -9) resumes where it stopped.
#include "server/cache_commands.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "crypto/key_ring.hpp"
#include "server/identity_service.hpp"
#include "server/runtime.hpp"
#include "server/store_service.hpp"

namespace server {

namespace {

std::string with_commas(std::size_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3)
    s.insert(static_cast<std::size_t>(i), ",");
  return s;
}

/// Prints progress: a redrawn bar on a terminal, a line every few seconds otherwise.
class ProgressView {
 public:
  explicit ProgressView(std::ostream& out) : out_(out), tty_(::isatty(STDOUT_FILENO) != 0) {}
  void operator()(const identity::Progress& p) {
    const auto now = Clock::now();
    const double secs = std::chrono::duration<double>(now - start_).count();
    const double rate = secs > 0 ? static_cast<double>(p.done) / secs : 0;
    std::string line;
    if (p.total && *p.total > 0) {
      const double frac =
          std::min(1.0, static_cast<double>(p.done) / static_cast<double>(*p.total));
      if (tty_) {
        const int filled = static_cast<int>(frac * 30);
        line = "[" + std::string(static_cast<std::size_t>(filled), '#') +
               std::string(static_cast<std::size_t>(30 - filled), ' ') + "] ";
      }
      char pct[16];
      std::snprintf(pct, sizeof pct, "%3.0f%% ", frac * 100);
      line += pct + with_commas(p.done) + "/" + with_commas(*p.total);
    } else {
      line = with_commas(p.done);
    }
    line += " patrons, " + with_commas(static_cast<std::size_t>(rate)) + "/s";
    if (p.resumed) line += " (resumed)";
    if (tty_) {
      out_ << "\r" << line << "   " << std::flush;
    } else if (now - last_ >= std::chrono::seconds(5)) {
      out_ << line << "\n" << std::flush;
      last_ = now;
    }
  }
  void finish() {
    if (tty_) out_ << "\n";
  }

 private:
  using Clock = std::chrono::steady_clock;
  std::ostream& out_;
  bool tty_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_ = start_;
};

constexpr const char* kUsage =
    "usage: sip2gw cache import|stats|forget [IDENTIFIER|-] [--institution AO] --config FILE\n";

}  // namespace

int run_cache_command(const std::vector<std::string>& words, const config::Config& cfg,
                      std::istream& in, std::ostream& out, std::ostream& err) {
  if (words.empty()) {
    err << kUsage;
    return 2;
  }
  const std::string& what = words[0];
  if (what != "import" && what != "stats" && what != "forget") {
    err << "sip2gw cache: unknown command '" << what << "'\n" << kUsage;
    return 2;
  }
  // Like the gateway's start: an import may be the first thing run on a new machine.
  auto keys = crypto::open_key_file(cfg.security.key_file, cfg.security.legacy_pseudonym_key_file);
  if (!keys) {
    err << "security.key_file: " << keys.error() << "\n";
    return 2;
  }
  auto store = open_store(cfg);
  if (!store) {
    err << store.error() << "\n";
    return 1;
  }
  auto service = IdentityService::open(
      cfg, **store, std::make_shared<const crypto::KeyRing>(std::move(keys->ring)), nullptr);
  if (!service) {
    err << service.error() << "\n";
    return 1;
  }
  auto& cache = (*service)->cache();
  if (what == "stats") {
    auto s = cache.stats();
    if (!s) {
      err << "cannot read the identity cache: " << s.error().message() << "\n";
      return 1;
    }
    out << "records      " << with_commas(s->records) << "\n"
        << "identifiers  " << with_commas(s->identifiers) << "\n"
        << "verifiers    " << with_commas(s->verifiers) << "\n"
        << "lockouts     " << with_commas(s->lockouts) << "\n"
        << "map size     " << with_commas(s->usage.map_size >> 20) << " MiB (max "
        << with_commas(s->usage.max_map_size >> 20) << " MiB)\n"
        << "map used     " << with_commas(s->usage.used_bytes >> 20) << " MiB\n";
    for (const char* name : {"full.pass", "sync.since"})
      if (auto v = cache.meta(name); v && *v) out << name << "    " << **v << "\n";
    if (auto c = cache.meta("full.cursor"); c && *c && !(*c)->empty())
      out << "a full pass or import is unfinished: `sip2gw cache import` resumes it\n";
    return 0;
  }
  const auto& institutions = (*service)->institutions();
  std::string institution = institutions.empty() ? std::string() : institutions.front();
  std::vector<std::string> rest(words.begin() + 1, words.end());
  for (std::size_t i = 0; i < rest.size(); ++i)
    if (rest[i] == "--institution" && i + 1 < rest.size()) {
      institution = rest[i + 1];
      rest.erase(rest.begin() + static_cast<long>(i), rest.begin() + static_cast<long>(i) + 2);
      break;
    }
  if (what == "forget") {
    if (rest.size() != 1) {
      err << kUsage;
      return 2;
    }
    std::string identifier = rest[0];
    if (identifier == "-") {  // from stdin, so it stays out of the shell history
      if (::isatty(STDIN_FILENO) != 0) err << "Patron identifier: " << std::flush;
      std::getline(in, identifier);
    }
    auto r = cache.forget(institution, identifier);
    if (!r) {
      err << "cannot write the identity cache: " << r.error().message() << "\n";
      return 1;
    }
    out << (*r ? "forgotten: the patron's record, identifiers, PIN verifier and lockout are "
                 "deleted\n"
               : "no such patron in the cache\n");
    return 0;
  }
  // import
  auto built = build_runtime(cfg, nullptr, nullptr);
  if (auto* e = std::get_if<std::vector<std::string>>(&built)) {
    for (const auto& line : *e)
      err << line << "\n";
    return 2;
  }
  auto& backend = *std::get<std::shared_ptr<const Runtime>>(built)->backend;
  for (const auto& inst :
       institutions.empty() ? std::vector<std::string>{institution} : institutions) {
    identity::Sync sync(cache, inst, (*service)->sync_options());
    ProgressView view(out);
    const auto start = std::chrono::steady_clock::now();
    auto r = sync.full_pass(backend, [&view](const identity::Progress& p) { view(p); });
    view.finish();
    if (!r) {
      err << "import failed: " << r.error()
          << "\n(pages already read are kept; run the import again to resume)\n";
      return 1;
    }
    const double secs =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    out << "imported " << with_commas(r->listed) << " patrons"
        << (inst.empty() ? "" : " for " + inst) << " in " << static_cast<long>(secs) << " s ("
        << with_commas(static_cast<std::size_t>(secs > 0 ? r->listed / secs : 0)) << "/s)"
        << (r->resumed ? ", resumed" : "") << "; removed " << with_commas(r->removed)
        << " no longer in the library system\n";
  }
  return 0;
}

}  // namespace server
