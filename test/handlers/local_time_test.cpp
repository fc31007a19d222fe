// SIP dates in the site's time zone: local time with four blanks unless the profile asks for UTC.
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>

#include "handlers/refusal.hpp"
#include "kiosk.hpp"
#include "profiles/profile_registry.hpp"
#include "sip2/timestamp.hpp"
#include "test_config.hpp"

using namespace std::chrono_literals;
using fake::Kiosk;

namespace {

using std::chrono::sys_days;
using std::chrono::year;

/// A kiosk of a site whose config names `zone`.
void in_zone(Kiosk& k, const std::string& zone) {
  k.services.settings = handlers::Settings::from(fake::loaded(R"("timezone": ")" + zone + R"(",)"));
}

sip2::PatronStatusRequest patron_status() {
  sip2::PatronStatusRequest q;
  q.institution_id = "MAIN";
  q.patron_identifier = fake::patron_barcode;
  return q;
}

/// The transaction date of a 24 answered at `now`, as it goes on the wire.
std::string status_date(Kiosk& k, std::chrono::sys_seconds now) {
  k.now = now;
  return sip2::format_timestamp(
      k.ask<sip2::PatronStatusResponse>(patron_status()).transaction_date);
}

/// The dialect of a profile whose `dates` section is `dates`.
sip2::Dialect profile_with_dates(const std::string& dates) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("sip2gw-dates-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "p.json") << R"({"schema_version":1,"profile_id":"p","dates":)" << dates
                                << "}";
  auto r = profiles::ProfileRegistry::load(dir);
  fs::remove_all(dir);
  if (auto* e = std::get_if<std::vector<std::string>>(&r))
    BOOST_FAIL("profile refused: " << (e->empty() ? std::string() : e->front()));
  return std::get<profiles::ProfileRegistry>(r).find("p")->dialect;
}

/// The return date the library system was given for a check-in dated `wire` by the kiosk.
ils::Timestamp return_date_sent(Kiosk& k, const std::string& wire) {
  sip2::CheckinRequest q;
  q.institution_id = "MAIN";
  q.item_identifier = fake::book_barcode;
  q.transaction_date = *sip2::parse_timestamp(wire);
  q.return_date = q.transaction_date;
  (void)k.handle(q);
  BOOST_TEST_REQUIRE(k.backend.checkins().size() == 1U);
  return k.backend.checkins().front().return_date;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(local_time)

BOOST_AUTO_TEST_CASE(dates_go_out_as_local_time_with_four_blanks_by_default) {
  Kiosk k;
  const std::regex local(R"(^\d{8} {4}\d{6}$)");
  const auto date = status_date(k, k.now);
  BOOST_TEST(std::regex_match(date, local), date);
}

BOOST_AUTO_TEST_CASE(dates_are_the_wall_clock_of_the_configured_zone) {
  Kiosk k;
  in_zone(k, "America/New_York");
  // Winter: EST is UTC-5.
  BOOST_TEST(status_date(k, sys_days{year{2025} / 1 / 15} + 15h) == "20250115    100000");
  // The evening of the 14th in New York is already the 15th in UTC.
  BOOST_TEST(status_date(k, sys_days{year{2025} / 1 / 15} + 2h + 5min) == "20250114    210500");
  // Daylight saving time began on 2025-03-09 at 02:00 EST (07:00 UTC); EDT is UTC-4.
  BOOST_TEST(status_date(k, sys_days{year{2025} / 3 / 9} + 6h + 59min + 59s) ==
             "20250309    015959");
  BOOST_TEST(status_date(k, sys_days{year{2025} / 3 / 9} + 7h) == "20250309    030000");
  BOOST_TEST(status_date(k, sys_days{year{2025} / 7 / 1} + 12h) == "20250701    080000");
}

BOOST_AUTO_TEST_CASE(due_dates_and_the_status_clock_are_local_too) {
  Kiosk k;
  in_zone(k, "Europe/Berlin");
  sip2::CheckoutRequest q;
  q.institution_id = "MAIN";
  q.patron_identifier = fake::patron_barcode;
  q.item_identifier = fake::book_barcode;
  q.patron_password = fake::patron_pin;
  // The fake library lends for 21 days from 2025-03-14 10:00 UTC: 2025-04-04 12:00 CEST.
  BOOST_TEST(k.ask<sip2::CheckoutResponse>(q).due_date == "20250404    120000");
  // 2025-03-14 10:30 UTC is 11:30 CET.
  const auto status = handlers::acs_status(k.terminal, k.services, true);
  BOOST_TEST(sip2::format_timestamp(status.date_time_sync) == "20250314    113000");
}

BOOST_AUTO_TEST_CASE(a_profile_with_utc_z_gets_utc_with_the_z_marker) {
  Kiosk k;
  in_zone(k, "America/New_York");
  k.terminal.dialect = profile_with_dates(R"({"zone_field_outbound": "utc_z"})");
  BOOST_TEST(status_date(k, sys_days{year{2025} / 1 / 15} + 15h) == "20250115   Z150000");
  k.terminal.dialect = profile_with_dates(R"({"zone_field_outbound": "local_blank"})");
  BOOST_TEST(status_date(k, sys_days{year{2025} / 1 / 15} + 15h) == "20250115    100000");
}

BOOST_AUTO_TEST_CASE(a_profile_with_military_letters_gets_local_time_and_the_zone_letter) {
  Kiosk k;
  k.terminal.dialect = profile_with_dates(R"({"zone_field_outbound": "military_letter"})");
  in_zone(k, "America/New_York");
  // SPEC: Q in the rightmost position is Atlantic Standard Time (UTC-4); R is UTC-5.
  BOOST_TEST(status_date(k, sys_days{year{2025} / 1 / 15} + 15h) == "20250115   R100000");
  BOOST_TEST(status_date(k, sys_days{year{2025} / 7 / 1} + 12h) == "20250701   Q080000");
  in_zone(k, "Asia/Tokyo");
  BOOST_TEST(status_date(k, sys_days{year{2025} / 1 / 15} + 15h) == "20250116   I000000");
  // An offset of no whole hour has no letter: the date goes out in UTC.
  in_zone(k, "Asia/Kolkata");
  BOOST_TEST(status_date(k, sys_days{year{2025} / 1 / 15} + 15h) == "20250115   Z150000");
}

BOOST_AUTO_TEST_CASE(incoming_dates_with_four_blanks_are_read_in_the_configured_zone) {
  // The kiosks' clock reads 06:30 in New York (EDT) while the gateway's reads 10:30 UTC.
  for (const auto& [wire, utc] : std::vector<std::pair<std::string, std::chrono::hours>>{
           {"20250314    063000", 10h}, {"20250314   Z103000", 10h}, {"20250314   Q063000", 10h}}) {
    Kiosk k;
    in_zone(k, "America/New_York");
    BOOST_TEST((return_date_sent(k, wire) == sys_days{year{2025} / 3 / 14} + utc + 30min), wire);
  }
}

BOOST_AUTO_TEST_CASE(refusals_are_dated_like_every_other_answer) {
  Kiosk k;
  in_zone(k, "America/New_York");
  k.now = sys_days{year{2025} / 1 / 15} + 15h;
  const auto refused = handlers::refusal(patron_status(), "no", k.terminal, k.services);
  BOOST_TEST(
      sip2::format_timestamp(std::get<sip2::PatronStatusResponse>(refused).transaction_date) ==
      "20250115    100000");
  k.terminal.dialect.zone_field = sip2::ZoneField::utc_z;
  const auto utc = handlers::refusal(patron_status(), "no", k.terminal, k.services);
  BOOST_TEST(sip2::format_timestamp(std::get<sip2::PatronStatusResponse>(utc).transaction_date) ==
             "20250115   Z150000");
}

BOOST_AUTO_TEST_CASE(the_default_zone_is_the_systems) {
  const char* before = std::getenv("TZ");
  const std::string saved = before ? before : "";
  ::setenv("TZ", "Asia/Tokyo", 1);
  BOOST_TEST(fake::loaded().timezone.name() == "Asia/Tokyo");
  ::setenv("TZ", ":America/New_York", 1);
  BOOST_TEST(fake::loaded().timezone.name() == "America/New_York");
  ::unsetenv("TZ");
  BOOST_TEST((fake::loaded().timezone == zone::TimeZone::system()));
  if (before) ::setenv("TZ", saved.c_str(), 1);
}

BOOST_AUTO_TEST_CASE(an_unknown_zone_is_a_config_error) {
  BOOST_TEST(fake::refused_with(R"("timezone": "Mars/Olympus_Mons",)",
                                "timezone: unknown time zone 'Mars/Olympus_Mons'"));
  BOOST_TEST(fake::refused_with(R"("timezone": "",)", "timezone: unknown time zone ''"));
}

BOOST_AUTO_TEST_SUITE_END()
