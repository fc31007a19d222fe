// A decoded SIP2 message in generic form: command, fixed values, fields in wire order, trailer.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sip2/command.hpp"
#include "sip2/field_code.hpp"

namespace sip2 {

/// One variable field; the value is UTF-8.
struct Field {
  FieldCode code;
  std::string value;
  bool operator==(const Field&) const = default;
};

/// Generic message. Unknown commands and unknown fields are kept, in order.
struct Message {
  std::string command;                  ///< wire code, e.g. "23"
  std::vector<std::string> fixed;       ///< fixed values in spec order (UTF-8)
  std::vector<Field> fields;            ///< variable fields in wire order, AY/AZ excluded
  std::optional<int> sequence;          ///< AY digit
  std::optional<std::string> checksum;  ///< AZ as received
  std::optional<bool> checksum_valid;   ///< null when there is no AZ
  bool operator==(const Message&) const = default;

  /// The command's spec, or nullptr for an unknown command.
  const CommandSpec* spec() const noexcept { return find_command(command); }
  /// The first value of a field, or nullptr.
  const std::string* find(FieldCode code) const noexcept;
  /// All values of a field, in order.
  std::vector<std::string_view> find_all(FieldCode code) const;
  /// The fixed value called `name`, or nullptr.
  const std::string* fixed_value(std::string_view name) const noexcept;
};

}  // namespace sip2
