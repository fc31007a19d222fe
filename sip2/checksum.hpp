// SIP2 error detection: the AZ checksum and the AY sequence digit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sip2/dialect.hpp"

namespace sip2 {

/// 16-bit two's complement of the sum over `covered` (message bytes up to and including "AZ").
/// With `code_points`, sums the Unicode code points of `covered` decoded from `charset`.
std::uint16_t checksum(std::string_view covered, ChecksumBasis basis = ChecksumBasis::bytes,
                       Charset charset = Charset::utf8);

/// Four uppercase hex digits.
std::string checksum_hex(std::uint16_t value);

/// Parses four hex digits (either case).
std::optional<std::uint16_t> parse_checksum_hex(std::string_view hex) noexcept;

/// The next sequence digit: 0–9, wrapping.
constexpr int next_sequence(int seq) noexcept {
  return (seq + 1) % 10;
}

/// Appends "AY<seq>AZ<checksum>" (or only "AZ…" when `seq` is empty, as for 96/97); the hex
/// digits in lower case when `lower_hex`.
void append_error_detection(std::string& wire, std::optional<int> seq, ChecksumBasis basis,
                            Charset charset, bool lower_hex = false);

}  // namespace sip2
