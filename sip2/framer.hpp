// Splits a byte stream into SIP2 frames: bytes in, frames out.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>

#include "sip2/dialect.hpp"
#include "sip2/errc.hpp"

namespace sip2 {

struct FramerOptions {
  std::size_t max_frame_length = kDefaultMaxFrameLength;  ///< terminator excluded
  bool accept_lf = true;  ///< a bare LF also ends a frame (some units send LF only)
};

/// Incremental framer. CR ends a frame; a LF right after it (CRLF) or at the start of a frame is
/// dropped. A frame over the limit is reported once as `frame_too_long` and skipped up to the next
/// terminator; a frame holding NUL is reported as `nul_byte` when its terminator arrives.
class Framer {
 public:
  enum class Status { frame, need_more, error };
  struct Event {
    Status status = Status::need_more;
    std::string_view frame;  ///< valid until the next feed()
    std::error_code error;
  };

  explicit Framer(FramerOptions options = {}) : options_(options) {}

  /// Appends received bytes.
  void feed(std::string_view bytes);
  /// The next frame or error, or need_more. Call until need_more after each feed().
  [[nodiscard]] Event next();
  /// Changes the size limit from the next byte on (a profile re-bound at login may change it);
  /// what is buffered stays.
  void set_max_frame_length(std::size_t n) noexcept { options_.max_frame_length = n; }
  /// Whether a bare LF ends a frame from the next byte on (a profile's inbound terminators).
  void set_accept_lf(bool accept) noexcept { options_.accept_lf = accept; }
  /// True when bytes of an unfinished frame are buffered (for the partial-frame timeout).
  bool has_partial_frame() const noexcept;
  /// Bytes buffered and not yet returned.
  std::size_t buffered() const noexcept { return buf_.size() - start_; }

 private:
  FramerOptions options_;
  std::string buf_;
  std::size_t start_ = 0;
  std::size_t scanned_ = 0;  ///< bytes after start_ already known to hold no terminator
  bool skipping_ = false;    ///< inside an overlong frame, dropping bytes to the terminator
  bool saw_nul_ = false;     ///< the current frame holds a NUL
};

}  // namespace sip2
