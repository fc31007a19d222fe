// The baseline server's answers: one canned, spec-valid response per request type.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace bench {

/// Encodes each response once with the sip2 codec (placeholders for AO, AA and AB), then
/// answers a request by splicing in the ids the request carried, plus AY/AZ when it had AY.
/// Requests with a bad AZ, unknown or truncated requests get a 96.
class CannedResponder {
 public:
  CannedResponder();

  /// Appends the answer to `request` (terminator removed) to `out`, CR included.
  void answer(std::string_view request, std::string& out) const;

 private:
  enum class Slot { none, institution, patron, item };
  struct Piece {
    std::string text;
    Slot slot = Slot::none;  ///< the id that follows `text`
  };
  using Template = std::vector<Piece>;

  /// Splits an encoded body at its placeholders.
  static Template split(const std::string& body);
  const Template* find(std::string_view request_code) const;

  std::vector<std::pair<std::string, Template>> templates_;  ///< request code → response
  std::string resend_;                                       ///< 96, CR included
};

}  // namespace bench
