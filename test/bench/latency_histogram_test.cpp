// The benchmark's latency histogram: percentiles of known distributions, exact extremes, precision.
#define BOOST_TEST_MODULE latency_histogram
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "latency_histogram.hpp"

using bench::LatencyHistogram;

namespace {

constexpr std::uint64_t kUs = 1'000;

/// |a - b| <= tolerance * b
bool near(std::uint64_t a, std::uint64_t b, double tolerance) {
  return std::abs(static_cast<double>(a) - static_cast<double>(b)) <=
         tolerance * static_cast<double>(b);
}

}  // namespace

BOOST_AUTO_TEST_CASE(empty_histogram_reports_zero) {
  LatencyHistogram h;
  BOOST_TEST(h.count() == 0u);
  BOOST_TEST(h.percentile(50) == 0u);
  BOOST_TEST(h.max() == 0u);
  BOOST_TEST(h.mean() == 0.0);
}

BOOST_AUTO_TEST_CASE(uniform_distribution_percentiles_are_within_one_percent) {
  LatencyHistogram h;
  for (std::uint64_t v = 1; v <= 100'000; ++v)
    h.record(v * kUs);  // 1 µs .. 100 ms, uniform
  BOOST_TEST(h.count() == 100'000u);
  BOOST_TEST(near(h.percentile(50), 50'000 * kUs, 0.01));
  BOOST_TEST(near(h.percentile(90), 90'000 * kUs, 0.01));
  BOOST_TEST(near(h.percentile(99), 99'000 * kUs, 0.01));
  BOOST_TEST(near(h.percentile(99.9), 99'900 * kUs, 0.01));
  BOOST_TEST(h.percentile(100) == 100'000 * kUs);
  BOOST_TEST(std::abs(h.mean() - 50'000.5 * kUs) < 1.0);
}

BOOST_AUTO_TEST_CASE(rank_selects_the_tail_of_a_bimodal_distribution) {
  LatencyHistogram h;
  for (int i = 0; i < 990; ++i)
    h.record(100 * kUs);
  for (int i = 0; i < 10; ++i)
    h.record(10'000 * kUs);
  BOOST_TEST(near(h.percentile(50), 100 * kUs, 0.005));
  BOOST_TEST(near(h.percentile(99), 100 * kUs, 0.005));  // the 990th sample
  BOOST_TEST(near(h.percentile(99.9), 10'000 * kUs, 0.005));
  BOOST_TEST(h.max() == 10'000 * kUs);
}

BOOST_AUTO_TEST_CASE(min_and_max_are_exact_and_percentiles_stay_inside_them) {
  LatencyHistogram h;
  h.record(123'457);
  h.record(123'459);
  h.record(987'654'321);
  BOOST_TEST(h.min() == 123'457u);
  BOOST_TEST(h.max() == 987'654'321u);
  BOOST_TEST(h.percentile(0) >= h.min());
  BOOST_TEST(h.percentile(100) == h.max());
  BOOST_TEST(h.percentile(50) <= h.percentile(99));
  BOOST_TEST(h.percentile(99) <= h.max());
}

BOOST_AUTO_TEST_CASE(every_bucket_from_one_microsecond_to_a_minute_is_under_one_percent_wide) {
  for (double v = 1'000; v <= 6e10; v *= 1.013) {
    const auto value = static_cast<std::uint64_t>(v);
    const auto i = LatencyHistogram::index_of(value);
    const auto low = LatencyHistogram::bucket_low(i);
    const auto high = LatencyHistogram::bucket_high(i);
    BOOST_TEST_REQUIRE(low <= value);
    BOOST_TEST_REQUIRE(value <= high);
    BOOST_TEST_REQUIRE(static_cast<double>(high - low + 1) <= 0.01 * static_cast<double>(low));
    BOOST_TEST_REQUIRE(LatencyHistogram::index_of(high + 1) == i + 1);
  }
}

BOOST_AUTO_TEST_CASE(values_outside_the_range_are_clamped_and_counted) {
  LatencyHistogram h;
  h.record(10);                  // 10 ns, below 1 µs
  h.record(100'000'000'000ULL);  // 100 s, above 60 s
  BOOST_TEST(h.count() == 2u);
  BOOST_TEST(h.clamped() == 2u);
  BOOST_TEST(h.max() == 100'000'000'000ULL);
  BOOST_TEST(h.min() == 10u);
}

BOOST_AUTO_TEST_CASE(merge_adds_samples_and_extremes) {
  LatencyHistogram a, b;
  for (int i = 0; i < 100; ++i)
    a.record(50 * kUs);
  for (int i = 0; i < 100; ++i)
    b.record(150 * kUs);
  b.record(7 * kUs);
  a.merge(b);
  BOOST_TEST(a.count() == 201u);
  BOOST_TEST(a.min() == 7 * kUs);
  BOOST_TEST(a.max() == 150 * kUs);
  BOOST_TEST(near(a.percentile(25), 50 * kUs, 0.005));
  BOOST_TEST(near(a.percentile(75), 150 * kUs, 0.005));
}
