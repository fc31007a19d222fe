// Typed messages: every vector reads into its struct and writes back to the same message.
#define BOOST_TEST_MODULE sip2_typed
#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "sip2/typed.hpp"
#include "vector_support.hpp"

namespace {

const nlohmann::json& vectors() {
  static const nlohmann::json v = sip2::test::load_vectors();
  return v;
}

template <class T>
const T& as(const sip2::AnyMessage& m) {
  BOOST_TEST_REQUIRE(std::holds_alternative<T>(m));
  return std::get<T>(m);
}

sip2::AnyMessage typed(std::string_view raw) {
  auto m = sip2::decode(raw, sip2::test::utf8_dialect());
  BOOST_TEST_REQUIRE(m.has_value());
  auto t = sip2::to_typed(*m);
  BOOST_TEST_REQUIRE(t.has_value());
  return *t;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_well_formed_vector_reads_into_the_struct_of_its_command) {
  for (const auto& v : vectors()) {
    if (v.value("malformed", false)) continue;
    const std::string raw = v["raw"];
    BOOST_TEST_CONTEXT(raw) {
      auto m = sip2::decode(raw, sip2::test::utf8_dialect());
      BOOST_TEST_REQUIRE(m.has_value());
      auto t = sip2::to_typed(*m);
      if (m->spec() == nullptr) {
        BOOST_TEST(!t.has_value());
        continue;
      }
      BOOST_TEST_REQUIRE(t.has_value());
      BOOST_TEST(sip2::spec(sip2::command_of(*t)).code == v["command"].get<std::string>());

      const sip2::Message back = sip2::to_message(*t);
      BOOST_TEST(back.fixed == m->fixed);
      // Every field survives, in order per code; only empty required fields may be added.
      for (const auto& f : m->fields)
        BOOST_TEST(std::count(back.fields.begin(), back.fields.end(), f) ==
                   std::count(m->fields.begin(), m->fields.end(), f));
      for (const auto& f : back.fields)
        if (std::count(m->fields.begin(), m->fields.end(), f) == 0) BOOST_TEST(f.value.empty());
      auto again = sip2::to_typed(back);
      BOOST_TEST_REQUIRE(again.has_value());
      BOOST_TEST((*again == *t));
    }
  }
}

BOOST_AUTO_TEST_CASE(every_lenient_reading_converts_without_failing) {
  for (const auto& v : vectors()) {
    auto m =
        sip2::decode(v["raw"].get<std::string>(), sip2::test::utf8_dialect(), sip2::Mode::lenient);
    if (!m || m->spec() == nullptr) continue;
    auto t = sip2::to_typed(*m);
    BOOST_TEST(t.has_value());
    if (t) BOOST_TEST(sip2::encode(*t, sip2::test::utf8_dialect()).has_value());
  }
}

BOOST_AUTO_TEST_CASE(patron_status_request_exposes_its_fields) {
  const auto t = typed("2300120080623    172148AOUWOLS|AAbadbarcode|ACterminal|ADbadpin");
  const auto& r = as<sip2::PatronStatusRequest>(t);
  BOOST_TEST(r.language == "001");
  BOOST_TEST(r.transaction_date.year == 2008);
  BOOST_TEST(r.institution_id == "UWOLS");
  BOOST_TEST(r.patron_identifier == "badbarcode");
  BOOST_TEST(r.patron_password.value_or("") == "badpin");
}

BOOST_AUTO_TEST_CASE(unknown_and_repeated_fields_are_kept_in_extra_in_wire_order) {
  const auto t = typed("2300120080623    172148AOX|AAp1|ZZfirst|AAp2|XXsecond");
  const auto& r = as<sip2::PatronStatusRequest>(t);
  BOOST_TEST(r.patron_identifier == "p1");
  BOOST_TEST_REQUIRE(r.extra.size() == 3u);
  BOOST_TEST(r.extra[0].value == "first");
  BOOST_TEST(r.extra[1].value == "p2");
  BOOST_TEST(r.extra[2].value == "second");
}

BOOST_AUTO_TEST_CASE(acs_status_response_writes_supported_messages_and_fixed_widths) {
  sip2::AcsStatusResponse r;
  r.online_status = true;
  r.checkout_ok = true;
  r.timeout_period = 30;
  r.retries_allowed = 3;
  r.date_time_sync = sip2::Timestamp{2026, 11, 23, 10, 0, 0, {' ', ' ', ' ', 'Z'}};
  r.institution_id = "MAIN";
  r.supported_messages.set(static_cast<std::size_t>(sip2::Supported::login));
  r.supported_messages.set(static_cast<std::size_t>(sip2::Supported::checkout));
  auto wire = sip2::encode(sip2::AnyMessage{r});
  BOOST_TEST_REQUIRE(wire.has_value());
  BOOST_TEST(*wire == "98YNYNNN03000320261123   Z1000002.00AOMAIN|BXNYNNNNYNNNNNNNNN|");
  auto back = sip2::decode_typed(*wire);
  BOOST_TEST_REQUIRE(back.has_value());
  BOOST_TEST((as<sip2::AcsStatusResponse>(back->message) == r));
}

BOOST_AUTO_TEST_CASE(checkin_response_round_trips_sorting_extensions) {
  sip2::CheckinResponse r;
  r.ok = true;
  r.alert = true;
  r.transaction_date = sip2::Timestamp{2026, 1, 2, 3, 4, 5};
  r.institution_id = "MAIN";
  r.item_identifier = "3100001";
  r.permanent_location = "Stacks";
  r.sort_bin = "B2";
  r.alert_type = sip2::AlertType::hold_for_other_branch;
  r.destination_location = "Branch";
  r.hold_pickup_date = sip2::Timestamp{2026, 1, 9, 0, 0, 0};
  r.screen_message = {"Hold for another patron", "Put on the cart"};
  auto wire = sip2::encode(sip2::AnyMessage{r}, {}, {.error_detection = true, .sequence = 4});
  BOOST_TEST_REQUIRE(wire.has_value());
  BOOST_TEST(wire->find("CV02|") != std::string::npos);
  auto back = sip2::decode_typed(*wire);
  BOOST_TEST_REQUIRE(back.has_value());
  BOOST_TEST(back->sequence.value_or(-1) == 4);
  BOOST_TEST(back->checksum_valid.value_or(false));
  BOOST_TEST((as<sip2::CheckinResponse>(back->message) == r));
}

BOOST_AUTO_TEST_CASE(patron_information_counts_may_be_blank) {
  sip2::PatronInformationResponse r;
  r.charged_items_count = 2;
  r.institution_id = "MAIN";
  r.patron_identifier = "P1";
  r.personal_name = "Ann";
  r.charged_items = {"I1", "I2"};
  auto m = sip2::to_message(sip2::AnyMessage{r});
  BOOST_TEST(m.fixed[3] == "    ");
  BOOST_TEST(m.fixed[5] == "0002");
  auto back = sip2::to_typed(m);
  BOOST_TEST_REQUIRE(back.has_value());
  BOOST_TEST((as<sip2::PatronInformationResponse>(*back) == r));
}

BOOST_AUTO_TEST_CASE(unknown_command_has_no_typed_form) {
  sip2::Message m;
  m.command = "XY";
  auto t = sip2::to_typed(m);
  BOOST_TEST_REQUIRE(!t.has_value());
  BOOST_TEST((t.error().code == sip2::errc::unknown_command));
}
