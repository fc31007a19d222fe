// The staff client's session parts without a server: words, commands, requests, expect, traces.
#define BOOST_TEST_MODULE sip2_client_session_parts
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "command_table.hpp"
#include "expectation.hpp"
#include "request_builder.hpp"
#include "response_diff.hpp"
#include "secret_mask.hpp"
#include "sip2/codec.hpp"
#include "trace.hpp"
#include "words.hpp"

namespace sc = sip2_client;

namespace {

sip2::Message strict(std::string_view body) {
  sip2::Dialect utf8;
  utf8.charset = sip2::Charset::utf8;
  auto m = sip2::decode(body, utf8, sip2::Mode::strict);
  BOOST_TEST_REQUIRE(m.has_value(), "strict decode of " << body);
  return *m;
}

std::string field(const sip2::Message& m, std::string_view code) {
  const auto* v = m.find(sip2::FieldCode(code));
  return v != nullptr ? *v : "<none>";
}

sc::Exchange answered(std::string_view frame, std::chrono::milliseconds rtt = {}) {
  sc::Exchange x;
  x.response = sip2::decode(frame, {}, sip2::Mode::lenient);
  x.frame = std::string(frame);
  x.rtt = rtt;
  return x;
}

/// Checks a condition as typed on an expect line (quotes and all).
bool holds(std::string_view condition, const sc::Exchange& x) {
  const auto words = sc::split_words(condition);
  BOOST_TEST_REQUIRE((words.has_value() && words->size() == 1u), condition);
  auto e = sc::parse_expectation(words->front());
  BOOST_TEST_REQUIRE(e.has_value(), condition);
  return sc::check(*e, x).held;
}

sc::SessionState patron_state() {
  sc::SessionState s;
  s.institution = "MAIN";
  s.patron = "21234000000018";
  s.pin = "1234";
  return s;
}

}  // namespace

BOOST_AUTO_TEST_CASE(splits_words_with_quotes_like_a_shell) {
  const auto w = sc::split_words(R"(  expect AF~"card blocked" 'a|b' c\ d ok=Y  )");
  BOOST_TEST_REQUIRE(w.has_value());
  const std::vector<std::string> expected{"expect", "AF~card blocked", "a|b", "c d", "ok=Y"};
  BOOST_TEST(*w == expected, boost::test_tools::per_element());
  BOOST_TEST(sc::split_words("# comment").value().empty());
  BOOST_TEST(!sc::split_words("raw 'unterminated").has_value());
  BOOST_TEST(!sc::split_words("trailing \\").has_value());
  BOOST_TEST(sc::split_words(sc::quote_word("it's \"x\"")).value().front() == "it's \"x\"");
}

BOOST_AUTO_TEST_CASE(builds_every_message_command_as_a_strictly_valid_request) {
  const std::pair<std::string, std::vector<std::string>> commands[] = {{"status", {}},
                                                                       {"patron", {}},
                                                                       {"info", {"charged"}},
                                                                       {"checkout", {"3123"}},
                                                                       {"checkin", {"3123"}},
                                                                       {"item", {"3123"}},
                                                                       {"renew", {"3123"}},
                                                                       {"renew-all", {}},
                                                                       {"hold", {"place", "3123"}},
                                                                       {"pay", {"2.50", "F1"}},
                                                                       {"block", {"lost"}},
                                                                       {"enable", {}},
                                                                       {"end", {}},
                                                                       {"resend", {}}};
  const char* codes[] = {"99", "23", "63", "11", "09", "17", "29",
                         "65", "15", "37", "01", "25", "35", "97"};
  for (std::size_t i = 0; i < std::size(commands); ++i) {
    auto s = patron_state();
    const auto body = sc::build_request(commands[i].first, commands[i].second, s);
    BOOST_TEST_REQUIRE(body.has_value(), commands[i].first << ": " << body.error());
    const auto m = strict(*body);
    BOOST_TEST(m.command == codes[i], commands[i].first);
  }
}

BOOST_AUTO_TEST_CASE(requests_carry_the_remembered_institution_patron_and_pin) {
  auto s = patron_state();
  const auto checkout = strict(*sc::build_request("checkout", std::vector<std::string>{"3123"}, s));
  BOOST_TEST(field(checkout, "AO") == "MAIN");
  BOOST_TEST(field(checkout, "AA") == "21234000000018");
  BOOST_TEST(field(checkout, "AB") == "3123");
  BOOST_TEST(field(checkout, "AD") == "1234");
  const auto info = strict(*sc::build_request("info", std::vector<std::string>{"overdue"}, s));
  BOOST_TEST(*info.fixed_value("summary") == " Y        ");
  const auto hold = strict(*sc::build_request("hold", std::vector<std::string>{"cancel", "9"}, s));
  BOOST_TEST(*hold.fixed_value("hold_mode") == "-");
}

