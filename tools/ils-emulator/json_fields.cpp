// Non-throwing JSON member access.
#include "json_fields.hpp"

namespace ils_emulator {

using nlohmann::json;

const json& member(const json& object, std::string_view key) {
  static const json null;
  if (!object.is_object()) return null;
  const auto it = object.find(key);
  return it == object.end() ? null : *it;
}

std::string text(const json& object, std::string_view key) {
  return text_or(object, key, {});
}

std::string text_or(const json& object, std::string_view key, std::string_view fallback) {
  const json& value = member(object, key);
  return value.is_string() ? value.get<std::string>() : std::string(fallback);
}

std::string text(const json& object, std::string_view a, std::string_view b) {
  return text(member(object, a), b);
}

bool flag(const json& object, std::string_view key, bool fallback) {
  const json& value = member(object, key);
  return value.is_boolean() ? value.get<bool>() : fallback;
}

long long integer(const json& object, std::string_view key, long long fallback) {
  const json& value = member(object, key);
  return value.is_number_integer() ? value.get<long long>() : fallback;
}

double number(const json& object, std::string_view key, double fallback) {
  const json& value = member(object, key);
  return value.is_number() ? value.get<double>() : fallback;
}

}  // namespace ils_emulator
