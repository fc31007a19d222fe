// Which patron each request names: the emulator's generated patrons, and the per-request choice.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace bench {

/// A test patron; the PIN is sent as AD and never printed.
struct Patron {
  std::string barcode;
  std::string pin;
};

/// The ils-emulator's generated patron `n` (`--generate-patrons`): barcode `29`, `n` in 11
/// digits, a Luhn digit over those 13; PIN the barcode's last four digits.
[[nodiscard]] Patron generated_patron(std::uint64_t n);

/// The Luhn check digit of a string of decimal digits.
[[nodiscard]] char luhn_digit(std::string_view digits) noexcept;

/// "FIRST-LAST" (inclusive) or "COUNT" (0 to COUNT - 1): a range of generated patron numbers,
/// as [first, last].
[[nodiscard]] tl::expected<std::pair<std::uint64_t, std::uint64_t>, std::string> parse_patron_range(
    std::string_view text);

/// A PIN that is surely not `pin`: every digit moved by 5 (other characters kept); "5" is
/// appended when there is no digit to move.
[[nodiscard]] std::string wrong_pin(std::string_view pin);

/// How a connection picks the patron of each request that names one.
enum class PatronChoice : std::uint8_t {
  fixed,   ///< connection i always names patron i mod n
  random,  ///< each request a uniformly random patron, from a per-connection seeded generator
  once,    ///< each patron exactly once across the run, in order; the run ends after the last
};

[[nodiscard]] std::optional<PatronChoice> parse_patron_choice(std::string_view text) noexcept;
[[nodiscard]] std::string_view patron_choice_name(PatronChoice choice) noexcept;

/// Hands out patron indexes below `count` for one connection. `shared` is the run's counter for
/// `once` (one for all connections); it may be null for the other choices.
class PatronPicker {
 public:
  PatronPicker(PatronChoice choice, std::size_t count, std::size_t connection_index,
               std::atomic<std::uint64_t>* shared);

  /// The next patron index; nullopt once `once` has handed out every patron.
  [[nodiscard]] std::optional<std::size_t> next() noexcept;

 private:
  PatronChoice choice_;
  std::size_t count_;
  std::size_t fixed_;
  std::uint64_t state_;  ///< splitmix64 state for `random`
  std::atomic<std::uint64_t>* shared_;
};

}  // namespace bench
