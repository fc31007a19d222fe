// Strict validation of fixed-field characters by kind.
#include "sip2/fixed_kind.hpp"

#include <algorithm>

#include "sip2/timestamp.hpp"

namespace sip2 {
namespace {

bool all_of(std::string_view v, auto pred) {
  return std::all_of(v.begin(), v.end(), pred);
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_y_or_blank(char c) {
  return c == 'Y' || c == ' ';
}

}  // namespace

bool fixed_value_ok(FixedKind kind, std::string_view v) noexcept {
  switch (kind) {
    case FixedKind::yes_no:
      return v == "Y" || v == "N";
    case FixedKind::one_zero:
      return v == "1" || v == "0";
    case FixedKind::yes_no_unknown:
      return v == "Y" || v == "N" || v == "U";
    case FixedKind::date:
      return parse_timestamp(v).has_value() && v != "000000000000000000";
    case FixedKind::date_or_blank:
      return parse_optional_timestamp(v).has_value() && v.size() == kDateWidth;
    case FixedKind::date_or_zeros:
      return parse_timestamp(v).has_value();
    case FixedKind::digits:
      return !v.empty() && all_of(v, is_digit);
    case FixedKind::digits_or_blank:
      return !v.empty() && (all_of(v, is_digit) || all_of(v, [](char c) { return c == ' '; }));
    case FixedKind::patron_status:
      return v.size() == 14 && all_of(v, is_y_or_blank);
    case FixedKind::summary:
      return v.size() == 10 && all_of(v, is_y_or_blank);
    case FixedKind::version:
      return v.size() == 4 && is_digit(v[0]) && v[1] == '.' && is_digit(v[2]) && is_digit(v[3]);
    case FixedKind::currency:
      return v.size() == 3 &&
             (all_of(v, [](char c) { return c >= 'A' && c <= 'Z'; }) || v == "   ");
    case FixedKind::hold_mode:
      return v == "+" || v == "-" || v == "*";
    case FixedKind::status_code:
      return v == "0" || v == "1" || v == "2";
    case FixedKind::any:
      return !v.empty();
  }
  return false;
}

}  // namespace sip2
