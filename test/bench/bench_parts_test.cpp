// sip2-bench's pieces: the mix, the baseline's canned answers, reply judging, loopback check.
#define BOOST_TEST_MODULE sip2_bench_parts
#include <boost/test/unit_test.hpp>
#include <map>
#include <set>

#include "bench_options.hpp"
#include "canned_responder.hpp"
#include "patron_choice.hpp"
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
  o.mix = *Mix::parse("patron-pin,patron-wrong-pin,patron,info,item,checkout-checkin,renew,status");
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

BOOST_AUTO_TEST_CASE(generated_patrons_follow_the_emulator_scheme) {
  // The emulator's README: n = 7 is 29000000000072 with PIN 0072.
  const auto p7 = generated_patron(7);
  BOOST_TEST(p7.barcode == "29000000000072");
  BOOST_TEST(p7.pin == "0072");
  const auto p = generated_patron(12'345'678'901);
  BOOST_TEST(p.barcode.substr(0, 13) == "2912345678901");
  BOOST_TEST(p.barcode.size() == 14u);
  BOOST_TEST(p.pin == p.barcode.substr(10));
  // A Luhn number's digit sum (every second digit from the right doubled) ends in 0.
  for (const std::uint64_t n : {0ULL, 1ULL, 99'999ULL, 1'000'000ULL}) {
    const auto b = generated_patron(n).barcode;
    BOOST_TEST(luhn_digit(b.substr(0, 13)) == b.back(), b);
  }
  BOOST_TEST(luhn_digit("7992739871") == '3');  // the textbook example
}

BOOST_AUTO_TEST_CASE(patron_range_reads_first_last_or_a_count) {
  using R = std::pair<std::uint64_t, std::uint64_t>;
  BOOST_TEST((*parse_patron_range("100000") == R{0, 99'999}));
  BOOST_TEST((*parse_patron_range("5-9") == R{5, 9}));
  BOOST_TEST((*parse_patron_range("3-3") == R{3, 3}));
  for (const char* bad : {"", "0", "9-5", "x", "1-", "-4", "1-2-3", "100000000001"})
    BOOST_TEST(!parse_patron_range(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(wrong_pin_differs_from_the_pin_in_every_digit) {
  BOOST_TEST(wrong_pin("0072") == "5527");
  BOOST_TEST(wrong_pin("a9") == "a4");
  BOOST_TEST(wrong_pin("") == "5");
  BOOST_TEST(wrong_pin("xy") == "xy5");
}

BOOST_AUTO_TEST_CASE(patron_choice_names_round_trip) {
  for (const auto c : {PatronChoice::fixed, PatronChoice::random, PatronChoice::once})
    BOOST_TEST((parse_patron_choice(patron_choice_name(c)) == c));
  BOOST_TEST(!parse_patron_choice("sometimes").has_value());
}

BOOST_AUTO_TEST_CASE(fixed_choice_names_the_connections_own_patron) {
  PatronPicker picker(PatronChoice::fixed, 4, 6, nullptr);
  for (int i = 0; i < 5; ++i)
    BOOST_TEST(picker.next().value_or(99) == 2u);
}

BOOST_AUTO_TEST_CASE(random_choice_spreads_over_every_patron_and_is_repeatable) {
  constexpr std::size_t kPatrons = 1000;
  PatronPicker a(PatronChoice::random, kPatrons, 3, nullptr);
  PatronPicker b(PatronChoice::random, kPatrons, 3, nullptr);
  PatronPicker other(PatronChoice::random, kPatrons, 4, nullptr);
  std::vector<int> hits(kPatrons, 0);
  int same_as_other = 0;
  for (int i = 0; i < 100'000; ++i) {
    const auto n = a.next();
    BOOST_REQUIRE(n.has_value() && *n < kPatrons);
    BOOST_REQUIRE(b.next() == n);  // the same connection index picks the same sequence
    if (other.next() == n) ++same_as_other;
    ++hits[*n];
  }
  // 100 expected per patron: all are hit, none far off (a 5-sigma band is 50..150).
  BOOST_TEST(*std::min_element(hits.begin(), hits.end()) > 50);
  BOOST_TEST(*std::max_element(hits.begin(), hits.end()) < 150);
  BOOST_TEST(same_as_other < 1000);  // another connection's sequence is its own
}

BOOST_AUTO_TEST_CASE(once_choice_hands_every_patron_out_exactly_once_across_connections) {
  std::atomic<std::uint64_t> shared{0};
  std::vector<PatronPicker> pickers;
  for (std::size_t c = 0; c < 3; ++c)
    pickers.emplace_back(PatronChoice::once, 10, c, &shared);
  std::set<std::size_t> seen;
  for (int round = 0; round < 5; ++round)
    for (auto& p : pickers)
      if (const auto n = p.next()) BOOST_TEST(seen.insert(*n).second, "twice: " << *n);
  BOOST_TEST(seen.size() == 10u);
  for (auto& p : pickers)
    BOOST_TEST(!p.next().has_value());
}

BOOST_AUTO_TEST_CASE(request_set_splices_any_patron_into_its_requests) {
  BenchOptions o = options_with_ids();
  o.mix = *Mix::parse("patron-pin,patron-wrong-pin,patron,info,checkout-checkin,renew");
  const auto requests = RequestSet::build(o, 0);
  const Patron other{"29000000000072", "0072"};
  const Patron no_pin{"29000000000080", ""};
  sip2::Dialect plain;
  plain.error_detection = sip2::ErrorDetection::off;
  for (const auto kind : o.mix.kinds()) {
    std::string body;
    requests.render(kind, o.patrons[0], body);
    BOOST_TEST(body == requests.body(kind), kind_name(kind));  // the connection's own patron
    requests.render(kind, other, body);
    const auto m = sip2::decode(body, plain);
    BOOST_REQUIRE_MESSAGE(m.has_value(), "does not decode: " << body);
    if (needs_patron(kind)) BOOST_TEST(*m->find(sip2::field::patron_identifier) == other.barcode);
    const std::string* ad = m->find(sip2::field::patron_password);
    if (kind == MessageKind::patron_status_wrong_pin)
      BOOST_TEST((ad != nullptr && *ad == "5527"));
    else if (kind != MessageKind::patron_status && kind != MessageKind::checkin)
      BOOST_TEST((ad != nullptr && *ad == "0072"), kind_name(kind));
    requests.render(kind, no_pin, body);
    const auto bare = sip2::decode(body, plain);
    BOOST_REQUIRE(bare.has_value());
    if (kind != MessageKind::patron_status_wrong_pin)
      BOOST_TEST(bare->find(sip2::field::patron_password) == nullptr, kind_name(kind));
  }
}

BOOST_AUTO_TEST_CASE(command_line_reads_generated_patrons_and_the_choice) {
  auto parse = [](std::vector<std::string> args) {
    args.insert(args.begin(), "sip2-bench");
    std::vector<char*> argv;
    for (auto& a : args)
      argv.push_back(a.data());
    return parse_command_line(static_cast<int>(argv.size()), argv.data());
  };
  const auto c = parse({"--port", "6001", "--mix", "patron-pin", "--generated-patrons", "7-9",
                        "--patron-choice", "random"});
  BOOST_REQUIRE_MESSAGE(c.has_value(), c.error());
  BOOST_TEST(c->bench.patrons.size() == 3u);
  BOOST_TEST(c->bench.patrons[0].barcode == "29000000000072");
  BOOST_TEST(c->bench.patrons[0].pin == "0072");
  BOOST_TEST((c->bench.patron_choice == PatronChoice::random));
  BOOST_TEST(!parse({"--port", "1", "--generated-patrons", "x"}).has_value());
  BOOST_TEST(!parse({"--port", "1", "--generated-patrons", "5", "--patron", "P"}).has_value());
  BOOST_TEST(!parse({"--port", "1", "--generated-patrons", "5", "--patron-choice", "x"}));
  BOOST_TEST(!parse(
      {"--port", "1", "--generated-patrons", "5", "--patron-choice", "once", "--rate", "100"}));
}
