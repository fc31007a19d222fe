// A log-linear (HDR-style) latency histogram in nanoseconds with ~1% relative precision.
#include "latency_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace bench {

namespace {

constexpr unsigned kSubBits = 7;  // 128 linear buckets per power of two: 0.78% wide
constexpr std::uint64_t kSubCount = std::uint64_t{1} << kSubBits;

}  // namespace

std::size_t LatencyHistogram::index_of(std::uint64_t ns) noexcept {
  if (ns < kSubCount) return static_cast<std::size_t>(ns);
  const unsigned exponent = static_cast<unsigned>(std::bit_width(ns)) - 1;
  const unsigned shift = exponent - kSubBits;
  const std::uint64_t mantissa = (ns >> shift) - kSubCount;
  return static_cast<std::size_t>((exponent - kSubBits + 1) * kSubCount + mantissa);
}

std::uint64_t LatencyHistogram::bucket_low(std::size_t index) noexcept {
  if (index < kSubCount) return index;
  const std::uint64_t octave = index / kSubCount;  // 1 for [128, 256)
  const std::uint64_t mantissa = index % kSubCount;
  return (kSubCount + mantissa) << (octave - 1);
}

std::uint64_t LatencyHistogram::bucket_high(std::size_t index) noexcept {
  if (index < kSubCount) return index;
  const std::uint64_t octave = index / kSubCount;
  return bucket_low(index) + (std::uint64_t{1} << (octave - 1)) - 1;
}

LatencyHistogram::LatencyHistogram() : buckets_(index_of(kHighestNs) + 1, 0) {}

void LatencyHistogram::record(std::uint64_t ns) {
  std::uint64_t bucketed = ns;
  if (ns < kLowestNs || ns > kHighestNs) {
    ++clamped_;
    bucketed = std::clamp(ns, kLowestNs, kHighestNs);
  }
  ++buckets_[index_of(bucketed)];
  ++count_;
  min_ = std::min(min_, ns);
  max_ = std::max(max_, ns);
  sum_ += static_cast<long double>(ns);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < buckets_.size(); ++i)
    buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  clamped_ += other.clamped_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

double LatencyHistogram::mean() const noexcept {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_ / static_cast<long double>(count_));
}

std::uint64_t LatencyHistogram::percentile(double p) const noexcept {
  if (count_ == 0) return 0;
  const double wanted = std::ceil(std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(count_));
  const std::uint64_t rank = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(wanted));
  if (rank >= count_) return max_;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      const std::uint64_t mid = bucket_low(i) + (bucket_high(i) - bucket_low(i)) / 2;
      return std::clamp(mid, min(), max_);
    }
  }
  return max_;
}

}  // namespace bench
