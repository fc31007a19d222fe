// Checksums, dates, charsets and the encoder's rules.
#define BOOST_TEST_MODULE sip2_codec
#include <boost/test/unit_test.hpp>

#include "sip2/charset.hpp"
#include "sip2/checksum.hpp"
#include "sip2/codec.hpp"
#include "sip2/timestamp.hpp"

using namespace sip2;

BOOST_AUTO_TEST_CASE(checksum_matches_the_worked_examples) {
  BOOST_TEST(checksum_hex(checksum("97AZ")) == "FEF5");
  BOOST_TEST(checksum_hex(checksum("96AZ")) == "FEF6");
  BOOST_TEST(checksum_hex(checksum("941AY0AZ")) == "FDFD");
  BOOST_TEST(checksum_hex(checksum("9300CNLoginUserID|COLoginPassword|CPLocationCode|AY5AZ")) ==
             "EC7B");
}

BOOST_AUTO_TEST_CASE(lowercase_checksum_is_accepted_on_input) {
  const auto m = decode("941AY0AZfdfd");
  BOOST_TEST_REQUIRE(m.has_value());
  BOOST_TEST(*m->checksum_valid);
}

BOOST_AUTO_TEST_CASE(error_detection_on_requires_a_trailer) {
  Dialect d;
  d.error_detection = ErrorDetection::on;
  const auto m = decode("9900302.00", d, Mode::lenient);
  BOOST_TEST_REQUIRE(!m.has_value());
  BOOST_TEST(m.error().code == make_error_code(errc::missing_checksum));
}

BOOST_AUTO_TEST_CASE(error_detection_off_never_fails_on_a_bad_checksum) {
  Dialect d;
  d.error_detection = ErrorDetection::off;
  const auto m = decode("9300CNuser_id|COpassw0rd|AY1AZF595", d, Mode::strict);
  BOOST_TEST_REQUIRE(m.has_value());
  BOOST_TEST(!*m->checksum_valid);
}

BOOST_AUTO_TEST_CASE(strict_mode_rejects_bad_dates_and_enumerations) {
  BOOST_TEST(decode("2300020211314    083455AOx|AAy|").error().code ==
             make_error_code(errc::bad_date));
  BOOST_TEST(decode("11XN20060329    203000                  AOBR1|AA9|AB1|AC|").error().code ==
             make_error_code(errc::bad_fixed_field));
  BOOST_TEST(decode("2300020210814    083455AAy|").error().code ==
             make_error_code(errc::missing_required_field));
  BOOST_TEST(decode("23000").error().code == make_error_code(errc::truncated_fixed_field));
  BOOST_TEST(decode("9").error().code == make_error_code(errc::truncated));
  BOOST_TEST(decode("").error().code == make_error_code(errc::empty_message));
}

BOOST_AUTO_TEST_CASE(timestamps_round_trip_with_zone_and_zero_forms) {
  const auto t = parse_timestamp("20210814   Z083455");
  BOOST_TEST_REQUIRE(t.has_value());
  BOOST_TEST(t->zone[3] == 'Z');
  BOOST_TEST(format_timestamp(*t) == "20210814   Z083455");
  BOOST_TEST(parse_timestamp("000000000000000000")->is_zero());
  BOOST_TEST(!parse_timestamp("20210230    083455").has_value());
  BOOST_TEST(!parse_optional_timestamp(std::string(18, ' '))->has_value());
  const auto now = Timestamp::from_sys(t->to_sys());
  BOOST_TEST(format_timestamp(now) == "20210814    083455");
}

BOOST_AUTO_TEST_CASE(zone_letters_state_their_offset_and_blanks_are_local) {
  using std::chrono::hours;
  const auto offset = [](const char* wire) { return parse_timestamp(wire)->stated_offset(); };
  BOOST_TEST(!offset("20210814    083455").has_value());
  BOOST_TEST(!offset("20210814   J083455").has_value());  // J: the observer's local time
  BOOST_TEST((offset("20210814   Z083455") == hours{0}));
  BOOST_TEST((offset("20210814   A083455") == hours{1}));
  BOOST_TEST((offset("20210814   K083455") == hours{10}));
  BOOST_TEST((offset("20210814   M083455") == hours{12}));
  BOOST_TEST((offset("20210814   N083455") == hours{-1}));
  // SPEC: Q is Atlantic Standard Time.
  BOOST_TEST((offset("20210814   Q083455") == hours{-4}));
  BOOST_TEST((offset("20210814   Y083455") == hours{-12}));
  const auto q = parse_timestamp("20210814   Q083455");
  BOOST_TEST((q->to_sys() == std::chrono::sys_days{std::chrono::year{2021} / 8 / 14} + hours{12} +
                                 std::chrono::minutes{34} + std::chrono::seconds{55}));
}

