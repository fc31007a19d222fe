// Cent arithmetic for fees and payments.
#include "money.hpp"

#include <cmath>
#include <cstdio>

namespace ils_emulator {

std::optional<std::int64_t> parse_cents(std::string_view text) {
  std::int64_t whole = 0, fraction = 0;
  std::size_t pos = 0, digits = 0, decimals = 0;
  for (; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++digits) {
    if (digits > 12) return std::nullopt;
    whole = whole * 10 + (text[pos] - '0');
  }
  if (pos < text.size() && text[pos] == '.') {
    for (++pos; pos < text.size() && text[pos] >= '0' && text[pos] <= '9'; ++pos, ++decimals) {
      if (decimals >= 2) return std::nullopt;
      fraction = fraction * 10 + (text[pos] - '0');
    }
    if (decimals == 0) return std::nullopt;
  }
  if (digits == 0 || pos != text.size()) return std::nullopt;
  if (decimals == 1) fraction *= 10;
  return whole * 100 + fraction;
}

std::optional<std::int64_t> json_cents(const nlohmann::json& value) {
  if (value.is_string()) return parse_cents(value.get_ref<const std::string&>());
  if (value.is_number()) {
    const double v = value.get<double>();
    if (!std::isfinite(v) || v < 0 || v > 1e12) return std::nullopt;
    return static_cast<std::int64_t>(std::llround(v * 100));
  }
  return std::nullopt;
}

std::string format_cents(std::int64_t cents) {
  char buf[32];
  const char* sign = cents < 0 ? "-" : "";
  const auto abs = cents < 0 ? -cents : cents;
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", sign, static_cast<long long>(abs / 100),
                static_cast<long long>(abs % 100));
  return buf;
}

double cents_to_number(std::int64_t cents) {
  return static_cast<double>(cents) / 100.0;
}

}  // namespace ils_emulator