BOOST_AUTO_TEST_CASE(patron_command_remembers_the_patron_and_a_recalled_line_keeps_the_pin) {
  sc::SessionState s;
  s.institution = "MAIN";
  BOOST_TEST(sc::build_request("patron", std::vector<std::string>{"2999", "4321"}, s).has_value());
  BOOST_TEST(s.patron.value() == "2999");
  BOOST_TEST(s.pin.value() == "4321");
  BOOST_TEST(sc::build_request("patron", std::vector<std::string>{"2999", "****"}, s).has_value());
  BOOST_TEST(s.pin.value() == "4321");
  BOOST_TEST(sc::build_request("patron", std::vector<std::string>{"3000"}, s).has_value());
  BOOST_TEST(!s.pin.has_value());
}

BOOST_AUTO_TEST_CASE(refuses_commands_with_missing_or_wrong_arguments) {
  sc::SessionState none;
  BOOST_TEST(sc::build_request("checkout", std::vector<std::string>{"1"}, none)
                 .error()
                 .find("no patron") != std::string::npos);
  auto s = patron_state();
  BOOST_TEST(!sc::build_request("checkout", std::vector<std::string>{}, s).has_value());
  BOOST_TEST(!sc::build_request("info", std::vector<std::string>{"everything"}, s).has_value());
  BOOST_TEST(!sc::build_request("hold", std::vector<std::string>{"keep", "1"}, s).has_value());
  BOOST_TEST(!sc::build_request("pay", std::vector<std::string>{"lots"}, s).has_value());
  BOOST_TEST(!sc::build_request("status", std::vector<std::string>{"x"}, s).has_value());
  BOOST_TEST(!sc::build_request("frobnicate", std::vector<std::string>{}, s).has_value());
  BOOST_TEST(!sc::build_request("raw", std::vector<std::string>{"99\r00"}, s).has_value());
}

BOOST_AUTO_TEST_CASE(raw_messages_get_placeholders_filled_from_the_session) {
  auto s = patron_state();
  const auto body = sc::build_request(
      "raw", std::vector<std::string>{"23001{now}AO{institution}|AA{patron}|AD{pin}|"}, s);
  BOOST_TEST_REQUIRE(body.has_value());
  const auto m = strict(*body);
  BOOST_TEST(field(m, "AA") == "21234000000018");
  BOOST_TEST(field(m, "AD") == "1234");
  sc::SessionState empty;
  BOOST_TEST(!sc::expand_placeholders("AA{patron}|", empty).has_value());
}

BOOST_AUTO_TEST_CASE(completes_commands_and_their_arguments) {
  const std::vector<std::string> none;
  BOOST_TEST(sc::completions(none, "che") == (std::vector<std::string>{"checkin", "checkout"}),
             boost::test_tools::per_element());
  const std::vector<std::string> info{"info"};
  BOOST_TEST(sc::completions(info, "ov") == std::vector<std::string>{"overdue"},
             boost::test_tools::per_element());
  const std::vector<std::string> hold{"hold"};
  BOOST_TEST(sc::completions(hold, "").size() == 2u);
  const std::vector<std::string> help{"help"};
  BOOST_TEST(sc::completions(help, "ren").size() == 2u);
  BOOST_TEST(sc::completions(none, "zz").empty());
}

