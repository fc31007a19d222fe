// The HTTP server: Okapi's tenant and token checks, injected faults, then the FOLIO routes.
#pragma once

#include <memory>
#include <string>

#include <httplib.h>
#include <tl/expected.hpp>

#include "fault_injector.hpp"
#include "library.hpp"
#include "routes.hpp"
#include "token_store.hpp"

namespace ils_emulator {

/// One emulated Okapi endpoint for one tenant.
class EmulatorServer {
 public:
  EmulatorServer(std::unique_ptr<Library> library, std::string tenant);
  EmulatorServer(const EmulatorServer&) = delete;
  EmulatorServer& operator=(const EmulatorServer&) = delete;

  /// Binds the listening socket; returns the actual port (useful with port 0).
  [[nodiscard]] tl::expected<int, std::string> bind(const std::string& host, int port);
  /// Serves until stop(); false when the server could not run.
  bool run();
  /// Stops serving and wakes requests waiting on injected latency; thread-safe.
  void stop();

 private:
  /// Okapi's refusal of a request without a valid tenant or token, if any.
  [[nodiscard]] bool refuse_unauthorized(const httplib::Request& req, httplib::Response& res);
  /// Faults and refusals answered before any route; closes a connection whose request body
  /// was left unread.
  [[nodiscard]] httplib::Server::HandlerResponse before_routing(const httplib::Request& req,
                                                                httplib::Response& res);
  [[nodiscard]] httplib::Server::HandlerResponse answer_before_routing(const httplib::Request& req,
                                                                       httplib::Response& res);
  /// Loses the answer of a request the routes applied when a lost answer is pending for it.
  void after_routing(const httplib::Request& req, httplib::Response& res);

  std::unique_ptr<Library> library_;
  TokenStore tokens_;
  FaultInjector faults_;
  EmulatorContext context_;
  httplib::Server server_;
};

}  // namespace ils_emulator
