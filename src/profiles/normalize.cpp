// Unicode normalization by GNU libunistring (u8_normalize): composed (NFC) for kiosks that
// show precomposed letters only, decomposed (NFD) before a transliteration to ASCII.
#include "profiles/normalize.hpp"

#include <uninorm.h>

#include <cstdlib>
#include <memory>

namespace profiles {

std::string normalize(std::string_view utf8, Normalization form) {
  if (form == Normalization::none || utf8.empty()) return std::string(utf8);
  // ASCII is the same in every form: no call, no allocation (most SIP text).
  bool ascii = true;
  for (char c : utf8)
    ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return std::string(utf8);
  std::size_t length = 0;
  const uninorm_t nf = form == Normalization::nfc ? UNINORM_NFC : UNINORM_NFD;
  std::unique_ptr<uint8_t, decltype(&std::free)> out(
      u8_normalize(nf, reinterpret_cast<const uint8_t*>(utf8.data()), utf8.size(), nullptr,
                   &length),
      &std::free);
  if (!out) return std::string(utf8);  // not valid UTF-8 (EILSEQ) or out of memory
  return std::string(reinterpret_cast<const char*>(out.get()), length);
}

void normalize(sip2::Message& m, Normalization form) {
  if (form == Normalization::none) return;
  for (auto& v : m.fixed)
    v = normalize(v, form);
  for (auto& f : m.fields)
    f.value = normalize(f.value, form);
}

}  // namespace profiles
