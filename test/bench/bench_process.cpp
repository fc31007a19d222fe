// Running sip2-bench in tests: the baseline server in the background, a load run to completion.
#include "bench_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <thread>

extern char** environ;

namespace bench_test {

namespace {

int millis_until(Clock::time_point deadline) {
  const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left < 0 ? 0 : static_cast<int>(left);
}

/// posix_spawn with stdout (and stderr when `err` is set) on pipes; -1 when it cannot start.
pid_t spawn(const std::string& exe, const std::vector<std::string>& args, int& out, int* err) {
  int out_pipe[2], err_pipe[2] = {-1, -1};
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return -1;
  if (err != nullptr && ::pipe2(err_pipe, O_CLOEXEC) != 0) return -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  if (err != nullptr) posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  std::vector<std::string> all{exe};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (::posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  out = out_pipe[0];
  if (err != nullptr) {
    ::close(err_pipe[1]);
    *err = err_pipe[0];
  }
  return pid;
}

int exit_status(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

Finished run_program(const std::string& exe, const std::vector<std::string>& args,
                     std::chrono::milliseconds timeout) {
  Finished f;
  int out = -1, err = -1;
  const pid_t pid = spawn(exe, args, out, &err);
  if (pid <= 0) return f;
  const auto deadline = Clock::now() + timeout;
  pollfd fds[2] = {{out, POLLIN, 0}, {err, POLLIN, 0}};
  std::string* sinks[2] = {&f.out, &f.err};
  int open = 2;
  while (open > 0 && Clock::now() < deadline) {
    if (::poll(fds, 2, millis_until(deadline)) <= 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char chunk[4096];
      const auto n = ::read(fds[i].fd, chunk, sizeof chunk);
      if (n <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      } else {
        sinks[i]->append(chunk, static_cast<std::size_t>(n));
      }
    }
  }
  int status = 0;
  if (open > 0) ::kill(pid, SIGKILL);  // timed out
  ::waitpid(pid, &status, 0);
  for (auto& p : fds)
    if (p.fd >= 0) ::close(p.fd);
  f.status = open > 0 ? -1 : exit_status(status);
  return f;
}

Background::Background(const std::string& exe, const std::vector<std::string>& args) {
  pid_ = spawn(exe, args, out_, nullptr);
}

Background::~Background() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  if (out_ >= 0) ::close(out_);
}

std::optional<std::string> Background::wait_for_line(const std::string& prefix,
                                                     Clock::time_point deadline) {
  for (;;) {
    for (auto nl = buffer_.find('\n'); nl != std::string::npos; nl = buffer_.find('\n')) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      if (line.rfind(prefix, 0) == 0) return line;
    }
    pollfd pfd{out_, POLLIN, 0};
    if (out_ < 0 || ::poll(&pfd, 1, millis_until(deadline)) <= 0) return std::nullopt;
    char chunk[512];
    const auto n = ::read(out_, chunk, sizeof chunk);
    if (n <= 0) return std::nullopt;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

std::optional<int> Background::stop(int signo, Clock::time_point deadline) {
  if (pid_ <= 0) return std::nullopt;
  ::kill(pid_, signo);
  for (;;) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return exit_status(status);
    }
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling waitpid to a deadline
  }
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "sip2-bench-XXXXXX").string();
  if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::write(const std::string& name, const std::string& text) const {
  const auto file = path_ / name;
  std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
  return file.string();
}

}  // namespace bench_test
