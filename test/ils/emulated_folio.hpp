// The FOLIO backend pointed at a fresh ILS emulator (tools/ils-emulator) seeded with
// test/data/folio/emulator-seed.json, with the emulator's control API at hand.
#pragma once

#include <httplib.h>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "emulator_process.hpp"
#include "ils/folio/folio_backend.hpp"

namespace emulated {

using namespace std::chrono_literals;

inline constexpr const char* jack_barcode = "929074568588779";
inline constexpr const char* reader_barcode = "800000000002";

/// A fresh emulator and a backend pointed at it, counting operations seen by the observer.
struct Emulated {
  emulator::Process process{
      std::getenv("ILS_EMULATOR") ? std::getenv("ILS_EMULATOR") : "",
      std::string(std::getenv("ILS_TEST_DATA") ? std::getenv("ILS_TEST_DATA") : ".") +
          "/emulator-seed.json"};
  std::mutex mutex;
  std::map<std::string, int> operations;
  std::unique_ptr<ils::Backend> backend;

  explicit Emulated(ils::CredentialMode mode = ils::CredentialMode::pin) {
    BOOST_TEST_REQUIRE(!process.url().empty(), "the emulator did not start");
    backend = ils::folio::make_backend(
        config(mode),
        [this](std::string_view operation, std::error_code, std::chrono::nanoseconds) {
          std::lock_guard lock(mutex);
          ++operations[std::string(operation)];
        });
  }

  [[nodiscard]] ils::folio::FolioConfig config(ils::CredentialMode mode) const {
    ils::folio::FolioConfig config;
    config.base_url = process.url();
    config.tenant = "diku";
    config.username = "sip2gw";
    config.password = "gateway-secret";
    config.service_point_id = "3a40852d-49fd-4df2-a1f9-6e2641a6e91f";
    config.patron_verification = mode;
    config.cancellation_reason_id = "75187e8d-e25a-47a7-89ad-23ba612338de";
    return config;
  }

  /// POSTs to the emulator's /_emulator control API.
  void control(const std::string& path, const std::string& body) {
    httplib::Client client(process.url());
    auto res = client.Post(("/_emulator/" + path).c_str(), body, "application/json");
    BOOST_TEST_REQUIRE(static_cast<bool>(res));
    BOOST_TEST_REQUIRE(res->status == 200);
  }

  /// GETs /_emulator/<path> (ledger, stats) as JSON.
  nlohmann::json state(const std::string& path) {
    httplib::Client client(process.url());
    auto res = client.Get(("/_emulator/" + path).c_str());
    BOOST_TEST_REQUIRE(static_cast<bool>(res));
    return nlohmann::json::parse(res->body, nullptr, false);
  }

  int count(const std::string& operation) {
    std::lock_guard lock(mutex);
    return operations[operation];
  }

  ils::Patron patron(const std::string& identifier) {
    auto found = backend->lookup_patron(ctx(), identifier);
    BOOST_TEST_REQUIRE(found.has_value(), identifier << ": " << found.error().message);
    return *found;
  }

  static ils::CallContext ctx(std::chrono::milliseconds budget = 5s) {
    return {"e2e-1", std::chrono::steady_clock::now() + budget};
  }
};

}  // namespace emulated