BOOST_AUTO_TEST_CASE(help_lists_every_command_and_explains_expect) {
  const auto all = sc::help_text();
  for (const auto& c : sc::commands())
    BOOST_TEST(all.find(c.name) != std::string::npos, c.name);
  BOOST_TEST(sc::help_text("expect").find("rtt_ms") != std::string::npos);
  BOOST_TEST(sc::help_text("nope").find("no command") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(expectations_check_fixed_fields_variable_fields_and_numbers) {
  const auto x = answered(
      "121NNY20261123    101500AOMAIN|AA2123|AB3123|AJTitle|AH20261214|AFChecked out|"
      "AFHave a nice day|BV2.50|",
      std::chrono::milliseconds(3));
  BOOST_TEST(holds("ok=Y", x));
  BOOST_TEST(holds("ok=1", x));
  BOOST_TEST(!holds("ok=N", x));
  BOOST_TEST(holds("12", x));
  BOOST_TEST(holds("command=12", x));
  BOOST_TEST(holds("AF~\"nice DAY\"", x));
  BOOST_TEST(holds("AF!~blocked", x));
  BOOST_TEST(holds("AJ=Title", x));
  BOOST_TEST(holds("AJ!=Other", x));
  BOOST_TEST(holds("BV>2", x));
  BOOST_TEST(!holds("BV>=3", x));
  BOOST_TEST(holds("AF?", x));
  BOOST_TEST(holds("!CH", x));
  BOOST_TEST(holds("rtt_ms<100", x));
  BOOST_TEST(!holds("rtt_ms<1", x));
}

BOOST_AUTO_TEST_CASE(expectations_match_spelled_out_patron_status) {
  const auto x = answered("24    Y         00120261123    101500AOMAIN|AA2123|AEAda|BLY|");
  BOOST_TEST(holds("patron_status~\"card reported lost\"", x));
  BOOST_TEST(holds("patron_status!~\"charge privileges\"", x));
}

BOOST_AUTO_TEST_CASE(a_failed_expectation_says_what_was_found_and_hides_pins) {
  const auto x = answered("24              00120261123    101500AOMAIN|AA2123|AD9876|AFHi|");
  auto e = sc::parse_expectation("AF=Bye");
  const auto v = sc::check(*e, x);
  BOOST_TEST(!v.held);
  BOOST_TEST(v.found == "AF is \"Hi\"");
  const auto pin = sc::check(*sc::parse_expectation("AD=0000"), x);
  BOOST_TEST(pin.found.find("9876") == std::string::npos);
  BOOST_TEST(sc::check(*sc::parse_expectation("AF?"), sc::Exchange{}).found == "no response");
}

BOOST_AUTO_TEST_CASE(rejects_malformed_conditions) {
  for (const auto* bad : {"ok", "=Y", "A-F=x", "BV>lots", "AF~"})
    BOOST_TEST(!sc::parse_expectation(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(response_diff_ignores_dates_and_names_each_difference) {
  sip2::Dialect d;
  const auto a = *sip2::decode("121NNY20261123    101500AOMAIN|AB1|AH20261214|AFDone|", d);
  const auto b = *sip2::decode("121NNY20261124    111111AOMAIN|AB1|AH20261215|AFDone|", d);
  BOOST_TEST(sc::diff_responses(a, b, {}).empty());
  const auto c = *sip2::decode("120NNN20261123    101500AOMAIN|AB1|AFRefused|", d);
  const auto diffs = sc::diff_responses(a, c, {});
  BOOST_TEST(diffs.size() == 3u);  // ok, desensitize, AF
  BOOST_TEST(sc::diff_responses(a, c, {"ok", "desensitize", "AF"}).empty());
}

BOOST_AUTO_TEST_CASE(traces_hold_placeholders_instead_of_secrets_and_read_back) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("sip2-trace-" + std::to_string(::getpid()) + ".jsonl");
  {
    auto w = sc::TraceWriter::create(
        path.string(), {sip2::Charset::cp850, "\r", true, sip2::ChecksumBasis::bytes, "TCP x:1"});
    BOOST_TEST_REQUIRE(w.has_value());
    const auto x = answered("941");
    w->record("login kiosk1", "9300CNkiosk1|COsecret|", x, sip2::Charset::cp850);
    const auto y = answered("24              00120261123    101500AOMAIN|AA2123|BLY|");
    w->record("patron 2123 4321", "23001x|AOMAIN|AA2123|AD4321|", y, sip2::Charset::cp850);
  }
  const auto others = std::filesystem::perms::group_all | std::filesystem::perms::others_all;
  BOOST_TEST(
      ((std::filesystem::status(path).permissions() & others) == std::filesystem::perms::none));
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), {});
  BOOST_TEST(text.find("secret") == std::string::npos);
  BOOST_TEST(text.find("4321") == std::string::npos);
  const auto trace = sc::read_trace(path.string());
  BOOST_TEST_REQUIRE(trace.has_value());
  BOOST_TEST(trace->header.error_detection);
  BOOST_TEST_REQUIRE(trace->entries.size() == 2u);
  BOOST_TEST(trace->entries[0].request == "9300CNkiosk1|CO{password}|");
  BOOST_TEST(trace->entries[1].request == "23001x|AOMAIN|AA2123|AD{pin}|");
  BOOST_TEST(trace->entries[1].line == "patron 2123 {pin}");
  BOOST_TEST(trace->entries[0].response.value() == "941");
  std::filesystem::remove(path);
  BOOST_TEST(!sc::read_trace(path.string()).has_value());
}

BOOST_AUTO_TEST_CASE(command_lines_lose_their_secrets_for_screens_histories_and_traces) {
  using sc::SecretStyle;
  BOOST_TEST(sc::line_without_secrets("patron 2123 4321", SecretStyle::mask) == "patron 2123 ****");
  BOOST_TEST(sc::line_without_secrets("set pin 4321", SecretStyle::placeholder) == "set pin {pin}");
  BOOST_TEST(sc::line_without_secrets("23001x|AA2123|AD4321|", SecretStyle::placeholder) ==
             "23001x|AA2123|AD{pin}|");
  BOOST_TEST(sc::line_without_secrets("raw '9300CNk|COpw|'", SecretStyle::mask) ==
             "raw '9300CNk|CO****|'");
  BOOST_TEST(sc::line_without_secrets("checkout 3123", SecretStyle::mask) == "checkout 3123");
}
