// The server-side socket of one client connection, found by the client's address, so that a
// request's answer can be lost: the connection is closed without a byte written.
#pragma once

#include <string_view>

namespace ils_emulator {

/// The connected socket whose peer is `address`:`port` among this process's descriptors;
/// -1 when there is none (or /proc cannot be read).
[[nodiscard]] int socket_of_peer(std::string_view address, int port);

/// True when the peer has closed (or reset) the connection on `fd`.
[[nodiscard]] bool peer_gone(int fd);

/// Shuts the connection down both ways without closing the descriptor (its owner still will):
/// the peer sees the connection end, and nothing written afterwards reaches it.
void cut_connection(int fd);

}  // namespace ils_emulator
