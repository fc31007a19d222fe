// Runs the ILS emulator as a child process on 127.0.0.1:0 and reads its URL from stdout.
#pragma once

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

extern char** environ;

namespace emulator {

/// One emulator process, stopped with SIGTERM when destroyed.
class Process {
 public:
  /// Starts `exe --data seed --listen 127.0.0.1:0 extra...`; url() is empty if it did not come
  /// up.
  Process(const std::string& exe, const std::string& seed, std::vector<std::string> extra = {}) {
    int out[2];
    if (::pipe(out) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<std::string> args = {exe, "--data", seed, "--listen", "127.0.0.1:0"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& arg : args)
      argv.push_back(arg.data());
    argv.push_back(nullptr);
    const int spawned = posix_spawn(&pid_, exe.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    if (spawned != 0) pid_ = -1;
    // The read end stays open while the child runs, so a late write never meets SIGPIPE.
    stdout_ = out[0];
    if (pid_ > 0) url_ = read_url(stdout_);
  }

  ~Process() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    if (stdout_ >= 0) ::close(stdout_);
  }

  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  /// "http://127.0.0.1:PORT", or empty.
  [[nodiscard]] const std::string& url() const { return url_; }

 private:
  /// Reads stdout until the "listening on" line, polling with a ten-second deadline.
  static std::string read_url(int fd) {
    constexpr std::string_view marker = "listening on ";
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::string text;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buffer[256];
      const ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n <= 0) break;
      text.append(buffer, static_cast<std::size_t>(n));
      const auto at = text.find(marker);
      const auto eol = at == std::string::npos ? at : text.find('\n', at);
      if (eol != std::string::npos)
        return text.substr(at + marker.size(), eol - at - marker.size());
    }
    return {};
  }

  pid_t pid_ = -1;
  int stdout_ = -1;
  std::string url_;
};

}  // namespace emulator
