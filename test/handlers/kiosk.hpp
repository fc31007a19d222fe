// A logged-in kiosk in front of a FakeBackend with one demo patron and two items, for handler
// tests.
#pragma once

#include <chrono>
#include <string>

#include "config/config.hpp"
#include "fake_backend.hpp"
#include "handlers/catalogue.hpp"
#include "handlers/context.hpp"

namespace fake {

inline constexpr const char* patron_barcode = "21234000000018";
inline constexpr const char* patron_pin = "1234";
inline constexpr const char* book_barcode = "31234000000016";
inline constexpr const char* dvd_barcode = "31234000000024";

/// The last screen message (AF) of any response; empty when it has none.
inline std::string screen_of(const sip2::AnyMessage& m) {
  return std::visit(
      [](const auto& r) -> std::string {
        if constexpr (requires { r.screen_message; })
          return r.screen_message.empty() ? std::string() : r.screen_message.back();
        else
          return {};
      },
      m);
}

/// The handlers' world for one test: backend, catalogue, services and a logged-in terminal.
struct Kiosk {
  FakeBackend backend;
  handlers::Catalogue catalogue;
  handlers::Services services{backend, catalogue, "USD", "Test Library"};
  handlers::Terminal terminal;
  /// The gateway's wall clock in these tests.
  std::chrono::sys_seconds now = std::chrono::sys_days{std::chrono::year{2025} / 3 / 14} +
                                 std::chrono::hours{10} + std::chrono::minutes{30};

  Kiosk() {
    backend.add_patron(patron("p-1", patron_barcode, "Ada Reader"), patron_pin);
    backend.add_item(item("i-1", book_barcode, "The Hidden Orchard", "book"));
    backend.add_item(item("i-2", dvd_barcode, "Night Harbour", "dvd"));
    services.now = [this] { return std::chrono::system_clock::time_point(now); };
    terminal.connection_id = 7;
    terminal.logged_in = true;
    config::Account account;
    account.login = "kiosk1";
    account.institution = "MAIN";
    terminal.account = account;
  }

  /// The bounds of one request with `budget` left before its deadline.
  [[nodiscard]] static handlers::Request request(
      std::chrono::milliseconds budget = std::chrono::seconds(8)) {
    return {"req-1", std::chrono::steady_clock::now() + budget};
  }

  /// Sends one request through handlers::handle and returns the whole outcome.
  [[nodiscard]] handlers::Outcome handle(
      const sip2::AnyMessage& m, std::chrono::milliseconds budget = std::chrono::seconds(8)) {
    return handlers::handle(m, terminal, services, request(budget));
  }

  /// Sends one request and returns its response, of the type the test expects.
  template <class Response>
  [[nodiscard]] Response ask(const sip2::AnyMessage& m,
                             std::chrono::milliseconds budget = std::chrono::seconds(8)) {
    return std::get<Response>(handle(m, budget).response);
  }
};

}  // namespace fake
