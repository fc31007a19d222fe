// Patron PINs kept out of scripts and traces: from a PIN file, or SIP2_PIN.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

namespace sip2_client {

/// A PIN file's lines are `BARCODE PIN` (that patron's PIN) or a lone `PIN` (every other
/// patron's); SIP2_PIN, when set, is every other patron's PIN too (the file's lone PIN wins).
class PinBook {
 public:
  /// Reads `file` (when given) and SIP2_PIN. An error names the file.
  [[nodiscard]] static tl::expected<PinBook, std::string> load(
      const std::optional<std::string>& file);
  /// The PIN of `patron`, or nullopt when the book has none for it.
  [[nodiscard]] std::optional<std::string> find(std::string_view patron) const;

 private:
  std::map<std::string, std::string, std::less<>> by_patron_;
  std::optional<std::string> fallback_;
};

}  // namespace sip2_client
