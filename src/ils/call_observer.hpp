// The metrics hook every backend calls once per HTTP exchange with the library system.
#pragma once

#include <chrono>
#include <functional>
#include <string_view>
#include <system_error>

namespace ils {

/// Told the operation ("users.lookup", "circulation.check-out"), its outcome (empty on a 2xx
/// answer, else an ils::errc) and how long the exchange took. Called on the calling worker
/// thread, so it must be thread-safe; it never sees patron data.
using CallObserver = std::function<void(std::string_view operation, std::error_code outcome,
                                        std::chrono::nanoseconds elapsed)>;

}  // namespace ils
