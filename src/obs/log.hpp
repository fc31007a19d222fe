// Structured logging: one line per event, text or JSON, with connection and request ids.
#pragma once

#include <spdlog/common.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace obs {

enum class LogFormat { text, json };

/// Where and how log lines go; the defaults are text lines at info level on stderr.
struct LogSettings {
  LogFormat format = LogFormat::text;
  spdlog::level::level_enum level = spdlog::level::info;
  std::string file;  ///< empty: stderr
};

/// One extra field of a log line. Values are text; never put a PIN or raw patron id here.
struct Kv {
  std::string_view key;
  std::string value;
};

/// Replaces sink, format and level; on failure the previous configuration stays in place.
[[nodiscard]] tl::expected<void, std::string> try_init_logging(const LogSettings& settings);

/// try_init_logging that throws std::runtime_error("logging.file: cannot open ...") on failure.
void init_logging(const LogSettings& settings);

/// True when a line at `lvl` would be written, to skip building expensive fields.
[[nodiscard]] bool should_log(spdlog::level::level_enum lvl);

/// Writes one line; conn 0 and an empty req are left out. Thread-safe, never throws on content.
void log(spdlog::level::level_enum lvl, std::uint64_t conn, std::string_view req,
         std::string_view msg, std::initializer_list<Kv> kv = {});

/// Writes out every line logged before the call (waits for the writer thread).
void flush_logs();

/// Writes every line logged so far and stops the writer thread; later lines go to stderr
/// synchronously. Call once at exit.
void shutdown_logging();

}  // namespace obs
