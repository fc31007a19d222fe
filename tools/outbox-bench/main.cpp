// outbox-bench: the durable enqueue rate of the outbox with group commit against one LMDB
// commit per job, in the same run; prints a table, or one JSON line with --json.
#include <charconv>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string_view>

#include "enqueue_run.hpp"

namespace {

constexpr const char* usage =
    "usage: outbox-bench [--jobs N] [--single-jobs M] [--threads K] [--dir PATH]\n"
    "                    [--durability full|no_meta_sync|no_sync] [--json]\n"
    "  N jobs (default 100000) with group commit, then M (default 5000) with one commit per\n"
    "  job, from K threads (default 64), in fresh stores under PATH (default /tmp/outbox-bench)\n";

struct Args {
  std::size_t jobs = 100000;
  std::size_t single_jobs = 5000;
  unsigned threads = 64;
  std::filesystem::path dir = "/tmp/outbox-bench";
  store::Durability durability = store::Durability::full;
  std::string durability_name = "full";
  bool json = false;
};

template <class T>
bool number(std::string_view text, T& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out > 0;
}

bool parse(int argc, char** argv, Args& a) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    const std::string_view value = has_value ? argv[i + 1] : "";
    if (arg == "--json") {
      a.json = true;
      continue;
    }
    if (!has_value) return false;
    ++i;
    if (arg == "--jobs" && number(value, a.jobs)) continue;
    if (arg == "--single-jobs" && number(value, a.single_jobs)) continue;
    if (arg == "--threads" && number(value, a.threads)) continue;
    if (arg == "--dir") {
      a.dir = value;
      continue;
    }
    if (arg == "--durability") {
      a.durability_name = value;
      if (value == "full")
        a.durability = store::Durability::full;
      else if (value == "no_meta_sync")
        a.durability = store::Durability::no_meta_sync;
      else if (value == "no_sync")
        a.durability = store::Durability::no_sync;
      else
        return false;
      continue;
    }
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!parse(argc, argv, a)) {
    std::cerr << usage;
    return 2;
  }
  outbox_bench::RunOptions group{a.dir / "group", a.jobs, a.threads, a.durability};
  outbox_bench::RunOptions single{a.dir / "single", a.single_jobs, a.threads, a.durability, 1, 1};
  auto g = outbox_bench::run_enqueue(group);
  auto s = g ? outbox_bench::run_enqueue(single) : g;
  std::error_code ignored;
  std::filesystem::remove_all(a.dir, ignored);
  if (!g || !s) {
    std::cerr << "outbox-bench: " << (g ? s.error() : g.error()) << '\n';
    return 1;
  }
  const double ratio = s->jobs_per_second() > 0 ? g->jobs_per_second() / s->jobs_per_second() : 0;
  if (a.json) {
    std::cout << nlohmann::json{{"threads", a.threads},
                                {"durability", a.durability_name},
                                {"group_jobs", g->jobs},
                                {"group_jobs_per_s", g->jobs_per_second()},
                                {"group_commits", g->commits},
                                {"group_mean_submit_us", g->mean_latency.count()},
                                {"group_bytes_written_per_job", g->written_bytes / g->jobs},
                                {"group_store_bytes_per_job", g->used_bytes / g->jobs},
                                {"single_jobs", s->jobs},
                                {"single_jobs_per_s", s->jobs_per_second()},
                                {"single_commits", s->commits},
                                {"single_mean_submit_us", s->mean_latency.count()},
                                {"ratio", ratio}}
                     .dump()
              << '\n';
    return 0;
  }
  const auto line = [](const char* label, const outbox_bench::RunResult& r) {
    std::cout << label << ": " << r.jobs << " jobs in " << r.elapsed.count()
              << " s = " << static_cast<long>(r.jobs_per_second()) << " jobs/s, " << r.commits
              << " commits (" << (r.commits ? static_cast<double>(r.jobs) / r.commits : 0)
              << " jobs each), mean submit " << r.mean_latency.count() << " us, "
              << r.written_bytes / r.jobs << " bytes written and " << r.used_bytes / r.jobs
              << " bytes stored per job\n";
  };
  std::cout << "durability " << a.durability_name << ", " << a.threads << " threads\n";
  line("group commit   ", *g);
  line("commit per job ", *s);
  std::cout << "ratio " << ratio << '\n';
  return 0;
}
