// `expect` conditions on the last response: parsing them and checking them.
#pragma once

#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "exchanger.hpp"

namespace sip2_client {

/// One condition, e.g. ok=Y, AF~"blocked", CQ!=N, BV>0, AF?, !AF, rtt_ms<500, command=12.
struct Expectation {
  enum class Op {
    equals,
    not_equals,
    contains,
    not_contains,
    less,
    less_equal,
    greater,
    greater_equal,
    present,
    absent
  };
  std::string text;     ///< as written
  std::string subject;  ///< "command", "rtt_ms", a field code ("AF") or a fixed field name
  Op op = Op::equals;
  std::string value;
};

/// Parses one condition word; an error says what is wrong with it.
[[nodiscard]] tl::expected<Expectation, std::string> parse_expectation(std::string_view word);

/// Whether the condition held and, when it did not, what was found instead. Secret fields
/// (CO, AC, AD) show as ****.
struct Verdict {
  bool held = false;
  std::string found;  ///< e.g. `AF is "Welcome"`, `no AF`, `no response (timed out)`
};
[[nodiscard]] Verdict check(const Expectation& expectation, const Exchange& exchange);

}  // namespace sip2_client
