// Running sip2-bench in tests: the baseline server in the background, a load run to completion.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bench_test {

using Clock = std::chrono::steady_clock;

/// What a finished program left: exit status (128 + signal when killed, -1 on timeout).
struct Finished {
  int status = -1;
  std::string out;
  std::string err;
};

/// Runs `exe args...` until it exits or `timeout` passes (then SIGKILL).
[[nodiscard]] Finished run_program(const std::string& exe, const std::vector<std::string>& args,
                                   std::chrono::milliseconds timeout);

/// A program left running, stdout on a pipe; SIGKILLed and reaped on destruction.
class Background {
 public:
  Background(const std::string& exe, const std::vector<std::string>& args);
  ~Background();
  Background(const Background&) = delete;
  Background& operator=(const Background&) = delete;

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  /// The first stdout line starting with `prefix`, or nullopt at the deadline or end of output.
  [[nodiscard]] std::optional<std::string> wait_for_line(const std::string& prefix,
                                                         Clock::time_point deadline);
  /// Sends a signal and waits for the exit status, or nullopt at the deadline.
  [[nodiscard]] std::optional<int> stop(int signo, Clock::time_point deadline);

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string buffer_;
};

/// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
  /// Writes `text` to `name` inside the directory; returns the full path.
  std::string write(const std::string& name, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

}  // namespace bench_test
