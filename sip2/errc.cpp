// The codec's error category and error names.
#include "sip2/errc.hpp"

#include <string>

namespace sip2 {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sip2"; }
  std::string message(int value) const override {
    return std::string(to_string(static_cast<errc>(value)));
  }
};

}  // namespace

const std::error_category& error_category() noexcept {
  static const Category category;
  return category;
}

std::string_view to_string(errc e) noexcept {
  switch (e) {
    case errc::frame_too_long:
      return "frame_too_long";
    case errc::nul_byte:
      return "nul_byte";
    case errc::empty_message:
      return "empty_message";
    case errc::truncated:
      return "truncated";
    case errc::truncated_fixed_field:
      return "truncated_fixed_field";
    case errc::bad_fixed_field:
      return "bad_fixed_field";
    case errc::bad_date:
      return "bad_date";
    case errc::bad_field:
      return "bad_field";
    case errc::field_too_long:
      return "field_too_long";
    case errc::missing_required_field:
      return "missing_required_field";
    case errc::bad_encoding:
      return "bad_encoding";
    case errc::control_character:
      return "control_character";
    case errc::missing_checksum:
      return "missing_checksum";
    case errc::checksum_mismatch:
      return "checksum_mismatch";
    case errc::unknown_command:
      return "unknown_command";
    case errc::bad_value:
      return "bad_value";
    case errc::bad_json:
      return "bad_json";
  }
  return "unknown_error";
}

}  // namespace sip2
