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

void FaultInjector::set_lost_answers(std::string prefix, long long count, LostAnswer mode,
                                     std::chrono::milliseconds hold) {
  std::lock_guard lock(mutex_);
  lose_prefix_ = std::move(prefix);
  lose_count_ = count;
  lose_mode_ = mode;
  hold_limit_ = hold;
}

LostAnswer FaultInjector::lose_answer(std::string_view path) {
  std::lock_guard lock(mutex_);
  if (lose_count_ <= 0 || lose_mode_ == LostAnswer::none || !path.starts_with(lose_prefix_)) {
    return LostAnswer::none;
  }
  --lose_count_;
  ++lost_total_;
  const auto it = lost_counts_.find(path);
  if (it == lost_counts_.end()) {
    lost_counts_.emplace(std::string(path), 1);
  } else {
    ++it->second;
  }
  return lose_mode_;
}

std::chrono::milliseconds FaultInjector::hold_limit() const {
  std::lock_guard lock(mutex_);
  return hold_limit_;
}

void FaultInjector::reset() {
  std::unique_lock lock(mutex_);
  outage_ = false;
  delay_ = std::chrono::milliseconds(0);
  delay_prefix_.clear();
  fail_status_ = 0;
  fail_count_ = 0;
  fail_prefix_.clear();
  total_ = 0;
  counts_.clear();
  lose_prefix_.clear();
  lose_count_ = 0;
  lose_mode_ = LostAnswer::none;
  hold_limit_ = std::chrono::milliseconds(60000);
  lost_total_ = 0;
  lost_counts_.clear();
  ++generation_;
  lock.unlock();
  wake_.notify_all();
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
  nlohmann::json lost = nlohmann::json::object();
  for (const auto& [path, count] : lost_counts_)
    lost[path] = count;
  return {{"total", total_},
          {"paths", std::move(paths)},
          {"lost_answers", lost_total_},
          {"lost_paths", std::move(lost)}};
}

}  // namespace ils_emulator
