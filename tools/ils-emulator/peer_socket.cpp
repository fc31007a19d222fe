// Finding a client's socket through /proc/self/fd and getpeername (Linux).
#include "peer_socket.hpp"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <charconv>
#include <string>

namespace ils_emulator {
namespace {

/// The numeric address and port of the peer of `fd`, when it is a connected IP socket.
bool peer_of(int fd, std::string& address, int& port) {
  sockaddr_storage peer{};
  socklen_t length = sizeof peer;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) return false;
  char text[INET6_ADDRSTRLEN] = {};
  if (peer.ss_family == AF_INET) {
    const auto* v4 = reinterpret_cast<const sockaddr_in*>(&peer);
    if (::inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text) == nullptr) return false;
    port = ntohs(v4->sin_port);
  } else if (peer.ss_family == AF_INET6) {
    const auto* v6 = reinterpret_cast<const sockaddr_in6*>(&peer);
    if (::inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text) == nullptr) return false;
    port = ntohs(v6->sin6_port);
  } else {
    return false;
  }
  address = text;
  return true;
}

}  // namespace

int socket_of_peer(std::string_view address, int port) {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  int found = -1;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string_view name = entry->d_name;
    int fd = -1;
    const auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), fd);
    if (ec != std::errc{} || end != name.data() + name.size() || fd == ::dirfd(dir)) continue;
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISSOCK(info.st_mode)) continue;
    std::string peer_address;
    int peer_port = 0;
    if (peer_of(fd, peer_address, peer_port) && peer_port == port && peer_address == address) {
      found = fd;
      break;
    }
  }
  ::closedir(dir);
  return found;
}

bool peer_gone(int fd) {
  pollfd p{fd, POLLRDHUP, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
}

void cut_connection(int fd) {
  ::shutdown(fd, SHUT_RDWR);
}

}  // namespace ils_emulator
