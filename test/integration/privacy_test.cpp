// The real gateway's log after a busy session holds no PIN, no terminal password and no raw
// patron barcode, whatever the requests (good, refused, malformed) carried; and its files at rest
// (the identity cache's LMDB store) hold no identifier, name or PIN of any demo patron.
#define BOOST_TEST_MODULE integration_privacy
#include <signal.h>

#include <boost/test/unit_test.hpp>
#include <cctype>
#include <set>

#include "checks.hpp"
#include "gateway_stack.hpp"
#include "requests.hpp"

namespace integration {
namespace {

/// Every maximal run of letters and digits in `text` (a PIN inside a hex pseudonym is no PIN).
std::set<std::string> words(const std::string& text) {
  std::set<std::string> runs;
  std::string run;
  for (char c : text + " ") {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      run.push_back(c);
    } else if (!run.empty()) {
      runs.insert(run);
      run.clear();
    }
  }
  return runs;
}

/// Drives one session through good, refused and malformed requests.
void busy_session(GatewayStack& stack) {
  auto intruder = stack.connect();
  (void)answer(intruder.exchange(req::login("kiosk1", "wrong-terminal-secret")), "94");
  auto kiosk = stack.login();
  (void)answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin)), "24");
  (void)answer(kiosk.exchange(req::patron_status(req::kAda, "9876")), "24");
  (void)answer(kiosk.exchange(req::patron_status(req::kUnknownPatron, "4321")), "24");
  (void)answer(kiosk.exchange(req::patron_information(req::kAda, req::kAdaPin, "YYYYYY    ")),
               "64");
  (void)answer(kiosk.exchange(req::checkout(req::kAda, req::kAvailableBook, req::kAdaPin)), "12");
  (void)answer(kiosk.exchange(req::checkout(req::kBoris, req::kHeldItem, "2222")), "12");
  (void)answer(kiosk.exchange(req::renew(req::kAda, req::kAdasLoan, req::kAdaPin)), "30");
  (void)answer(kiosk.exchange(req::checkin(req::kAvailableBook)), "10");
  (void)answer(kiosk.exchange(req::fee_paid(req::kFarah, req::kFarahPin, "2.00")), "38");
  (void)answer(kiosk.exchange(req::hold('+', req::kAda, req::kHeldItem, req::kAdaPin)), "16");
  (void)answer(kiosk.exchange(req::end_session(req::kAda)), "36");
  std::string bad = req::with_error_detection(req::patron_status(req::kAda, req::kAdaPin), 2);
  bad.replace(bad.size() - 4, 4, "0000");
  (void)answer(kiosk.exchange(bad), "96");
  (void)answer(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin) + std::string(9000, 'x')),
               "96");
  std::string nul = req::patron_status(req::kFarah, req::kFarahPin);
  nul.insert(6, 1, '\0');
  (void)answer(kiosk.exchange(nul), "96");
  // A non-conforming frame read leniently (a short fixed part) is logged as such.
  (void)answer(kiosk.exchange("2300" + req::now() + "AOMAIN|AA" + std::string(req::kFarah) + "|AD" +
                              std::string(req::kFarahPin) + "|"),
               "24");
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(log_holds_no_pin_password_or_patron_barcode, GatewayStack) {
  busy_session(*this);
  BOOST_REQUIRE(gateway().signal(SIGTERM));
  BOOST_REQUIRE(gateway().wait_exit(Clock::now() + 10s).has_value());
  const std::string log = gateway_log();
  BOOST_REQUIRE_MESSAGE(log.find("request") != std::string::npos, "the log is empty: " << log);

  for (std::string_view secret :
       {req::kTerminalPassword, std::string_view("wrong-terminal-secret")})
    BOOST_TEST(log.find(secret) == std::string::npos, "the log holds the password " << secret);
  const auto runs = words(log);
  for (std::string_view patron : {req::kAda, req::kBoris, req::kFarah, req::kUnknownPatron})
    BOOST_TEST(log.find(patron) == std::string::npos, "the log holds patron barcode " << patron);
  for (std::string_view pin : {req::kAdaPin, req::kFarahPin, std::string_view("9876"),
                               std::string_view("4321"), std::string_view("2222")})
    BOOST_TEST(runs.count(std::string(pin)) == 0u, "the log holds PIN " << pin);
  BOOST_TEST(log.find("AD1234") == std::string::npos);
  BOOST_TEST(log.find("AA2123") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(json_log_holds_no_pin_password_or_patron_barcode) {
  GatewayStack stack({[](nlohmann::json& c) { c["logging"]["format"] = "json"; }, true});
  busy_session(stack);
  BOOST_REQUIRE(stack.gateway().signal(SIGTERM));
  BOOST_REQUIRE(stack.gateway().wait_exit(Clock::now() + 10s).has_value());
  const std::string log = stack.gateway_log();
  BOOST_TEST(log.find(req::kTerminalPassword) == std::string::npos);
  const auto runs = words(log);
  for (std::string_view patron : {req::kAda, req::kFarah})
    BOOST_TEST(log.find(patron) == std::string::npos, "the JSON log holds " << patron);
  for (std::string_view pin : {req::kAdaPin, req::kFarahPin})
    BOOST_TEST(runs.count(std::string(pin)) == 0u, "the JSON log holds PIN " << pin);
}

BOOST_FIXTURE_TEST_CASE(store_files_hold_no_identifier_name_or_pin, GatewayStack) {
  BOOST_REQUIRE_MESSAGE(wait_for_full_pass(), "no full pass: " << gateway_log());
  busy_session(*this);  // PINs checked (verifiers written), lockout counted, records refreshed
  BOOST_REQUIRE(gateway().signal(SIGTERM));
  BOOST_REQUIRE(gateway().wait_exit(Clock::now() + 10s).has_value());

  std::string bytes;  // every file of the store, concatenated
  std::size_t files = 0;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir() / "data" / "store")) {
    if (!f.is_regular_file()) continue;
    ++files;
    bytes += read_file(f.path());
  }
  BOOST_REQUIRE_GE(files, 1u);
  BOOST_REQUIRE_GT(bytes.size(), 4096u);
  // What the demo library says of every user: identifiers, names, e-mail, PIN.
  const auto library = nlohmann::json::parse(
      read_file(source_root() / "config" / "demo-library.json"), nullptr, false);
  BOOST_REQUIRE(library.is_object());
  std::size_t checked = 0;
  for (const auto& u : library["users"]) {
    std::vector<std::string> secrets;
    for (const char* key : {"barcode", "username", "externalSystemId"})
      if (u.contains(key) && u[key].is_string()) secrets.push_back(u[key].get<std::string>());
    const auto& p = u.value("personal", nlohmann::json::object());
    const std::string first = p.value("firstName", ""), last = p.value("lastName", "");
    if (!first.empty() && !last.empty()) secrets.push_back(first + " " + last);
    if (p.contains("email")) secrets.push_back(p["email"].get<std::string>());
    for (const auto& s : secrets) {
      if (s.size() < 6) continue;  // too short to tell from chance in binary data
      ++checked;
      BOOST_TEST(bytes.find(s) == std::string::npos,
                 "the store holds a demo user's identifier, name or e-mail");
    }
  }
  BOOST_TEST(checked >= 100u);
  // A PIN stored in clear would be a 4-character text: CBOR (0x64) or JSON ("1234").
  for (std::string_view pin : {req::kAdaPin, req::kFarahPin, std::string_view("2222")}) {
    BOOST_TEST(bytes.find("\x64" + std::string(pin)) == std::string::npos, "a PIN in CBOR");
    BOOST_TEST(bytes.find("\"" + std::string(pin) + "\"") == std::string::npos, "a PIN in JSON");
  }
}

}  // namespace integration
