// Seed field checks.
#include "seed_schema.hpp"

namespace ils_emulator {
namespace {

bool has_type(const nlohmann::json& v, FieldType type) {
  switch (type) {
    case FieldType::string:
      return v.is_string();
    case FieldType::boolean:
      return v.is_boolean();
    case FieldType::number:
      return v.is_number();
    case FieldType::integer:
      return v.is_number_integer();
    case FieldType::object:
      return v.is_object();
    case FieldType::array:
      return v.is_array();
  }
  return false;
}

std::string_view type_name(FieldType type) {
  switch (type) {
    case FieldType::string:
      return "a string";
    case FieldType::boolean:
      return "true or false";
    case FieldType::number:
      return "a number";
    case FieldType::integer:
      return "an integer";
    case FieldType::object:
      return "an object";
    case FieldType::array:
      return "an array";
  }
  return "?";
}

}  // namespace

std::optional<std::string> check_fields(const nlohmann::json& value, const std::string& path,
                                        std::initializer_list<FieldSpec> fields) {
  if (!value.is_object()) return path + ": must be an object";
  for (const auto& f : fields) {
    const auto it = value.find(std::string(f.key));
    if (it == value.end()) {
      if (f.required) return path + "." + std::string(f.key) + ": missing";
      continue;
    }
    if (!has_type(*it, f.type)) {
      return path + "." + std::string(f.key) + ": must be " + std::string(type_name(f.type));
    }
    if (f.type == FieldType::string && f.required && it->get_ref<const std::string&>().empty()) {
      return path + "." + std::string(f.key) + ": must not be empty";
    }
  }
  return std::nullopt;
}

std::optional<std::string> check_array(const nlohmann::json& seed, std::string_view key,
                                       bool required) {
  const auto it = seed.find(std::string(key));
  if (it == seed.end()) {
    return required ? std::optional<std::string>(std::string(key) + ": missing") : std::nullopt;
  }
  if (!it->is_array()) return std::string(key) + ": must be an array";
  return std::nullopt;
}

std::string element_path(std::string_view path, std::size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

}  // namespace ils_emulator
