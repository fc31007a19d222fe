// A timer that cancels a socket's pending operations when a deadline passes.
#include "net/deadline.hpp"

#include <system_error>

namespace net {

Deadline::Deadline(asio::ip::tcp::socket& socket, std::chrono::milliseconds after)
    : state_(std::make_shared<State>(State{&socket})), timer_(socket.get_executor(), after) {
  // The handler may run after this object is gone (expiry already queued), so it owns the state.
  timer_.async_wait([state = state_](std::error_code ec) {
    if (ec || state->socket == nullptr) return;
    state->expired = true;
    state->socket->cancel(ec);
  });
}

Deadline::~Deadline() {
  state_->socket = nullptr;
  timer_.cancel();
}

}  // namespace net
