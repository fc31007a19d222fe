// Runs a blocking function on a thread pool and resumes the calling coroutine with its result.
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

#include <asio/associated_executor.hpp>
#include <asio/async_result.hpp>
#include <asio/awaitable.hpp>
#include <asio/post.hpp>
#include <asio/this_coro.hpp>
#include <asio/thread_pool.hpp>
#include <asio/use_awaitable.hpp>

namespace server {

/// `co_await offload(pool, f)`: f() runs on `pool`; the coroutine resumes on its own executor.
/// f must not throw (wrap it); its result must be movable. Pass a *named* closure
/// (`auto job = [..] {..}; co_await offload(pool, job);`), never a lambda written inside the
/// co_await expression: GCC 12 copies such a temporary bitwise into the coroutine frame.
///
/// GCC 12 relocates the by-value parameters of Asio's use_awaitable initiation coroutine with a
/// plain memory copy. That breaks any non-trivially-copyable capture (a short std::string points
/// into itself, a shared_ptr is released twice). So the initiation captures only raw pointers:
/// f lives in this coroutine's frame until it resumes, and the result comes back as a raw R*.
template <class F>
asio::awaitable<std::invoke_result_t<std::decay_t<F>&>> offload(asio::thread_pool& pool, F&& f) {
  using Fn = std::decay_t<F>;
  using R = std::invoke_result_t<Fn&>;
  Fn fn(std::forward<F>(f));
  Fn* task = &fn;
  asio::thread_pool* workers = &pool;
  R* out = co_await asio::async_initiate<decltype(asio::use_awaitable), void(R*)>(
      [workers, task](auto handler) {
        auto home = asio::get_associated_executor(handler);
        asio::post(*workers, [h = std::move(handler), task, home]() mutable {
          R* result = new R((*task)());
          asio::post(home, [h = std::move(h), result]() mutable { h(result); });
        });
      },
      asio::use_awaitable);
  std::unique_ptr<R> owner(out);
  co_return std::move(*owner);
}

}  // namespace server
