// Charset conversion with glibc iconv, plus a small Latin transliteration table.
#include "sip2/charset.hpp"

#include <iconv.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <memory>

namespace sip2 {
namespace {

constexpr char32_t kReplacementChar = 0xFFFD;

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

const char* iconv_name(Charset c) {
  switch (c) {
    case Charset::ascii:
      return "ASCII";
    case Charset::cp850:
      return "IBM850";
    case Charset::latin1:
      return "ISO-8859-1";
    case Charset::utf8:
      return "UTF-8";
  }
  return "UTF-8";
}

/// One cached iconv descriptor per thread and direction/charset.
class Converter {
 public:
  Converter(const char* to, const char* from) : cd_(iconv_open(to, from)) {}
  ~Converter() {
    if (cd_ != reinterpret_cast<iconv_t>(-1)) iconv_close(cd_);
  }
  Converter(const Converter&) = delete;
  Converter& operator=(const Converter&) = delete;
  iconv_t get() const { return cd_; }

 private:
  iconv_t cd_;
};

iconv_t converter(Charset c, bool to_wire) {
  thread_local std::array<std::unique_ptr<Converter>, 8> cache;
  auto& slot = cache[static_cast<std::size_t>(c) * 2 + (to_wire ? 1 : 0)];
  if (!slot) {
    slot = to_wire ? std::make_unique<Converter>(iconv_name(c), "UTF-8")
                   : std::make_unique<Converter>("UTF-8", iconv_name(c));
  }
  iconv(slot->get(), nullptr, nullptr, nullptr, nullptr);  // reset shift state
  return slot->get();
}

// Base letters of U+00C0..U+00FF and U+0100..U+017F, for transliteration to ASCII.
constexpr std::array<const char*, 64> kLatin1Letters = {
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I",  "I",
    "D", "N", "O", "O", "O", "O", "O",  "x", "O", "U", "U", "U", "U", "Y", "TH", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "/", "o", "u", "u", "u", "u", "y", "th", "y"};
constexpr std::string_view kLatinExtendedA =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiJjJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSs"
    "Ss"
    "SsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";

/// ASCII stand-in for a code point, or empty when there is none.
std::string_view transliterate(char32_t cp) {
  if (cp >= 0x0300 && cp <= 0x036F) return std::string_view("", 0);  // combining mark: drop
  if (cp >= 0xC0 && cp <= 0xFF) return kLatin1Letters[cp - 0xC0];
  if (cp >= 0x100 && cp <= 0x17F) return kLatinExtendedA.substr(cp - 0x100, 1);
  switch (cp) {
    case 0xA0:
      return " ";
    case 0x2018:
    case 0x2019:
    case 0x201A:
      return "'";
    case 0x201C:
    case 0x201D:
    case 0x201E:
      return "\"";
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
      return "-";
    case 0x2026:
      return "...";
    default:
      return {};
  }
}

/// True when every byte is 7-bit: such text is the same in every supported charset, so it needs
/// no conversion (most fields of most messages: barcodes, dates, ids).
bool all_ascii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

char32_t next_code_point(std::string_view s, std::size_t& pos) noexcept {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  std::size_t len = b0 < 0x80         ? 1
                    : (b0 >> 5) == 6  ? 2
                    : (b0 >> 4) == 14 ? 3
                    : (b0 >> 3) == 30 ? 4
                                      : 0;
  if (len == 0 || pos + len > s.size()) {
    ++pos;
    return kReplacementChar;
  }
  char32_t cp = len == 1 ? b0 : b0 & (0x7F >> len);
  for (std::size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if ((b & 0xC0) != 0x80) {
      ++pos;
      return kReplacementChar;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  constexpr std::array<char32_t, 5> kMin = {0, 0, 0x80, 0x800, 0x10000};
  pos += len;
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return kReplacementChar;
  return cp;
}

std::size_t code_point_count(std::string_view s) noexcept {
  std::size_t n = 0;
  for (char c : s)
    n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::string_view code_point_prefix(std::string_view s, std::size_t n) noexcept {
  std::size_t pos = 0;
  for (std::size_t i = 0; i < n && pos < s.size(); ++i)
    next_code_point(s, pos);
  return s.substr(0, pos);
}

tl::expected<std::string, DecodeError> to_utf8(std::string_view wire, Charset charset,
                                               bool strict) {
  if (all_ascii(wire)) return std::string(wire);
  std::string out;
  out.reserve(wire.size());
  if (charset == Charset::utf8 || charset == Charset::ascii) {
    std::size_t pos = 0;
    while (pos < wire.size()) {
      const std::size_t start = pos;
      const char32_t cp = next_code_point(wire, pos);
      const bool bad = (cp == kReplacementChar && wire.substr(start, 3) != "\xEF\xBF\xBD") ||
                       (charset == Charset::ascii && cp >= 0x80);
      if (bad && strict) return tl::unexpected(DecodeError{errc::bad_encoding, start});
      if (bad && charset == Charset::ascii && cp != kReplacementChar) pos = start + 1;
      append_utf8(out, bad ? kReplacementChar : cp);
    }
    return out;
  }
  // IBM850 and ISO-8859-1 map every byte; iconv does the table work.
  iconv_t cd = converter(charset, false);
  out.resize(wire.size() * 3);
  char* in = const_cast<char*>(wire.data());
  std::size_t in_left = wire.size();
  char* dst = out.data();
  std::size_t out_left = out.size();
  if (iconv(cd, &in, &in_left, &dst, &out_left) == static_cast<std::size_t>(-1)) {
    return tl::unexpected(DecodeError{errc::bad_encoding, wire.size() - in_left});
  }
  out.resize(out.size() - out_left);
  return out;
}

std::string from_utf8(std::string_view utf8, Charset charset, Unmappable unmappable,
                      char replacement) {
  if (all_ascii(utf8)) return std::string(utf8);
  std::string out;
  out.reserve(utf8.size());
  if (charset == Charset::utf8) {
    std::size_t pos = 0;
    while (pos < utf8.size())
      append_utf8(out, next_code_point(utf8, pos));
    return out;
  }
  iconv_t cd = converter(charset, true);
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    const std::size_t start = pos;
    const char32_t cp = next_code_point(utf8, pos);
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
      continue;
    }
    std::array<char, 8> buf{};
    char* in = const_cast<char*>(utf8.data() + start);
    std::size_t in_left = pos - start;
    char* dst = buf.data();
    std::size_t out_left = buf.size();
    if (cp != kReplacementChar &&
        iconv(cd, &in, &in_left, &dst, &out_left) != static_cast<std::size_t>(-1)) {
      out.append(buf.data(), buf.size() - out_left);
      continue;
    }
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
    const std::string_view t =
        unmappable == Unmappable::transliterate ? transliterate(cp) : std::string_view{};
    if (t.data() != nullptr) {  // a mapping, possibly empty (a dropped combining mark)
      out.append(t);
    } else {
      out.push_back(replacement);
    }
  }
  return out;
}

}  // namespace sip2
