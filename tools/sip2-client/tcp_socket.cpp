// A connected TCP socket (POSIX, non-blocking underneath) whose calls are bounded by deadlines.
#include "tcp_socket.hpp"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <memory>

namespace sip2_client {
namespace {

/// Waits until `fd` is ready for `events`; std::errc::timed_out at the deadline.
std::error_code wait_for(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return std::make_error_code(std::errc::timed_out);
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(left));
    if (n > 0) return {};
    if (n < 0 && errno != EINTR) return {errno, std::generic_category()};
  }
}

/// "Connection refused" → "connection refused", as the middle of a sentence.
std::string describe(int err) {
  std::string s = std::generic_category().message(err);
  if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  return s;
}

struct AddrInfoDeleter {
  void operator()(addrinfo* a) const { ::freeaddrinfo(a); }
};

}  // namespace

TcpSocket::~TcpSocket() {
  close();
}

TcpSocket::TcpSocket(TcpSocket&& other) noexcept : fd_(other.fd_) {
  other.fd_ = -1;
}

TcpSocket& TcpSocket::operator=(TcpSocket&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

tl::expected<TcpSocket, std::string> TcpSocket::connect(const std::string& host, std::uint16_t port,
                                                        Clock::time_point deadline) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (const int rc = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found)) {
    return tl::unexpected("cannot resolve '" + host + "': " + ::gai_strerror(rc));
  }
  const std::unique_ptr<addrinfo, AddrInfoDeleter> list(found);
  std::string last_error = "no address";
  for (const addrinfo* a = list.get(); a != nullptr; a = a->ai_next) {
    TcpSocket s(::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!s.is_open()) {
      last_error = describe(errno);
      continue;
    }
    int err = ::connect(s.fd_, a->ai_addr, a->ai_addrlen) == 0 ? 0 : errno;
    if (err == EINPROGRESS) {
      if (const auto ec = wait_for(s.fd_, POLLOUT, deadline)) {
        if (ec == std::errc::timed_out) return tl::unexpected(std::string("timed out"));
        return tl::unexpected(describe(ec.value()));
      }
      socklen_t len = sizeof err;
      ::getsockopt(s.fd_, SOL_SOCKET, SO_ERROR, &err, &len);
    }
    if (err == 0) {
      const int one = 1;
      ::setsockopt(s.fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      return s;
    }
    last_error = describe(err);
  }
  return tl::unexpected(last_error);
}

std::error_code TcpSocket::write_all(std::string_view bytes, Clock::time_point deadline) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n >= 0) {
      bytes.remove_prefix(static_cast<std::size_t>(n));
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (const auto ec = wait_for(fd_, POLLOUT, deadline)) return ec;
    } else if (errno != EINTR) {
      return {errno, std::generic_category()};
    }
  }
  return {};
}

tl::expected<std::size_t, std::error_code> TcpSocket::read_some(std::span<char> buffer,
                                                                Clock::time_point deadline) {
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
    if (n > 0) return static_cast<std::size_t>(n);
    if (n == 0) return tl::unexpected(std::make_error_code(std::errc::connection_reset));
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (const auto ec = wait_for(fd_, POLLIN, deadline)) return tl::unexpected(ec);
    } else if (errno != EINTR) {
      return tl::unexpected(std::error_code(errno, std::generic_category()));
    }
  }
}

void TcpSocket::close() noexcept {
  if (fd_ < 0) return;
  ::shutdown(fd_, SHUT_RDWR);
  ::close(fd_);
  fd_ = -1;
}

}  // namespace sip2_client
