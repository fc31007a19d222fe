// Prints an Exchange for people (pretty, optionally coloured) or for scripts (JSON lines).
#pragma once

#include <chrono>
#include <iosfwd>
#include <string>

#include "exchanger.hpp"
#include "pretty.hpp"

namespace sip2_client {

/// Where and how exchanges are printed. Secrets (CO, AC, AD) are always masked.
struct PrintOptions {
  bool json = false;       ///< one JSON object per response on `out` (decode format + "rtt_ms")
  bool show_wire = false;  ///< the bytes sent and received: on `out`, or on `err` with json
  PrettyOptions pretty;
  sip2::Charset charset = sip2::Charset::utf8;  ///< of the wire bytes, for showing them
  std::chrono::milliseconds timeout{10'000};    ///< named in "timed out after" messages
};

class ExchangePrinter {
 public:
  ExchangePrinter(std::ostream& out, std::ostream& err, PrintOptions options)
      : out_(out), err_(err), options_(options) {}

  /// "== connected: TLS v1.2 <suite> localhost:6443" (pretty only).
  void print_connected(const std::string& description);
  /// The request line (pretty), the wire (when asked), then the response or why none came.
  void print(const Exchange& exchange);

 private:
  void print_wire(std::string_view label, std::string_view bytes);
  void print_json(const Exchange& exchange);
  void print_pretty(const Exchange& exchange);
  void print_missing(const Exchange& exchange);

  std::ostream& out_;
  std::ostream& err_;
  PrintOptions options_;
};

}  // namespace sip2_client
