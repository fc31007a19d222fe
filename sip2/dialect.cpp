// Names of dialect values.
#include "sip2/dialect.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace sip2 {

std::optional<Charset> parse_charset(std::string_view name) noexcept {
  std::string n;
  for (char c : name) {
    if (c != '-' && c != '_')
      n.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (n == "ascii" || n == "usascii") return Charset::ascii;
  if (n == "ibm850" || n == "cp850" || n == "850") return Charset::cp850;
  if (n == "iso88591" || n == "latin1") return Charset::latin1;
  if (n == "utf8") return Charset::utf8;
  return std::nullopt;
}

std::string_view to_string(Charset c) noexcept {
  switch (c) {
    case Charset::ascii:
      return "ascii";
    case Charset::cp850:
      return "ibm850";
    case Charset::latin1:
      return "iso-8859-1";
    case Charset::utf8:
      return "utf-8";
  }
  return "utf-8";
}

}  // namespace sip2
