// sip2-bench's pieces: the mix, the baseline's canned answers, reply judging, loopback check.
#define BOOST_TEST_MODULE sip2_bench_parts
#include <boost/test/unit_test.hpp>
#include <map>

#include "bench_options.hpp"
#include "canned_responder.hpp"
#include "reply_check.hpp"
#include "request_set.hpp"
#include "sip2/codec.hpp"
#include "workload.hpp"

using namespace bench;

namespace {

/// The answer to `request` without its CR, decoded strictly with error detection per `ed`.
sip2::Message answer_of(const CannedResponder& r, const std::string& request, bool ed) {
  std::string out;
  r.answer(request, out);
  BOOST_REQUIRE(!out.empty() && out.back() == '\r');
  out.pop_back();
  sip2::Dialect d;
  d.error_detection = ed ? sip2::ErrorDetection::on : sip2::ErrorDetection::off;
  auto m = sip2::decode(out, d);
  BOOST_REQUIRE_MESSAGE(m.has_value(), "answer does not decode strictly: " << out);
  return *m;
}

std::string_view error_of(const Verdict& v) {
  return v.error ? error_name(*v.error) : "none";
}

BenchOptions options_with_ids() {
  BenchOptions o;
  o.login = "kiosk1";
  o.password = "secret";
  o.patrons = {{"P1", "1111"}, {"P2", ""}};
  o.items = {"I1", "I2", "I3"};
  o.mix = *Mix::parse("patron-pin,patron,info,item,checkout-checkin,renew,status");
  return o;
}

}  // namespace

BOOST_AUTO_TEST_CASE(mix_interleaves_entries_in_proportion_to_their_weights) {
  const auto mix = Mix::parse("status=3, patron=1");
  BOOST_REQUIRE(mix.has_value());
  BOOST_TEST(mix->cycle().size() == 4u);
  std::map<std::string, int> seen;
  MixCursor cursor(*mix, 0);
  for (int i = 0; i < 400; ++i)
    ++seen[std::string(kind_name(cursor.next()))];
  BOOST_TEST(seen["status"] == 300);
  BOOST_TEST(seen["patron"] == 100);
}

BOOST_AUTO_TEST_CASE(checkout_checkin_sends_the_checkin_right_after_the_checkout) {
  const auto mix = Mix::parse("checkout-checkin=1,status=1");
  BOOST_REQUIRE(mix.has_value());
  for (std::size_t start = 0; start < 3; ++start) {
    MixCursor cursor(*mix, start);
    for (int i = 0; i < 30; ++i)
      if (const auto k = cursor.next(); k == MessageKind::checkout)
        BOOST_TEST(kind_name(cursor.next()) == "checkin");
  }
}

BOOST_AUTO_TEST_CASE(mix_rejects_unknown_names_and_bad_weights) {
  BOOST_TEST(!Mix::parse("status=1,teleport=2").has_value());
  BOOST_TEST(!Mix::parse("status=x").has_value());
  BOOST_TEST(!Mix::parse("").has_value());
}

BOOST_AUTO_TEST_CASE(loopback_check_accepts_only_127_8_and_ipv6_loopback) {
  for (const char* ok : {"127.0.0.1", "127.9.8.7", "::1", "::ffff:127.0.0.1"})
    BOOST_TEST(is_loopback_address(ok), ok);
  for (const char* no : {"10.0.0.1", "0.0.0.0", "::", "localhost", "128.0.0.1", ""})
    BOOST_TEST(!is_loopback_address(no), no);
}

BOOST_AUTO_TEST_CASE(baseline_answers_each_request_with_its_response_type_and_echoes_ids) {
  const CannedResponder responder;
  const auto o = options_with_ids();
  const auto requests = RequestSet::build(o, 1);
  for (std::size_t k = 0; k < kKindCount; ++k) {
    const auto kind = static_cast<MessageKind>(k);
    std::string frame;
    frame_request(frame, requests.body(kind), true, 7);
    frame.pop_back();
    const auto m = answer_of(responder, frame, true);
    BOOST_TEST(m.command == reply_code(kind), kind_name(kind));
    BOOST_TEST(m.sequence.value_or(-1) == 7);
    if (needs_patron(kind)) BOOST_TEST(*m.find(sip2::field::patron_identifier) == "P2");
    if (needs_item(kind)) BOOST_TEST(*m.find(sip2::field::item_identifier) == "I2");
    std::string reply;
    responder.answer(frame, reply);
    reply.pop_back();
    const Verdict v = check_reply(reply, kind, true, 7);
    BOOST_TEST(error_of(v) == "none", kind_name(kind));
    BOOST_TEST(refusal_name(v.refusal) == "none", kind_name(kind));
  }
}

BOOST_AUTO_TEST_CASE(baseline_answers_without_trailer_when_the_request_has_none) {
  const CannedResponder responder;
  const auto m = answer_of(responder, "9900802.00", false);
  BOOST_TEST(m.command == "98");
  BOOST_TEST(!m.checksum.has_value());
}

BOOST_AUTO_TEST_CASE(baseline_answers_96_to_a_bad_checksum_or_an_unknown_request) {
  const CannedResponder responder;
  for (const std::string bad : {"9900802.00AY1AZ0000", "XX", "23001"}) {
    std::string out;
    responder.answer(bad, out);
    BOOST_TEST(out.substr(0, 2) == "96", bad);
  }
}

BOOST_AUTO_TEST_CASE(reply_check_tells_errors_from_refusals) {
  using K = MessageKind;
  BOOST_TEST(error_of(check_reply("940", K::login, false, 0)) == "login_refused");
  BOOST_TEST(error_of(check_reply("96", K::sc_status, false, 0)) == "resend_requested");
  BOOST_TEST(error_of(check_reply("941", K::sc_status, false, 0)) == "wrong_response_type");
  BOOST_TEST(error_of(check_reply("941AY1AZFDFF", K::login, true, 1)) == "bad_checksum");
  BOOST_TEST(error_of(check_reply("12", K::checkout, false, 0)) == "undecodable_response");
  const auto refused =
      check_reply("120NUN20240101    120000AOMAIN|AAP1|ABI1|AJ|AH|", K::checkout, false, 0);
  BOOST_TEST(error_of(refused) == "none");
  BOOST_TEST(refusal_name(refused.refusal) == "checkout_refused");
}
