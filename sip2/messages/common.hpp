// Shared member types of the typed SIP2 messages.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sip2/command.hpp"
#include "sip2/field_code.hpp"
#include "sip2/message.hpp"
#include "sip2/timestamp.hpp"
#include "sip2/values.hpp"

namespace sip2 {

using OptText = std::optional<std::string>;
using Lines = std::vector<std::string>;
using OptFlag = std::optional<bool>;

}  // namespace sip2
