// The process-wide log sink: replaced atomically on (re)configuration, shared by all threads.
#include "obs/log.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spdlog/async_logger.h>
#include <spdlog/details/thread_pool.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "obs/log_line.hpp"

namespace obs {
namespace {

/// Lines waiting for the writer thread; when full, the logging thread waits (no line is lost).
constexpr std::size_t kQueueLines = 32768;

/// Forwards to the real sink and counts completed flushes, so flush_logs() can wait for the
/// writer thread to have written everything queued before it.
class FlushCountingSink final : public spdlog::sinks::sink {
 public:
  explicit FlushCountingSink(spdlog::sink_ptr inner) : inner_(std::move(inner)) {}
  void log(const spdlog::details::log_msg& msg) override { inner_->log(msg); }
  void flush() override {
    inner_->flush();
    {
      const std::lock_guard lock(mutex_);
      ++flushes_;
    }
    flushed_.notify_all();
  }
  void set_pattern(const std::string& pattern) override { inner_->set_pattern(pattern); }
  void set_formatter(std::unique_ptr<spdlog::formatter> f) override {
    inner_->set_formatter(std::move(f));
  }
  /// Flushes through `logger` and waits (at most 5 s) until the writer has done it.
  void flush_and_wait(spdlog::logger& logger) {
    std::unique_lock lock(mutex_);
    const auto target = flushes_ + 1;
    lock.unlock();
    logger.flush();
    lock.lock();
    flushed_.wait_for(lock, std::chrono::seconds(5), [&] { return flushes_ >= target; });
  }

 private:
  spdlog::sink_ptr inner_;
  std::mutex mutex_;
  std::condition_variable flushed_;
  std::uint64_t flushes_ = 0;
};

struct Sink {
  std::shared_ptr<spdlog::logger> logger;
  LogFormat format = LogFormat::text;
  std::shared_ptr<spdlog::details::thread_pool> writer;  ///< null for the bootstrap sink
  std::shared_ptr<FlushCountingSink> counted;            ///< null for the bootstrap sink
  /// Writes out everything logged before the call.
  void flush() const {
    if (counted)
      counted->flush_and_wait(*logger);
    else
      logger->flush();
  }
};

/// The first sink, before the config is read: synchronous, each line flushed.
std::shared_ptr<spdlog::logger> make_sync_logger(spdlog::sink_ptr sink,
                                                 spdlog::level::level_enum level) {
  auto logger = std::make_shared<spdlog::logger>("sip2gw", std::move(sink));
  logger->set_pattern("%v");  // lines arrive fully rendered; spdlog only adds the newline
  logger->set_level(level);
  logger->flush_on(spdlog::level::trace);
  return logger;
}

/// The configured sink: lines are formatted on the calling thread and written by one writer
/// thread, so a slow disk never stalls the network thread; errors are flushed at once,
/// everything else at least every second (LogState's flusher) and at exit.
Sink make_async_sink(spdlog::sink_ptr sink, const LogSettings& settings) {
  auto writer = std::make_shared<spdlog::details::thread_pool>(kQueueLines, 1);
  auto counted = std::make_shared<FlushCountingSink>(std::move(sink));
  auto logger = std::make_shared<spdlog::async_logger>("sip2gw", counted, writer,
                                                       spdlog::async_overflow_policy::block);
  logger->set_pattern("%v");
  logger->set_level(settings.level);
  logger->flush_on(spdlog::level::err);
  return {std::move(logger), settings.format, std::move(writer), std::move(counted)};
}

/// Creates the log file 0640 (or narrows an existing one to it): logs carry pseudonyms and
/// addresses, which are for the service and its administrators' group only.
tl::expected<void, std::string> prepare_log_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
  if (fd < 0)
    return tl::make_unexpected("logging.file: cannot open '" + path + "': " + std::strerror(errno));
  struct stat st {};
  const bool ok = ::fstat(fd, &st) == 0 && ((st.st_mode & 0137) == 0 || ::fchmod(fd, 0640) == 0);
  const int saved = errno;
  ::close(fd);
  if (!ok)
    return tl::make_unexpected("logging.file: cannot make '" + path +
                               "' mode 0640: " + std::strerror(saved));
  return {};
}

class LogState {
 public:
  std::shared_ptr<const Sink> current() {
    const std::lock_guard lock(mutex_);
    if (!sink_) {
      auto logger =
          make_sync_logger(std::make_shared<spdlog::sinks::stderr_sink_mt>(), spdlog::level::trace);
      sink_ =
          std::make_shared<const Sink>(Sink{std::move(logger), LogFormat::text, nullptr, nullptr});
    }
    return sink_;
  }

  void replace(std::shared_ptr<const Sink> sink, spdlog::level::level_enum level) {
    std::shared_ptr<const Sink> old;
    {
      const std::lock_guard lock(mutex_);
      old = std::exchange(sink_, std::move(sink));
      level_.store(level, std::memory_order_relaxed);
      if (!flusher_.joinable()) flusher_ = std::thread([this] { flush_every_second(); });
    }
    if (old) old->flush();  // what the old sink holds is written before it goes
  }

  /// Flushes and stops the writer: every line logged so far is on disk when this returns.
  void shutdown() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (flusher_.joinable()) flusher_.join();
    auto bootstrap = std::make_shared<const Sink>(
        Sink{make_sync_logger(std::make_shared<spdlog::sinks::stderr_sink_mt>(), level()),
             LogFormat::text, nullptr, nullptr});
    std::shared_ptr<const Sink> old;
    {
      const std::lock_guard lock(mutex_);
      old = std::exchange(sink_, bootstrap);
    }
    if (old) old->flush();
  }

  [[nodiscard]] spdlog::level::level_enum level() const {
    return level_.load(std::memory_order_relaxed);
  }

 private:
  void flush_every_second() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      wake_.wait_for(lock, std::chrono::seconds(1));
      if (sink_) sink_->logger->flush();  // asynchronous: never waits under the lock
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread flusher_;
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
    if (auto prepared = prepare_log_file(settings.file); !prepared) return prepared;
    try {
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(settings.file, false);
    } catch (const spdlog::spdlog_ex& e) {
      return tl::make_unexpected("logging.file: cannot open '" + settings.file + "': " + e.what());
    }
  }
  auto next = std::make_shared<const Sink>(make_async_sink(std::move(sink), settings));
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
  state().current()->flush();
}

void shutdown_logging() {
  state().shutdown();
}

}  // namespace obs
