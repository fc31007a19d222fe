// A child process for integration tests: posix_spawn, stdout through a pipe, stderr to a file.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace integration {

using Clock = std::chrono::steady_clock;

/// One running program; killed (SIGKILL) and reaped on destruction if still running.
class ChildProcess {
 public:
  /// Starts `exe args...` with stdout on a pipe and stderr appended to `stderr_file`.
  /// `spawned()` says whether it started.
  ChildProcess(const std::string& exe, const std::vector<std::string>& args,
               const std::string& stderr_file);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  [[nodiscard]] bool spawned() const { return pid_ > 0 || exit_code_.has_value(); }
  [[nodiscard]] pid_t pid() const { return pid_; }

  /// The next stdout line (newline removed), or nullopt at the deadline or end of output.
  [[nodiscard]] std::optional<std::string> read_line(Clock::time_point deadline);
  /// Reads stdout lines until one starts with `prefix`; returns it, or nullopt.
  [[nodiscard]] std::optional<std::string> wait_for_line(std::string_view prefix,
                                                         Clock::time_point deadline);

  /// Sends a signal while the process runs; false when it already ended.
  bool signal(int signo);
  /// True while the process has not exited (reaps it when it has).
  [[nodiscard]] bool running();
  /// The exit status once the process has exited by the deadline (128 + signal when killed).
  [[nodiscard]] std::optional<int> wait_exit(Clock::time_point deadline);
  /// SIGKILL and reap.
  void kill_now();

 private:
  void reap(int status);

  pid_t pid_ = -1;
  int out_ = -1;
  std::string buffer_;
  bool eof_ = false;
  std::optional<int> exit_code_;
};

}  // namespace integration
