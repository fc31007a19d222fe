// The client's human rendering: names, spelled-out flags and codes, masking, colour on request.
#define BOOST_TEST_MODULE sip2_client_pretty
#include <boost/test/unit_test.hpp>

#include <string>

#include "pretty.hpp"
#include "secret_mask.hpp"
#include "sip2/codec.hpp"
#include "value_names.hpp"

namespace {

sip2::Message decoded(std::string_view frame) {
  auto m = sip2::decode(frame, {}, sip2::Mode::strict);
  BOOST_TEST_REQUIRE(m.has_value(), frame);
  return *m;
}

bool shows(const std::string& text, std::string_view expected) {
  return text.find(expected) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(masks_passwords_in_raw_frames) {
  BOOST_TEST(sip2_client::mask_secrets("9300CNstaff|COsecret|CPLOC1|") ==
             "9300CNstaff|CO****|CPLOC1|");
  BOOST_TEST(sip2_client::mask_secrets("2300020261123    101500AOMAIN|AA1|AC|AD1234|") ==
             "2300020261123    101500AOMAIN|AA1|AC|AD****|");
  BOOST_TEST(sip2_client::mask_secrets("93COsecret|CNstaff") == "93CO****|CNstaff");
  BOOST_TEST(sip2_client::mask_secrets("9300CNstaff|COsecret") == "9300CNstaff|CO****");
  BOOST_TEST(sip2_client::mask_secrets("9900302.00") == "9900302.00");
}

BOOST_AUTO_TEST_CASE(masks_passwords_in_decoded_messages_and_their_rendering) {
  const auto m = decoded("2300020261123    101500AOMAIN|AA1|ACt3rm|AD1234|");
  const auto masked = sip2_client::mask_secrets(m);
  BOOST_TEST(*masked.find(sip2::field::terminal_password) == "****");
  BOOST_TEST(*masked.find(sip2::field::patron_password) == "****");
  const auto text = sip2_client::render_fields(m, {});
  BOOST_TEST(!shows(text, "1234"), text);
  BOOST_TEST(!shows(text, "t3rm"), text);
  BOOST_TEST(shows(text, "AD patron password: ****"), text);
}

BOOST_AUTO_TEST_CASE(spells_out_patron_status_flags_and_names_fields) {
  const auto text = sip2_client::render_fields(
      decoded("24    Y     Y   00120261123    101500AOMAIN|AA1234|AEJane Doe|BLN|AFHello|"), {});
  BOOST_TEST(shows(text, "patron status: card reported lost, excessive outstanding fines"), text);
  BOOST_TEST(shows(text, "language: 001 (English)"), text);
  BOOST_TEST(shows(text, "transaction date: 2026-11-23 10:15:00"), text);
  BOOST_TEST(shows(text, "AE personal name: Jane Doe"), text);
  BOOST_TEST(shows(text, "BL valid patron: no"), text);
  BOOST_TEST(shows(text, "AF screen message: Hello"), text);
}

BOOST_AUTO_TEST_CASE(spells_out_supported_messages_and_coded_values) {
  const auto acs = sip2_client::render_fields(
      decoded("98YYYYNN9990030000000000000000002.00AOMAIN|BXYNYNNNYNNNNNNNNN|"), {});
  BOOST_TEST(shows(acs, "supported: patron status, checkin, login"), acs);
  BOOST_TEST(shows(acs, "not: checkout, block patron"), acs);
  BOOST_TEST(shows(acs, "timeout period: 999 (unknown)"), acs);
  BOOST_TEST(shows(acs, "date time sync: (not supported)"), acs);
  const auto item =
      sip2_client::render_fields(decoded("1808020420261123    101500ABit|AJTitle|CK001|"), {});
  BOOST_TEST(shows(item, "circulation status: 08 (waiting on hold shelf)"), item);
  BOOST_TEST(shows(item, "security marker: 02 (3M Tattle-Tape security strip)"), item);
  BOOST_TEST(shows(item, "fee type: 04 (overdue)"), item);
  BOOST_TEST(shows(item, "CK media type: 001 (book)"), item);
  const auto checkin =
      sip2_client::render_fields(decoded("101NNY20261123    101500AOMAIN|ABit|AQhome|CV02|"), {});
  BOOST_TEST(shows(checkin, "CV alert type: 02 (hold for another branch)"), checkin);
}

BOOST_AUTO_TEST_CASE(names_unknown_fields_and_shows_the_trailer) {
  sip2::Dialect on;
  on.error_detection = sip2::ErrorDetection::automatic;
  const auto m = sip2::decode("941XXodd|AY3AZFCB5", on, sip2::Mode::lenient);
  BOOST_TEST_REQUIRE(m.has_value());
  const auto text = sip2_client::render_fields(*m, {});
  BOOST_TEST(shows(text, "XX (unknown field): odd"), text);
  BOOST_TEST(shows(text, "AY sequence: 3"), text);
  BOOST_TEST(shows(text, "AZ checksum: FCB5"), text);
}

BOOST_AUTO_TEST_CASE(uses_colour_only_when_asked) {
  const auto m = decoded("941");
  const auto plain = sip2_client::render_response(m, std::chrono::microseconds(1500), {});
  const auto coloured =
      sip2_client::render_response(m, std::chrono::microseconds(1500), {.color = true});
  BOOST_TEST(shows(plain, "<< 94 login response  1.500 ms"), plain);
  BOOST_TEST(!shows(plain, "\x1b["));
  BOOST_TEST(shows(coloured, "\x1b["));
  BOOST_TEST(!sip2_client::color_wanted(true));
}

BOOST_AUTO_TEST_CASE(names_coded_values_from_the_spec_tables) {
  BOOST_TEST(sip2_client::circulation_status_name("13") == "missing");
  BOOST_TEST(sip2_client::circulation_status_name("14") == "");
  BOOST_TEST(sip2_client::fee_type_name("09") == "hold fee");
  BOOST_TEST(sip2_client::alert_type_name("99") == "other / special handling");
  BOOST_TEST(sip2_client::payment_type_name("01") == "VISA");
  BOOST_TEST(sip2_client::language_name("eng") == "");
  BOOST_TEST(sip2_client::summary_names("  Y       ").at(0) == "charged items");
}
