// Printing a run: a human table, or one JSON object for scripts.
#pragma once

#include <string>

#include "bench_options.hpp"
#include "load_runner.hpp"

namespace bench {

/// The human table.
[[nodiscard]] std::string format_table(const BenchOptions& options, const RunResult& result);

/// One JSON object on one line. Top-level keys (msgs_per_s, p99_us, errors_total, ...) are
/// unique in the document so a shell script can grep them.
[[nodiscard]] std::string format_json(const BenchOptions& options, const RunResult& result);

}  // namespace bench
