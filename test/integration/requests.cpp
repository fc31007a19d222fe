// SIP2 request bodies as a kiosk writes them (no terminator), for the demo library's data.
#include "requests.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "sip2/checksum.hpp"

namespace integration::req {

namespace {

const std::string kNoDate(18, ' ');

std::string f(std::string_view code, std::string_view value) {
  return std::string(code) + std::string(value) + "|";
}

std::string ao() {
  return f("AO", kInstitution);
}

}  // namespace

std::string now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d   Z%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string login(std::string_view user, std::string_view password) {
  return "9300" + f("CN", user) + f("CO", password) + f("CP", kInstitution);
}

std::string sc_status() {
  return "9900302.00";
}

std::string patron_status(std::string_view patron, std::string_view pin) {
  return "23001" + now() + ao() + f("AA", patron) + f("AC", "") + f("AD", pin);
}

std::string patron_information(std::string_view patron, std::string_view pin,
                               std::string_view summary) {
  return "63001" + now() + std::string(summary) + ao() + f("AA", patron) + f("AC", "") +
         f("AD", pin);
}

std::string checkout(std::string_view patron, std::string_view item, std::string_view pin) {
  return "11NN" + now() + kNoDate + ao() + f("AA", patron) + f("AB", item) + f("AC", "") +
         f("AD", pin);
}

std::string checkin(std::string_view item) {
  const std::string date = now();
  return "09N" + date + date + f("AP", kInstitution) + ao() + f("AB", item) + f("AC", "");
}

std::string item_information(std::string_view item) {
  return "17" + now() + ao() + f("AB", item);
}

std::string item_status_update(std::string_view item) {
  return "19" + now() + ao() + f("AB", item) + f("AC", "") + f("CH", "shelf 4");
}

std::string renew(std::string_view patron, std::string_view item, std::string_view pin) {
  return "29NN" + now() + kNoDate + ao() + f("AA", patron) + f("AD", pin) + f("AB", item);
}

std::string renew_all(std::string_view patron, std::string_view pin) {
  return "65" + now() + ao() + f("AA", patron) + f("AD", pin);
}

std::string hold(char mode, std::string_view patron, std::string_view item, std::string_view pin) {
  return "15" + std::string(1, mode) + now() + ao() + f("AA", patron) + f("AD", pin) +
         f("AB", item);
}

std::string end_session(std::string_view patron) {
  return "35" + now() + ao() + f("AA", patron);
}

std::string fee_paid(std::string_view patron, std::string_view pin, std::string_view amount) {
  return "37" + now() + "0100USD" + f("BV", amount) + ao() + f("AA", patron) + f("AD", pin);
}

std::string block_patron(std::string_view patron) {
  return "01N" + now() + ao() + f("AL", "Card reported lost at the kiosk") + f("AA", patron) +
         f("AC", "");
}

std::string patron_enable(std::string_view patron, std::string_view pin) {
  return "25" + now() + ao() + f("AA", patron) + f("AD", pin);
}

std::string with_checksum(std::string body) {
  sip2::append_error_detection(body, std::nullopt, sip2::ChecksumBasis::bytes, sip2::Charset::utf8);
  return body;
}

std::string with_error_detection(std::string body, int seq) {
  sip2::append_error_detection(body, seq, sip2::ChecksumBasis::bytes, sip2::Charset::utf8);
  return body;
}

}  // namespace integration::req
