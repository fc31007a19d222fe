// Screen messages (AF): built-in English texts that a site can override and translate.
#pragma once

#include <filesystem>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace handlers {

/// Message texts by key; "{name}" placeholders are filled from the arguments.
class Catalogue {
 public:
  /// The built-in English catalogue.
  Catalogue();
  /// Built-ins overlaid with a site file: a JSON object of key → text. Unknown keys and
  /// placeholders the built-in text lacks are errors ("messages.file: KEY: reason").
  [[nodiscard]] static std::variant<Catalogue, std::vector<std::string>> load(
      const std::filesystem::path& site_file);

  using Args = std::initializer_list<std::pair<std::string_view, std::string_view>>;
  [[nodiscard]] std::string text(std::string_view key, Args args = {}) const;
  /// Every key with its built-in text (documentation and tests).
  [[nodiscard]] static const std::map<std::string, std::string, std::less<>>& builtin();

 private:
  std::map<std::string, std::string, std::less<>> texts_;
};

}  // namespace handlers
