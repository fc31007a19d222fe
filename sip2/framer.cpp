// Incremental SIP2 framing with size limit and resynchronisation.
#include "sip2/framer.hpp"

namespace sip2 {

void Framer::feed(std::string_view bytes) {
  if (start_ > 0 && start_ >= buf_.size() / 2) {
    buf_.erase(0, start_);
    start_ = 0;
  }
  buf_.append(bytes);
}

bool Framer::has_partial_frame() const noexcept {
  for (std::size_t i = start_; i < buf_.size(); ++i) {
    if (buf_[i] != '\n') return true;
  }
  return skipping_;
}

Framer::Event Framer::next() {
  for (;;) {
    // A LF at the start of a frame is the tail of a CRLF or a stray (Cen-Tec, RUBY fixtures);
    // while skipping an overlong frame it is that frame's terminator instead.
    if (scanned_ == 0 && !skipping_) {
      while (start_ < buf_.size() && buf_[start_] == '\n')
        ++start_;
    }
    std::size_t end = std::string::npos;
    for (std::size_t i = start_ + scanned_; i < buf_.size(); ++i) {
      const char c = buf_[i];
      if (c == '\r' || (c == '\n' && options_.accept_lf)) {
        end = i;
        break;
      }
      if (c == '\0') saw_nul_ = true;
    }
    if (end == std::string::npos) {
      scanned_ = buf_.size() - start_;
      if (skipping_) {
        start_ = buf_.size();
        scanned_ = 0;
        return {};
      }
      if (scanned_ > options_.max_frame_length) {
        skipping_ = true;
        saw_nul_ = false;
        start_ = buf_.size();
        scanned_ = 0;
        return {Status::error, {}, errc::frame_too_long};
      }
      return {};
    }
    const std::string_view frame(buf_.data() + start_, end - start_);
    const bool was_skipping = skipping_;
    const bool had_nul = saw_nul_;
    start_ = end + 1;
    scanned_ = 0;
    skipping_ = false;
    saw_nul_ = false;
    if (was_skipping) continue;  // the tail of an overlong frame: resynchronised now
    if (frame.size() > options_.max_frame_length) return {Status::error, {}, errc::frame_too_long};
    if (had_nul) return {Status::error, {}, errc::nul_byte};
    return {Status::frame, frame, {}};
  }
}

}  // namespace sip2
