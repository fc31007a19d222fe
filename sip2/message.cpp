// Lookups on the generic message.
#include "sip2/message.hpp"

namespace sip2 {

const std::string* Message::find(FieldCode code) const noexcept {
  for (const auto& f : fields) {
    if (f.code == code) return &f.value;
  }
  return nullptr;
}

std::vector<std::string_view> Message::find_all(FieldCode code) const {
  std::vector<std::string_view> out;
  for (const auto& f : fields) {
    if (f.code == code) out.emplace_back(f.value);
  }
  return out;
}

const std::string* Message::fixed_value(std::string_view name) const noexcept {
  const CommandSpec* s = spec();
  if (s == nullptr) return nullptr;
  for (std::size_t i = 0; i < s->fixed.size() && i < fixed.size(); ++i) {
    if (s->fixed[i].name == name) return &fixed[i];
  }
  return nullptr;
}

}  // namespace sip2
