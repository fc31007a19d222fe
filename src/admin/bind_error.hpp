// Explains why a listening socket could not be bound (cpp-httplib only reports failure).
#pragma once

#include <cstdint>
#include <string>

namespace admin {

/// Retries the bind on a scratch socket and returns strerror/gai_strerror of what failed.
[[nodiscard]] std::string bind_error_reason(const std::string& host, std::uint16_t port);

/// "127.0.0.1:8081" or "[::1]:8081".
[[nodiscard]] std::string host_port(const std::string& host, std::uint16_t port);

}  // namespace admin
