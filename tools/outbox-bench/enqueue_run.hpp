// One measured run of the outbox's durable enqueue: N new jobs submitted from K threads into a
// fresh store, each submit returning once its job is committed.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include <tl/expected.hpp>

#include "outbox/options.hpp"
#include "store/store.hpp"

namespace outbox_bench {

struct RunOptions {
  std::filesystem::path dir;  ///< a fresh directory for this run's store
  std::size_t jobs = 100000;
  unsigned threads = 64;
  store::Durability durability = store::Durability::full;
  /// Group commit: the store's writer commits up to this many write jobs at once, and the
  /// outbox journals up to submit_batch waiting submissions per write job. Both 1: one LMDB
  /// commit per job.
  std::size_t max_batch = 1024;
  std::size_t submit_batch = outbox::Options{}.submit_batch;
};

struct RunResult {
  std::size_t jobs = 0;
  std::chrono::duration<double> elapsed{};
  std::uint64_t commits = 0;
  std::chrono::duration<double, std::micro> mean_latency{};  ///< of one submit
  std::size_t used_bytes = 0;       ///< pages in use in the store at the end
  std::uint64_t written_bytes = 0;  ///< what the process wrote to storage meanwhile (Linux)
  [[nodiscard]] double jobs_per_second() const {
    return elapsed.count() > 0 ? static_cast<double>(jobs) / elapsed.count() : 0;
  }
};

/// Runs the enqueue; an error names what failed (opening the store, a submit).
[[nodiscard]] tl::expected<RunResult, std::string> run_enqueue(const RunOptions& options);

}  // namespace outbox_bench
