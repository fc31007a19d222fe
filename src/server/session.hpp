// One kiosk connection: read, frame, decode, dispatch, encode, write, with its timeouts.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <memory>

#include "config/config.hpp"
#include "net/channel.hpp"
#include "server/hub.hpp"

namespace server {

/// Runs a session to its end on the io thread: the coroutine owns the channel.
asio::awaitable<void> run_session(Hub& hub, std::unique_ptr<net::Channel> channel,
                                  const config::ListenerConfig& listener,
                                  std::uint64_t connection_id);

}  // namespace server
