// One generator io thread: its io_context, its share of the connections, its counters.
#include "worker.hpp"

#include <algorithm>

namespace bench {

namespace {

/// How often connect and response timeouts are looked for.
Clock::duration sweep_period(const BenchOptions& o) {
  const auto quarter = std::chrono::duration<double>(o.timeout_s / 4);
  return std::clamp<Clock::duration>(std::chrono::duration_cast<Clock::duration>(quarter),
                                     std::chrono::milliseconds(5), std::chrono::milliseconds(100));
}

}  // namespace

Worker::Worker(const BenchOptions& options, RunControl& control, asio::ip::tcp::endpoint server,
               std::size_t first, std::size_t stride)
    : options_(options), control_(control), server_(server), sweep_timer_(io_), pump_timer_(io_) {
  for (std::size_t i = first; i < options.connections; i += stride)
    connections_.push_back(std::make_unique<ClientConnection>(*this, i));
  in_flight_cap_ = std::max<std::size_t>(1, options.connects_in_flight / stride);
  if (options.connect_rate > 0)
    connect_spacing_ = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(static_cast<double>(stride) / options.connect_rate));
}

void Worker::start_ramp() {
  next_connect_at_ = Clock::now();
  arm_sweep();
  pump();
}

void Worker::pump() {
  while (!stopped_ && in_flight_ < in_flight_cap_ && next_to_connect_ < connections_.size()) {
    const auto now = Clock::now();
    if (connect_spacing_ != Clock::duration::zero() && now < next_connect_at_) {
      if (!pump_armed_) {
        pump_armed_ = true;
        pump_timer_.expires_at(next_connect_at_);
        pump_timer_.async_wait([this](const std::error_code&) {
          pump_armed_ = false;
          pump();
        });
      }
      return;
    }
    next_connect_at_ = std::max(next_connect_at_, now - connect_spacing_) + connect_spacing_;
    ++in_flight_;
    connections_[next_to_connect_++]->connect();
  }
}

void Worker::ramp_finished(bool up) {
  control_.ramp_resolved.fetch_add(1, std::memory_order_relaxed);
  if (up) control_.ramp_established.fetch_add(1, std::memory_order_relaxed);
  if (in_flight_ > 0) --in_flight_;
  pump();
}

void Worker::start_load() {
  const auto now = Clock::now();
  for (auto& c : connections_)
    c->begin_load(now);
}

void Worker::stop() {
  stopped_ = true;
  sweep_timer_.cancel();
  pump_timer_.cancel();
  for (auto& c : connections_)
    c->stop();
}

void Worker::arm_sweep() {
  sweep_timer_.expires_after(sweep_period(options_));
  sweep_timer_.async_wait([this](const std::error_code& ec) {
    if (ec || stopped_) return;
    const auto now = Clock::now();
    for (auto& c : connections_)
      c->check_timeout(now);
    arm_sweep();
  });
}

}  // namespace bench
