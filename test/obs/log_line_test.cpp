// Tests for the exact shape of text and JSON log lines, including escaping of hostile content.
#define BOOST_TEST_MODULE log_line
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>

#include "obs/log_line.hpp"

namespace {

using namespace std::chrono;
using obs::LogEvent;
using obs::LogFormat;

const system_clock::time_point example_time =
    sys_days{year{2026} / 11 / 23} + hours{10} + milliseconds{123};

std::string render(LogFormat format, std::uint64_t conn, std::string_view req, std::string_view msg,
                   std::initializer_list<obs::Kv> kv = {}) {
  return obs::format_log_line(format,
                              LogEvent{example_time, spdlog::level::info, conn, req, msg, kv});
}

}  // namespace

BOOST_AUTO_TEST_CASE(formats_utc_timestamp_with_milliseconds) {
  BOOST_TEST(obs::format_timestamp(example_time) == "2026-11-23T10:00:00.123Z");
  BOOST_TEST(obs::format_timestamp(system_clock::time_point{}) == "1970-01-01T00:00:00.000Z");
}

BOOST_AUTO_TEST_CASE(formats_text_line_with_ids_and_fields) {
  const auto line = render(LogFormat::text, 12, "12-5", "checkout accepted",
                           {{"key", "value"}, {"key2", "value with space"}});
  BOOST_TEST(line ==
             "2026-11-23T10:00:00.123Z info conn=12 req=12-5 checkout accepted key=value "
             "key2=\"value with space\"");
}

BOOST_AUTO_TEST_CASE(omits_connection_zero_and_empty_request_in_text) {
  BOOST_TEST(render(LogFormat::text, 0, "", "listening") ==
             "2026-11-23T10:00:00.123Z info listening");
}

BOOST_AUTO_TEST_CASE(quotes_and_escapes_text_values_that_would_break_the_line) {
  const auto line = render(LogFormat::text, 1, "", "m",
                           {{"q", "say \"hi\""},
                            {"nl", "a\nb"},
                            {"eq", "a=b"},
                            {"empty", ""},
                            {"ctl", std::string("x\x01y")},
                            {"bad key", "v"}});
  BOOST_TEST(line ==
             "2026-11-23T10:00:00.123Z info conn=1 m q=\"say \\\"hi\\\"\" nl=\"a\\nb\" eq=\"a=b\" "
             "empty=\"\" ctl=\"x\\x01y\" bad_key=v");
}

BOOST_AUTO_TEST_CASE(keeps_a_text_message_with_newlines_on_one_line) {
  const auto line = render(LogFormat::text, 0, "", "first\nsecond\r\tthird");
  BOOST_TEST(line == "2026-11-23T10:00:00.123Z info first\\nsecond\\r\\tthird");
}

BOOST_AUTO_TEST_CASE(formats_json_line_with_envelope_fields_first) {
  const auto line = render(LogFormat::json, 12, "12-5", "checkout accepted", {{"key", "value"}});
  BOOST_TEST(line == R"({"ts":"2026-11-23T10:00:00.123Z","level":"info","conn":12,"req":"12-5",)"
                     R"("msg":"checkout accepted","key":"value"})");
}

BOOST_AUTO_TEST_CASE(omits_connection_zero_and_empty_request_in_json) {
  BOOST_TEST(render(LogFormat::json, 0, "", "listening") ==
             R"({"ts":"2026-11-23T10:00:00.123Z","level":"info","msg":"listening"})");
}

BOOST_AUTO_TEST_CASE(escapes_quotes_newlines_and_control_characters_in_json) {
  const std::string hostile = std::string("a\"b\\c\nd\re\tf\x01g\x1fh", 15);
  const auto line = render(LogFormat::json, 3, "3-1", hostile, {{"field", hostile}});
  BOOST_TEST(line.find('\n') == std::string::npos);
  BOOST_TEST(line.find('\x01') == std::string::npos);
  BOOST_TEST(line.find(R"(a\"b\\c\nd\re\tf\u0001g\u001fh)") != std::string::npos);
  const auto parsed = nlohmann::json::parse(line);
  BOOST_TEST(parsed["msg"].get<std::string>() == hostile);
  BOOST_TEST(parsed["field"].get<std::string>() == hostile);
}

BOOST_AUTO_TEST_CASE(replaces_invalid_utf8_in_json_instead_of_failing) {
  const auto line = render(LogFormat::json, 0, "", "bad \xff\xfe bytes", {{"k", "\xc3"}});
  const auto parsed = nlohmann::json::parse(line);
  BOOST_TEST(parsed["msg"].get<std::string>() == "bad \xef\xbf\xbd\xef\xbf\xbd bytes");
  BOOST_TEST(parsed["k"].get<std::string>() == "\xef\xbf\xbd");
}

BOOST_AUTO_TEST_CASE(keeps_the_envelope_when_a_field_uses_a_reserved_key) {
  const auto parsed = nlohmann::json::parse(
      render(LogFormat::json, 7, "7-1", "real", {{"msg", "fake"}, {"conn", "99"}}));
  BOOST_TEST(parsed["msg"].get<std::string>() == "real");
  BOOST_TEST(parsed["conn"].get<int>() == 7);
  BOOST_TEST(parsed["_msg"].get<std::string>() == "fake");
  BOOST_TEST(parsed["_conn"].get<std::string>() == "99");
}
