// Error codes of the outbox (the store's own codes pass through: map_full, disk_full, ...).
#pragma once

#include <system_error>

#include <tl/expected.hpp>

namespace outbox {

enum class errc {
  ok = 0,
  not_found = 1,    ///< no job with that id or key
  wrong_state = 2,  ///< retry or drop of a job in a state that does not allow it
  unreadable = 3,   ///< a journal record that does not parse or whose seal does not open
  stopped = 4,      ///< the outbox or forwarder is shutting down
};
[[nodiscard]] const std::error_category& category() noexcept;
[[nodiscard]] std::error_code make_error_code(errc e) noexcept;

template <class T>
using Result = tl::expected<T, std::error_code>;

}  // namespace outbox

template <>
struct std::is_error_code_enum<outbox::errc> : std::true_type {};
