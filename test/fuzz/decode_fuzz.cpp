// libFuzzer target: decode never crashes, and what strict decode accepts survives a round trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "sip2/codec.hpp"
#include "sip2/typed.hpp"

namespace {

[[noreturn]] void fail() {
  std::abort();
}

sip2::Message without_trailer(sip2::Message m) {
  m.sequence.reset();
  m.checksum.reset();
  m.checksum_valid.reset();
  return m;
}

void check(std::string_view frame, const sip2::Dialect& dialect) {
  const auto lenient = sip2::decode(frame, dialect, sip2::Mode::lenient);
  // What a server accepts never carries a wrong AZ, however it was read.
  const auto request = sip2::decode_request(frame, dialect);
  if (request && request->frame.checksum_valid == false) fail();
  if (request && lenient && lenient->checksum_valid == false) fail();
  auto m = sip2::decode(frame, dialect, sip2::Mode::strict);
  if (!m) {
    if (m.error().offset > frame.size()) fail();
    return;
  }
  // Strict acceptance implies the generic round trip is exact.
  auto wire = sip2::encode(
      *m, dialect,
      {.error_detection = m->sequence.has_value(), .sequence = m->sequence.value_or(0)});
  if (!wire) fail();
  auto again = sip2::decode(*wire, dialect, sip2::Mode::strict);
  if (!again) fail();
  if (without_trailer(*again) != without_trailer(*m)) fail();
  if (m->sequence && again->checksum_valid != true) fail();
  // And the typed form reads back to itself.
  if (m->spec() == nullptr) return;
  auto typed = sip2::to_typed(*m);
  if (!typed) fail();
  auto typed_again = sip2::to_typed(sip2::to_message(*typed));
  if (!typed_again || !(*typed_again == *typed)) fail();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view frame(reinterpret_cast<const char*>(data), size);
  sip2::Dialect utf8;
  utf8.charset = sip2::Charset::utf8;
  check(frame, utf8);
  check(frame, sip2::Dialect{});  // IBM850, the spec default
  return 0;
}
