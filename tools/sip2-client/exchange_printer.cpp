// Prints an Exchange for people (pretty, optionally coloured) or for scripts (JSON lines).
#include "exchange_printer.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>

#include "json_message.hpp"
#include "secret_mask.hpp"
#include "sip2/charset.hpp"

namespace sip2_client {
namespace {

constexpr auto kJsonReplace = nlohmann::ordered_json::error_handler_t::replace;

std::string_view command_of(std::string_view wire) {
  return wire.substr(0, 2);
}

double milliseconds(std::chrono::nanoseconds rtt) {
  return std::round(static_cast<double>(rtt.count()) / 1e3) / 1e3;
}

}  // namespace

void ExchangePrinter::print_connected(const std::string& description) {
  if (!options_.json) out_ << render_note("connected: " + description, options_.pretty);
}

void ExchangePrinter::print(const Exchange& x) {
  if (!options_.json) out_ << render_request(command_of(x.sent), options_.pretty);
  if (options_.show_wire) print_wire("sent", x.sent);
  if (options_.show_wire && x.frame) print_wire("recv", *x.frame);
  if (!x.response) {
    print_missing(x);
  } else if (options_.json) {
    print_json(x);
  } else {
    print_pretty(x);
  }
  out_.flush();
}

void ExchangePrinter::print_wire(std::string_view label, std::string_view bytes) {
  const auto masked = mask_secrets(bytes);
  const auto text = sip2::to_utf8(masked, options_.charset, false);
  if (options_.json) {
    err_ << render_wire(label, text ? *text : masked, PrettyOptions{});
  } else {
    out_ << render_wire(label, text ? *text : masked, options_.pretty);
  }
}

void ExchangePrinter::print_json(const Exchange& x) {
  auto j = *x.response ? to_json(mask_secrets(**x.response)) : error_json(x.response->error());
  j["rtt_ms"] = milliseconds(x.rtt);
  out_ << j.dump(-1, ' ', false, kJsonReplace) << '\n';
}

void ExchangePrinter::print_pretty(const Exchange& x) {
  const auto& r = *x.response;
  if (!r) {
    out_ << render_problem("response did not decode: " + r.error().code.message() + " at offset " +
                               std::to_string(r.error().offset) + "  (" + format_rtt(x.rtt) + ")",
                           options_.pretty);
    return;
  }
  out_ << render_response(*r, x.rtt, options_.pretty);
  if (x.sequence && r->sequence && *r->sequence != *x.sequence) {
    out_ << render_problem("response sequence " + std::to_string(*r->sequence) +
                               " does not match the request's " + std::to_string(*x.sequence),
                           options_.pretty);
  }
}

void ExchangePrinter::print_missing(const Exchange& x) {
  std::string why;
  if (x.error == std::errc::timed_out) {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%g s",
                  static_cast<double>(options_.timeout.count()) / 1000);
    why = std::string("timed out after ") + seconds;
  } else if (x.error == std::errc::connection_reset) {
    why = "the server closed the connection";
  } else {
    why = x.error.message();
  }
  err_ << "sip2-client: no response to " << command_of(x.sent) << ": " << why << '\n';
}

}  // namespace sip2_client
