// Fault injection state and request counting.
#include "fault_injector.hpp"

namespace ils_emulator {

void FaultInjector::set_latency(std::chrono::milliseconds delay, std::string prefix) {
  std::lock_guard lock(mutex_);
  delay_ = delay;
  delay_prefix_ = std::move(prefix);
}

void FaultInjector::set_failure(int status, long long count, std::string prefix) {
  std::lock_guard lock(mutex_);
  fail_status_ = status;
  fail_count_ = count;
  fail_prefix_ = std::move(prefix);
}

void FaultInjector::set_outage(bool on) {
  std::lock_guard lock(mutex_);
  outage_ = on;
}

void FaultInjector::reset() {
  std::lock_guard lock(mutex_);
  outage_ = false;
  delay_ = std::chrono::milliseconds(0);
  delay_prefix_.clear();
  fail_status_ = 0;
  fail_count_ = 0;
  fail_prefix_.clear();
  total_ = 0;
  counts_.clear();
}

FaultPlan FaultInjector::plan(std::string_view path) {
  std::lock_guard lock(mutex_);
  ++total_;
  const auto it = counts_.find(path);
  if (it == counts_.end()) {
    counts_.emplace(std::string(path), 1);
  } else {
    ++it->second;
  }
  FaultPlan plan;
  plan.outage = outage_;
  if (path.starts_with(delay_prefix_)) plan.delay = delay_;
  if (fail_count_ != 0 && path.starts_with(fail_prefix_)) {
    plan.status = fail_status_;
    if (fail_count_ > 0) --fail_count_;
  }
  return plan;
}

bool FaultInjector::wait(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_for(lock, delay, [this] { return stopping_; });
}

void FaultInjector::shutdown() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

nlohmann::json FaultInjector::stats() const {
  std::lock_guard lock(mutex_);
  nlohmann::json paths = nlohmann::json::object();
  for (const auto& [path, count] : counts_)
    paths[path] = count;
  return {{"total", total_}, {"paths", std::move(paths)}};
}

}  // namespace ils_emulator
