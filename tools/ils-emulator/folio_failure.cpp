// Builders for FOLIO error bodies.
#include "folio_failure.hpp"

namespace ils_emulator {

nlohmann::json to_json(const ValidationError& error) {
  nlohmann::json params = nlohmann::json::array();
  for (const auto& [key, value] : error.parameters) {
    params.push_back({{"key", key}, {"value", value}});
  }
  nlohmann::json out = {{"message", error.message}, {"parameters", params}};
  if (!error.code.empty()) out["code"] = error.code;
  return out;
}

FolioFailure validation_failure(const std::vector<ValidationError>& errors) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : errors)
    list.push_back(to_json(e));
  return FolioFailure{422, {{"errors", list}}, {}};
}

FolioFailure text_failure(int status, std::string text) {
  return FolioFailure{status, nullptr, std::move(text)};
}

}  // namespace ils_emulator
