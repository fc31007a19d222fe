// Major types: 0 unsigned, 1 negative, 2 bytes, 3 text, 4 array, 5 map, 7 simple (20 false,
// 21 true, 22 null). Arguments up to 23 are in the head; 24..27 follow in 1, 2, 4 or 8 bytes.
#include "identity/cbor_reader.hpp"

#include <limits>

namespace identity::cbor {

namespace {

constexpr std::uint8_t kUnsigned = 0, kNegative = 1, kBytes = 2, kText = 3, kArray = 4, kMap = 5,
                       kSimple = 7;
constexpr std::uint8_t kFalse = 20, kTrue = 21, kNull = 22;
/// Records nest two deep (record → blocks → block); anything much deeper is not ours.
constexpr int kMaxDepth = 16;

}  // namespace

std::optional<Reader::Head> Reader::peek() const {
  if (at_ >= in_.size()) return std::nullopt;
  const auto first = static_cast<std::uint8_t>(in_[at_]);
  Head h{static_cast<std::uint8_t>(first >> 5), static_cast<std::uint8_t>(first & 0x1f), 0, 1};
  if (h.info < 24) {
    h.argument = h.info;
    return h;
  }
  if (h.info > 27) return std::nullopt;  // indefinite lengths and reserved values
  const std::size_t n = std::size_t{1} << (h.info - 24);
  if (in_.size() - at_ - 1 < n) return std::nullopt;
  for (std::size_t i = 0; i < n; ++i)
    h.argument = (h.argument << 8) | static_cast<std::uint8_t>(in_[at_ + 1 + i]);
  h.size += n;
  return h;
}

std::optional<std::size_t> Reader::map() {
  const auto h = peek();
  if (!h || h->major != kMap || h->argument > in_.size()) return std::nullopt;
  at_ += h->size;
  return static_cast<std::size_t>(h->argument);
}

std::optional<std::size_t> Reader::array() {
  const auto h = peek();
  if (!h || h->major != kArray || h->argument > in_.size()) return std::nullopt;
  at_ += h->size;
  return static_cast<std::size_t>(h->argument);
}

std::optional<std::string_view> Reader::text() {
  const auto h = peek();
  if (!h || h->major != kText || h->argument > in_.size() - at_ - h->size) return std::nullopt;
  const auto out = in_.substr(at_ + h->size, static_cast<std::size_t>(h->argument));
  at_ += h->size + out.size();
  return out;
}

std::optional<std::int64_t> Reader::integer() {
  const auto h = peek();
  constexpr auto max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (!h || (h->major != kUnsigned && h->major != kNegative) || h->argument > max)
    return std::nullopt;
  at_ += h->size;
  const auto v = static_cast<std::int64_t>(h->argument);
  return h->major == kUnsigned ? v : -1 - v;
}

std::optional<bool> Reader::boolean() {
  const auto h = peek();
  if (!h || h->major != kSimple || (h->info != kFalse && h->info != kTrue)) return std::nullopt;
  at_ += h->size;
  return h->info == kTrue;
}

bool Reader::null() {
  const auto h = peek();
  if (!h || h->major != kSimple || h->info != kNull) return false;
  at_ += h->size;
  return true;
}

bool Reader::skip() {
  return skip(0);
}

bool Reader::skip(int depth) {
  const auto h = peek();
  if (!h || depth > kMaxDepth) return false;
  switch (h->major) {
    case kUnsigned:
    case kNegative:
    case kSimple:
      at_ += h->size;
      return true;
    case kBytes:
    case kText:
      if (h->argument > in_.size() - at_ - h->size) return false;
      at_ += h->size + static_cast<std::size_t>(h->argument);
      return true;
    case kArray:
    case kMap: {
      if (h->argument > in_.size()) return false;
      at_ += h->size;
      const std::uint64_t items = h->argument * (h->major == kMap ? 2 : 1);
      for (std::uint64_t i = 0; i < items; ++i)
        if (!skip(depth + 1)) return false;
      return true;
    }
    default:
      return false;  // tags (6) are not written
  }
}

}  // namespace identity::cbor