BOOST_AUTO_TEST_CASE(dates_are_written_at_an_offset_with_its_letter) {
  using namespace std::chrono;
  const sys_seconds t = sys_days{year{2025} / 1 / 15} + hours{2} + minutes{5};
  BOOST_TEST(format_timestamp(Timestamp::from_sys(t, hours{-5}, ' ')) == "20250114    210500");
  BOOST_TEST(format_timestamp(Timestamp::from_sys(t, hours{-5}, 'R')) == "20250114   R210500");
  BOOST_TEST(format_timestamp(Timestamp::from_sys(t, true)) == "20250115   Z020500");
  BOOST_TEST(format_timestamp(Timestamp::from_sys(t, hours{5} + minutes{30}, ' ')) ==
             "20250115    073500");
  BOOST_TEST((zone_letter(hours{0}) == 'Z'));
  BOOST_TEST((zone_letter(hours{9}) == 'I'));
  BOOST_TEST((zone_letter(hours{10}) == 'K'));
  BOOST_TEST((zone_letter(hours{-4}) == 'Q'));
  BOOST_TEST((zone_letter(hours{-12}) == 'Y'));
  BOOST_TEST(!zone_letter(hours{13}).has_value());
  BOOST_TEST(!zone_letter(hours{5} + minutes{30}).has_value());
  for (int h = -12; h <= 12; ++h) {
    const char letter = *zone_letter(hours{h});
    const auto back = parse_timestamp(std::string("20250115   ") + letter + "020500");
    BOOST_TEST((back->stated_offset() == hours{h}), h);
  }
}

BOOST_AUTO_TEST_CASE(cp850_round_trips_latin_letters) {
  const std::string wire = from_utf8("Pi\xC3\xA8ge", Charset::cp850, Unmappable::replace, '?');
  BOOST_TEST(wire == "Pi\x8Age");
  BOOST_TEST(*to_utf8(wire, Charset::cp850, true) == "Pi\xC3\xA8ge");
}

BOOST_AUTO_TEST_CASE(ascii_transliterates_or_replaces_what_it_cannot_carry) {
  // Decomposed e + combining grave, precomposed e-acute, c-dot, and a CJK character.
  const std::string text = "Pie\xCC\x80ge \xC3\xA9 \xC4\x8B \xE4\xB8\xAD";
  BOOST_TEST(from_utf8(text, Charset::ascii, Unmappable::transliterate, '?') == "Piege e c ?");
  BOOST_TEST(from_utf8(text, Charset::ascii, Unmappable::replace, '?') == "Pie?ge ? ? ?");
  BOOST_TEST(from_utf8(text, Charset::latin1, Unmappable::transliterate, '?') == "Piege \xE9 c ?");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_an_error_in_strict_mode_and_replaced_in_lenient) {
  Dialect d;
  d.charset = Charset::utf8;
  const std::string bad = "1720230822    152339AO|ABab\xFF|";
  BOOST_TEST(decode(bad, d, Mode::strict).error().code == make_error_code(errc::bad_encoding));
  const auto m = decode(std::string("1720230822    152339AO|ABab\xFF|"), d, Mode::lenient);
  BOOST_TEST_REQUIRE(m.has_value());
  BOOST_TEST(*m->find(field::item_identifier) == "ab\xEF\xBF\xBD");
}

BOOST_AUTO_TEST_CASE(encode_enforces_fixed_widths) {
  Message m{"94", {"10"}, {}, {}, {}, {}};
  BOOST_TEST(encode(m).error().code == make_error_code(errc::bad_value));
  m.fixed = {"1"};
  BOOST_TEST(*encode(m) == "941");
}

BOOST_AUTO_TEST_CASE(encode_replaces_delimiter_and_control_characters_in_values) {
  Message m{"94", {"1"}, {{field::screen_message, "a|b\rc\nd"}}, {}, {}, {}};
  BOOST_TEST(*encode(m) == "941AFa b c d|");
}

BOOST_AUTO_TEST_CASE(encode_truncates_long_values_and_splits_repeatable_ones) {
  const std::string long_value(300, 'x');
  Message m{"94", {"1"}, {{field::screen_message, long_value}, {field::institution_id, long_value}},
            {},   {},    {}};
  const auto wire = *encode(m);
  const auto back = *decode(wire, {}, Mode::lenient);
  BOOST_TEST(back.find_all(field::screen_message).size() == 2u);
  BOOST_TEST(back.find_all(field::screen_message)[0].size() == 255u);
  BOOST_TEST(back.find_all(field::screen_message)[1].size() == 45u);
  BOOST_TEST(back.find(field::institution_id)->size() == 255u);
}

BOOST_AUTO_TEST_CASE(encode_appends_sequence_and_checksum_and_omits_ay_for_resend) {
  Message login{"94", {"1"}, {}, {}, {}, {}};
  BOOST_TEST(*encode(login, {}, {true, 0}) == "941AY0AZFDFD");
  Message resend{"96", {}, {}, {}, {}, {}};
  BOOST_TEST(*encode(resend, {}, {true, 3}) == "96AZFEF6");
  Message ack{"97", {}, {}, {}, {}, {}};
  BOOST_TEST(*encode(ack, {}, {true, 0}) == "97AZFEF5");
}

BOOST_AUTO_TEST_CASE(encode_uses_the_dialect_delimiter_and_charset) {
  Dialect d;
  d.delimiter = '^';
  d.charset = Charset::latin1;
  Message m{"94", {"1"}, {{field::screen_message, "caf\xC3\xA9"}}, {}, {}, {}};
  BOOST_TEST(*encode(m, d) == "941AFcaf\xE9^");
  BOOST_TEST(with_terminator("941", d) == "941\r");
}

BOOST_AUTO_TEST_CASE(strict_rejects_a_trailer_code_inside_the_body) {
  // Found by fuzzing: a corrupted trailer must not pass as an ordinary AY field.
  const auto m = sip2::decode("941AY0AZFDF941AY0AZFDFDD");
  BOOST_TEST_REQUIRE(!m.has_value());
  BOOST_TEST((m.error().code == sip2::errc::bad_field));
  BOOST_TEST(m.error().offset == 3u);
  BOOST_TEST(sip2::decode("941AY0AZFDF941AY0AZFDFDD", {}, sip2::Mode::lenient).has_value());
}
