// Patron PINs kept out of scripts and traces: from a PIN file, or SIP2_PIN.
#include "pin_book.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace sip2_client {

tl::expected<PinBook, std::string> PinBook::load(const std::optional<std::string>& file) {
  PinBook book;
  if (const char* env = std::getenv("SIP2_PIN")) book.fallback_ = env;
  if (!file) return book;
  std::ifstream in(*file);
  if (!in) return tl::unexpected("--pin-file: cannot read '" + *file + "'");
  for (std::string line; std::getline(in, line);) {
    std::istringstream words(line);
    std::string first, second;
    if (!(words >> first)) continue;
    if (words >> second)
      book.by_patron_[first] = second;
    else
      book.fallback_ = first;
  }
  return book;
}

std::optional<std::string> PinBook::find(std::string_view patron) const {
  if (const auto it = by_patron_.find(patron); it != by_patron_.end()) return it->second;
  return fallback_;
}

}  // namespace sip2_client
