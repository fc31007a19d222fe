// One benchmark run: ramp-up, warm-up, measured window, then the merged counters.
#include "load_runner.hpp"

#include <memory>
#include <thread>
#include <vector>

#include <asio/executor_work_guard.hpp>
#include <asio/post.hpp>

#include "process_info.hpp"
#include "run_control.hpp"
#include "worker.hpp"

namespace bench {

namespace {

using namespace std::chrono_literals;

double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

/// The controller polls the shared counters; the io threads never wait on it.
constexpr auto kPoll = 2ms;

/// The io threads, each running one worker until stopped.
class WorkerPool {
 public:
  WorkerPool(const BenchOptions& o, RunControl& control, const asio::ip::tcp::endpoint& server) {
    for (unsigned t = 0; t < o.threads; ++t)
      workers_.push_back(std::make_unique<Worker>(o, control, server, t, o.threads));
    for (auto& w : workers_) {
      guards_.emplace_back(w->io().get_executor());
      threads_.emplace_back([&io = w->io()] { io.run(); });
    }
  }
  ~WorkerPool() { join(); }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  template <class F>
  void each(F f) {
    for (auto& w : workers_)
      asio::post(w->io(), [&w = *w, f] { f(w); });
  }

  /// Stops every worker and waits for its thread.
  void join() {
    if (threads_.empty()) return;
    each([](Worker& w) { w.stop(); });
    guards_.clear();
    for (auto& t : threads_)
      t.join();
    threads_.clear();
  }

  RunStats merged() const {
    RunStats all;
    for (const auto& w : workers_)
      all.merge(w->stats());
    return all;
  }

 private:
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
  std::vector<std::thread> threads_;
};

/// Sleeps in short steps until `deadline` or until `stop()` holds.
template <class Stop>
void wait_until(Clock::time_point deadline, Stop stop) {
  while (!stop()) {
    const auto now = Clock::now();
    if (now >= deadline) return;
    std::this_thread::sleep_for(std::min<Clock::duration>(kPoll, deadline - now));
  }
}

}  // namespace

tl::expected<RunResult, std::string> run_load(const BenchOptions& o) {
  std::error_code ec;
  const auto address = asio::ip::make_address(o.host, ec);
  if (ec) return tl::unexpected("--host: " + ec.message());
  const asio::ip::tcp::endpoint server(address, o.port);

  RunResult r;
  r.requested = o.connections;
  r.rss_start_kib = read_rss_kib(o.server_pid);
  RunControl control;
  control.max_messages = o.max_messages;
  if (o.patron_choice == PatronChoice::once) control.pass_total = o.patrons.size();
  WorkerPool pool(o, control, server);

  const auto ramp_start = Clock::now();
  pool.each([](Worker& w) { w.start_ramp(); });
  // Bounded even when the server stalls connects: every connection has its own timeout too.
  const auto ramp_deadline = ramp_start + 30s + std::chrono::milliseconds(2 * o.connections);
  wait_until(ramp_deadline, [&] { return control.ramp_resolved.load() >= o.connections; });
  const auto warmup_start = Clock::now();
  r.ramp_s = seconds_between(ramp_start, warmup_start);
  r.established = control.ramp_established.load();
  r.rss_ramped_kib = read_rss_kib(o.server_pid);

  control.phase = Phase::warmup;
  pool.each([](Worker& w) { w.start_load(); });
  std::this_thread::sleep_for(std::chrono::duration<double>(o.warmup_s));
  const auto window_start = Clock::now();
  r.warmup_s = seconds_between(warmup_start, window_start);
  control.phase = Phase::window;
  const auto window_deadline = window_start + std::chrono::duration_cast<Clock::duration>(
                                                  std::chrono::duration<double>(o.duration_s));
  wait_until(window_deadline,
             [&] { return control.current() == Phase::done || control.pass_complete(); });
  auto window_end = Clock::now();
  r.ended_by_pass = control.pass_complete();
  control.phase = Phase::done;
  if (const auto early = control.early_end_ns.load(std::memory_order_acquire); early != 0) {
    window_end = Clock::time_point(Clock::duration(early));
    r.ended_by_max_messages = true;
  }
  r.window_s = seconds_between(window_start, window_end);
  r.rss_end_kib = read_rss_kib(o.server_pid);
  r.pass_answered = control.pass_answered.load();
  pool.join();
  r.stats = pool.merged();
  return r;
}

}  // namespace bench
