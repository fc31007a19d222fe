// libFuzzer target: the framer against arbitrary bytes fed in arbitrary pieces.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "sip2/framer.hpp"

namespace {

[[noreturn]] void fail() {
  std::abort();
}

/// Feeds everything at once and returns the events; frames copied out.
std::vector<std::string> frames_of(std::string_view data, std::size_t chunk, std::size_t limit) {
  sip2::Framer framer({.max_frame_length = limit});
  std::vector<std::string> out;
  for (std::size_t pos = 0; pos < data.size(); pos += chunk) {
    framer.feed(data.substr(pos, chunk));
    for (;;) {
      auto ev = framer.next();
      if (ev.status == sip2::Framer::Status::need_more) break;
      if (ev.status == sip2::Framer::Status::frame) {
        if (ev.frame.size() > limit) fail();
        if (ev.frame.find('\r') != std::string_view::npos) fail();
        if (ev.frame.find('\0') != std::string_view::npos) fail();
        out.emplace_back(ev.frame);
      } else {
        out.push_back("<error " + std::to_string(ev.error.value()) + ">");
      }
    }
  }
  if (framer.buffered() > data.size()) fail();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the read size and the frame limit; the rest is the stream.
  const std::size_t chunk = 1 + data[0] % 17;
  const std::size_t limit = 16 + (data[0] >> 4) * 64;
  const std::string_view stream(reinterpret_cast<const char*>(data + 1), size - 1);
  // Splitting the stream differently must never change what comes out.
  if (frames_of(stream, chunk, limit) != frames_of(stream, stream.size() + 1, limit)) fail();
  return 0;
}
