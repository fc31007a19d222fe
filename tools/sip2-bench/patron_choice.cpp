// Which patron each request names: the emulator's generated patrons, and the per-request choice.
#include "patron_choice.hpp"

#include <charconv>
#include <cstdio>

namespace bench {

namespace {

/// The emulator accepts 0 <= n < 10,000,000; 11 digits hold more, the barcode scheme allows it.
constexpr std::uint64_t kMaxGenerated = 99'999'999'999;

tl::expected<std::uint64_t, std::string> whole_number(std::string_view v) {
  std::uint64_t n = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc{} || end != v.data() + v.size())
    return tl::unexpected("'" + std::string(v) + "' is not a whole number");
  return n;
}

std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

char luhn_digit(std::string_view digits) noexcept {
  int sum = 0;
  bool twice = true;  // the rightmost digit is doubled, as the check digit will follow it
  for (auto it = digits.rbegin(); it != digits.rend(); ++it, twice = !twice) {
    int d = *it - '0';
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

Patron generated_patron(std::uint64_t n) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "29%011llu", static_cast<unsigned long long>(n));
  Patron p;
  p.barcode = digits;
  p.barcode.push_back(luhn_digit(p.barcode));
  p.pin = p.barcode.substr(p.barcode.size() - 4);
  return p;
}

tl::expected<std::pair<std::uint64_t, std::uint64_t>, std::string> parse_patron_range(
    std::string_view text) {
  const auto dash = text.find('-');
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  if (dash == std::string_view::npos) {
    auto count = whole_number(text);
    if (!count) return tl::unexpected(count.error());
    if (*count == 0) return tl::unexpected(std::string("the range is empty"));
    last = *count - 1;
  } else {
    auto a = whole_number(text.substr(0, dash));
    auto b = whole_number(text.substr(dash + 1));
    if (!a) return tl::unexpected(a.error());
    if (!b) return tl::unexpected(b.error());
    if (*b < *a) return tl::unexpected("'" + std::string(text) + "' ends before it starts");
    first = *a, last = *b;
  }
  if (last > kMaxGenerated)
    return tl::unexpected(std::string("generated patron numbers have at most 11 digits"));
  return std::pair{first, last};
}

std::string wrong_pin(std::string_view pin) {
  std::string out(pin);
  bool moved = false;
  for (char& c : out)
    if (c >= '0' && c <= '9') c = static_cast<char>('0' + (c - '0' + 5) % 10), moved = true;
  if (!moved) out.push_back('5');
  return out;
}

std::optional<PatronChoice> parse_patron_choice(std::string_view text) noexcept {
  if (text == "fixed") return PatronChoice::fixed;
  if (text == "random") return PatronChoice::random;
  if (text == "once") return PatronChoice::once;
  return std::nullopt;
}

std::string_view patron_choice_name(PatronChoice choice) noexcept {
  switch (choice) {
    case PatronChoice::fixed:
      return "fixed";
    case PatronChoice::random:
      return "random";
    case PatronChoice::once:
      return "once";
  }
  return "fixed";
}

PatronPicker::PatronPicker(PatronChoice choice, std::size_t count, std::size_t connection_index,
                           std::atomic<std::uint64_t>* shared)
    : choice_(choice),
      count_(count),
      fixed_(count == 0 ? 0 : connection_index % count),
      state_(0x5eedULL + connection_index),
      shared_(shared) {}

std::optional<std::size_t> PatronPicker::next() noexcept {
  if (count_ == 0) return std::nullopt;
  switch (choice_) {
    case PatronChoice::fixed:
      return fixed_;
    case PatronChoice::random: {
      // Multiply-shift: uniform enough for any count below 2^32, and no division per request.
      const std::uint64_t r = splitmix64(state_) >> 32;
      return static_cast<std::size_t>((r * count_) >> 32);
    }
    case PatronChoice::once: {
      if (shared_ == nullptr) return std::nullopt;
      const auto n = shared_->fetch_add(1, std::memory_order_relaxed);
      if (n >= count_) return std::nullopt;
      return static_cast<std::size_t>(n);
    }
  }
  return std::nullopt;
}

}  // namespace bench
