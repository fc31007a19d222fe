// Strict validation of fixed-field characters by kind.
#pragma once

#include <string_view>

#include "sip2/command.hpp"

namespace sip2 {

/// True when `value` (exactly the field's width) is valid for `kind` under the spec.
bool fixed_value_ok(FixedKind kind, std::string_view value) noexcept;

}  // namespace sip2
