// The requests one connection sends, encoded once; framing adds AY/AZ and CR per send.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "bench_options.hpp"
#include "workload.hpp"

namespace bench {

/// Request bodies (no trailer, no terminator) for the kinds a connection uses, encoded once with
/// placeholders for the patron's barcode and PIN so that any patron can be spliced in per send.
/// The connection's own patron is `i mod patrons` and its item `i mod items`, so connections do
/// not share an item while there are enough items.
class RequestSet {
 public:
  RequestSet() = default;
  /// Encodes the login (when configured), a 99, and every kind of the mix.
  [[nodiscard]] static RequestSet build(const BenchOptions& options, std::size_t connection_index);

  /// The body naming the connection's own patron.
  [[nodiscard]] const std::string& body(MessageKind kind) const noexcept {
    return bodies_[static_cast<std::size_t>(kind)];
  }
  /// Writes the body of `kind` naming `patron` into `out` (kinds that name none ignore it).
  /// A patron without a PIN sends no AD, as with the connection's own patron.
  void render(MessageKind kind, const Patron& patron, std::string& out) const;

 private:
  enum class Slot : std::uint8_t { none, barcode, pin_field, wrong_pin_field };
  struct Piece {
    std::string text;
    Slot slot = Slot::none;  ///< what follows `text`
  };

  /// Splits an encoded body at its placeholders.
  static std::vector<Piece> split(const std::string& body);

  std::array<std::vector<Piece>, kKindCount> templates_;
  std::array<std::string, kKindCount> bodies_;
};

/// Writes `body`, then "AY<seq>AZ<sum>" when `error_detection`, then CR, into `out`.
void frame_request(std::string& out, const std::string& body, bool error_detection, int sequence);
/// The same, for a body already in `out`.
void finish_frame(std::string& out, bool error_detection, int sequence);

}  // namespace bench
