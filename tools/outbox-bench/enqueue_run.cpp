// The enqueue run: a store with the outbox's databases, an in-memory key ring, K threads taking
// job numbers from a shared counter and submitting check-outs with distinct keys.
#include "enqueue_run.hpp"

#include <atomic>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "crypto/crypto.hpp"
#include "outbox/ils_json.hpp"
#include "outbox/outbox.hpp"

namespace outbox_bench {
namespace {

/// write_bytes of /proc/self/io: what this process caused to be written to storage.
std::uint64_t written_bytes() {
  std::ifstream io("/proc/self/io");
  std::string name;
  std::uint64_t value = 0;
  while (io >> name >> value)
    if (name == "write_bytes:") return value;
  return 0;
}

std::shared_ptr<const crypto::KeyRing> fresh_keys() {
  auto ring = std::make_shared<crypto::KeyRing>();
  ring->index_key = crypto::random_key();
  ring->pseudonym_key = crypto::random_key();
  ring->sealing[1] = crypto::random_key();
  ring->current = 1;
  return ring;
}

/// A generated barcode: prefix and seven digits (like the emulator's generated patrons).
std::string numbered(const char* prefix, std::size_t n) {
  char out[32];
  std::snprintf(out, sizeof out, "%s%07zu", prefix, n % 10000000);
  return out;
}

outbox::NewJob checkout(std::size_t n) {
  ils::CheckoutRequest q;
  q.patron = {"patron-" + std::to_string(n % 5000), numbered("2123400", n % 5000)};
  q.item_barcode = numbered("3123400", n);
  q.loan_date =
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  outbox::NewJob job;
  job.op = outbox::Op::checkout;
  job.institution = "MAIN";
  job.patron_identifier = q.patron.barcode;
  job.item_identifier = q.item_barcode;
  job.discriminator = std::to_string(n);
  job.args = q;
  return job;
}

}  // namespace

tl::expected<RunResult, std::string> run_enqueue(const RunOptions& options) {
  std::error_code ignored;
  std::filesystem::remove_all(options.dir, ignored);
  store::Options so;
  so.dir = options.dir;
  so.durability = options.durability;
  so.max_batch = options.max_batch;
  so.initial_map_size = std::size_t{256} << 20;
  const std::vector<std::string_view> dbs(outbox::Outbox::databases.begin(),
                                          outbox::Outbox::databases.end());
  auto env = store::Env::open(so, dbs);
  if (!env) return tl::unexpected(env.error());
  outbox::Options journal;
  journal.submit_batch = options.submit_batch;
  outbox::Outbox box(**env, fresh_keys(), journal);

  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> latency_us{0};
  std::mutex failure_mutex;
  std::string failure;
  const auto commits_before = (*env)->usage().commits;
  const auto written_before = written_bytes();
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < std::max(1u, options.threads); ++t)
    threads.emplace_back([&] {
      for (std::size_t n = next++; n < options.jobs; n = next++) {
        const outbox::NewJob job = checkout(n);
        const auto began = std::chrono::steady_clock::now();
        auto s = box.submit(job);
        latency_us +=
            static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                           std::chrono::steady_clock::now() - began)
                                           .count());
        if (!s || !s->created) {
          const std::lock_guard lock(failure_mutex);
          failure = s ? "job " + std::to_string(n) + " was found as a duplicate"
                      : "submit failed: " + s.error().message();
          next = options.jobs;
        }
      }
    });
  for (auto& t : threads)
    t.join();
  RunResult r;
  r.elapsed = std::chrono::steady_clock::now() - start;
  if (!failure.empty()) return tl::unexpected(failure);
  r.jobs = options.jobs;
  r.commits = (*env)->usage().commits - commits_before;
  r.used_bytes = (*env)->usage().used_bytes;
  r.written_bytes = written_bytes() - written_before;
  r.mean_latency = std::chrono::duration<double, std::micro>(
      options.jobs ? static_cast<double>(latency_us.load()) / static_cast<double>(options.jobs)
                   : 0.0);
  return r;
}

}  // namespace outbox_bench
