// The process-wide log sink: replaced atomically on (re)configuration, shared by all threads.
#include "obs/log.hpp"

#include <spdlog/logger.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "obs/log_line.hpp"

namespace obs {
namespace {

struct Sink {
  std::shared_ptr<spdlog::logger> logger;
  LogFormat format = LogFormat::text;
};

std::shared_ptr<spdlog::logger> make_logger(spdlog::sink_ptr sink,
                                            spdlog::level::level_enum level) {
  auto logger = std::make_shared<spdlog::logger>("sip2gw", std::move(sink));
  // Lines arrive fully rendered; spdlog only adds the newline.
  logger->set_pattern("%v");
  logger->set_level(level);
  // One event, one write: a crash never loses lines sitting in a stdio buffer.
  logger->flush_on(spdlog::level::trace);
  return logger;
}

class LogState {
 public:
  std::shared_ptr<const Sink> current() {
    const std::lock_guard lock(mutex_);
    if (!sink_) {
      auto logger =
          make_logger(std::make_shared<spdlog::sinks::stderr_sink_mt>(), spdlog::level::trace);
      sink_ = std::make_shared<const Sink>(Sink{std::move(logger), LogFormat::text});
    }
    return sink_;
  }

  void replace(std::shared_ptr<const Sink> sink, spdlog::level::level_enum level) {
    const std::lock_guard lock(mutex_);
    sink_ = std::move(sink);
    level_.store(level, std::memory_order_relaxed);
  }

  [[nodiscard]] spdlog::level::level_enum level() const {
    return level_.load(std::memory_order_relaxed);
  }

 private:
  std::mutex mutex_;
  std::shared_ptr<const Sink> sink_;
  std::atomic<spdlog::level::level_enum> level_{spdlog::level::info};
};

// Never destroyed, so threads still logging during static destruction stay safe.
LogState& state() {
  static auto* const instance = new LogState;
  return *instance;
}

}  // namespace

tl::expected<void, std::string> try_init_logging(const LogSettings& settings) {
  spdlog::sink_ptr sink;
  if (settings.file.empty()) {
    sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  } else {
    try {
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(settings.file, false);
    } catch (const spdlog::spdlog_ex& e) {
      return tl::make_unexpected("logging.file: cannot open '" + settings.file + "': " + e.what());
    }
  }
  auto next =
      std::make_shared<const Sink>(Sink{make_logger(sink, settings.level), settings.format});
  state().replace(std::move(next), settings.level);
  return {};
}

void init_logging(const LogSettings& settings) {
  if (auto done = try_init_logging(settings); !done) throw std::runtime_error(done.error());
}

bool should_log(spdlog::level::level_enum lvl) {
  return lvl != spdlog::level::off && lvl >= state().level();
}

void log(spdlog::level::level_enum lvl, std::uint64_t conn, std::string_view req,
         std::string_view msg, std::initializer_list<Kv> kv) {
  if (!should_log(lvl)) return;
  const auto sink = state().current();
  const LogEvent event{std::chrono::system_clock::now(), lvl, conn, req, msg, kv};
  const auto line = format_log_line(sink->format, event);
  sink->logger->log(lvl, spdlog::string_view_t(line.data(), line.size()));
}

void flush_logs() {
  state().current()->logger->flush();
}

}  // namespace obs
