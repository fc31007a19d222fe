// Firmware-profile keys that act in the session, each flipped against the baseline on the wire:
// error_detection (outbound, checksum_hex_case, on_bad_checksum, sequence, resend_97) and
// session.unknown_message.
#define BOOST_TEST_MODULE server_profile_keys
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "obs/log.hpp"
#include "session_rig.hpp"
#include "sip2/checksum.hpp"
#include "sip2/codec.hpp"

namespace {

using server::test::kLogin;
using server::test::SessionRig;
using Profile = SessionRig::WithProfile;

/// `body` with "AY<seq>AZ<checksum>" appended, the hex digits in lower case when asked.
std::string checked(std::string body, int seq, bool lower_hex = false) {
  sip2::append_error_detection(body, seq, sip2::ChecksumBasis::bytes, sip2::Charset::cp850,
                               lower_hex);
  return body;
}

/// A rig whose kiosk1 gets `keys` (or the baseline), logged in.
struct Kiosk {
  explicit Kiosk(nlohmann::json keys)
      : rig(keys.is_null() ? SessionRig() : SessionRig(Profile{std::move(keys)})),
        peer(rig.open()) {
    BOOST_REQUIRE(rig.exchange(peer, kLogin).substr(0, 3) == "941");
  }
  std::string operator()(const std::string& frame) { return rig.exchange(peer, frame); }
  SessionRig rig;
  net::MemoryPeer peer;
};

nlohmann::json ed(nlohmann::json keys) {
  return {{"error_detection", std::move(keys)}};
}

const std::string kStatus = "9900302.00";

}  // namespace

BOOST_AUTO_TEST_CASE(outbound_off_mirror_and_always) {
  Kiosk base(nullptr);
  BOOST_TEST(base(checked(kStatus, 1)).find("AY1AZ") != std::string::npos);
  BOOST_TEST(base(kStatus).find("AZ") == std::string::npos);
  Kiosk off(ed({{"outbound", "off"}}));
  BOOST_TEST(off(checked(kStatus, 1)).find("AZ") == std::string::npos);
  Kiosk always(ed({{"outbound", "always"}}));
  const auto reply = always(kStatus);
  BOOST_TEST(reply.substr(0, 2) == "98");
  BOOST_TEST(reply.find("AY0AZ") != std::string::npos, reply);
}

BOOST_AUTO_TEST_CASE(sequence_echo_off_answers_with_sequence_zero) {
  Kiosk base(nullptr);
  BOOST_TEST(base(checked(kStatus, 7)).find("AY7AZ") != std::string::npos);
  Kiosk quiet(ed({{"sequence", {{"echo", false}}}}));
  const auto reply = quiet(checked(kStatus, 7));
  BOOST_TEST(reply.find("AY0AZ") != std::string::npos, reply);
}

BOOST_AUTO_TEST_CASE(checksum_hex_case_is_written_and_required) {
  Kiosk base(nullptr);  // accept_any: either case in, upper case out
  const auto any = base(checked(kStatus, 1, true));
  BOOST_TEST(any.substr(0, 2) == "98");
  const auto az = any.substr(any.find("AZ") + 2, 4);
  BOOST_TEST(az == sip2::checksum_hex(sip2::parse_checksum_hex(az).value()));
  Kiosk lower(ed({{"checksum_hex_case", "lower"}}));
  BOOST_TEST(lower(checked(kStatus, 1)).substr(0, 2) == "96");
  const auto ok = lower(checked(kStatus, 2, true));
  BOOST_TEST(ok.substr(0, 2) == "98");
  const auto lhex = ok.substr(ok.find("AZ") + 2, 4);
  BOOST_TEST(std::none_of(lhex.begin(), lhex.end(), [](char c) { return c >= 'A' && c <= 'F'; }));
  Kiosk upper(ed({{"checksum_hex_case", "upper"}}));
  // Bodies whose checksums have a letter, so that the case shows.
  for (int seq = 0; seq < 10; ++seq) {
    const auto frame = checked(kStatus, seq, true);
    if (frame.substr(frame.size() - 4).find_first_of("abcdef") == std::string::npos) continue;
    BOOST_TEST(upper(frame).substr(0, 2) == "96");
    break;
  }
}

BOOST_AUTO_TEST_CASE(on_bad_checksum_send_96_drop_or_process_anyway) {
  auto bad = checked(kStatus, 1);
  bad.back() = bad.back() == '0' ? '1' : '0';
  Kiosk base(nullptr);
  BOOST_TEST(base(bad).substr(0, 2) == "96");
  Kiosk drop(ed({{"on_bad_checksum", "drop"}}));
  drop.peer.send(bad + "\r");
  // Nothing for the bad frame: the next answer is the 98 of the good one.
  BOOST_TEST(drop(checked(kStatus, 2)).substr(0, 2) == "98");
  Kiosk anyway(ed({{"on_bad_checksum", "process_anyway"}}));
  BOOST_TEST(anyway(bad).substr(0, 2) == "98");
}

/// How many 99s the rig's metrics count as `outcome` ("ok": run, "replayed": answered again).
int count_99(SessionRig& rig, const std::string& outcome) {
  const auto text = rig.metrics().serialize();
  const std::string line = "outcome=\"" + outcome + "\"";
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);)
    if (l.find("command=\"99\"") != std::string::npos && l.find(line) != std::string::npos &&
        l.rfind("#", 0) != 0)
      return std::stoi(l.substr(l.rfind(' ') + 1));
  return 0;
}

BOOST_AUTO_TEST_CASE(duplicates_are_replayed_or_reprocessed_by_the_profiles_key) {
  const auto first = checked(kStatus, 3);
  // The same bytes in another order: the same AZ with a different body (print width 300).
  const auto reordered = checked("9903002.00", 3);
  BOOST_REQUIRE(first.substr(first.size() - 9) == reordered.substr(reordered.size() - 9));
  // Returns how many of the two 99s ran, and how many were replayed.
  auto run = [&](nlohmann::json keys, const std::string& again) {
    Kiosk k(std::move(keys));
    BOOST_TEST(k(first).substr(0, 2) == "98");
    BOOST_TEST(k(again).substr(0, 2) == "98");
    return std::pair{count_99(k.rig, "ok"), count_99(k.rig, "replayed")};
  };
  using P = std::pair<int, int>;
  BOOST_TEST((run(nullptr, first) == P{1, 1}));  // the baseline replays the same bytes
  BOOST_TEST((run(ed({{"sequence", {{"duplicate_policy", "reprocess"}}}}), first) == P{2, 0}));
  BOOST_TEST((run(nullptr, reordered) == P{2, 0}));  // seq_and_body: another request
  BOOST_TEST(
      (run(ed({{"sequence", {{"duplicate_key", "seq_and_checksum"}}}}), reordered) == P{1, 1}));
}

BOOST_AUTO_TEST_CASE(resend_97_as_sent_recomputed_unsupported_or_ignored_before_any_answer) {
  Kiosk base(nullptr);
  const auto last = base(checked(kStatus, 4));
  BOOST_TEST(base("97") == last);
  Kiosk recompute(ed({{"resend_97", {{"recompute_error_detection", true}}}}));
  const auto sent = recompute(checked(kStatus, 4));
  const auto again = recompute("97");
  BOOST_TEST(again.find("AY") == std::string::npos, again);
  std::string expected = sent.substr(0, sent.find("AY4AZ"));
  sip2::append_error_detection(expected, std::nullopt, sip2::ChecksumBasis::bytes,
                               sip2::Charset::cp850);
  BOOST_TEST(again == expected + "\r");
  Kiosk unsupported(ed({{"resend_97", {{"supported", false}}}}));
  unsupported.peer.send("97\r");
  BOOST_TEST(unsupported(kStatus).substr(0, 2) == "98");
  // Before any response: a 96, or (when_nothing_sent ignore) nothing.
  SessionRig fresh;
  auto p = fresh.open();
  BOOST_TEST(fresh.exchange(p, "97").substr(0, 2) == "96");
  SessionRig quiet(Profile{ed({{"resend_97", {{"when_nothing_sent", "ignore"}}}})},
                   [](nlohmann::json& c) { c["profiles"]["default"] = "test-profile"; });
  auto q = quiet.open();
  q.send("97\r");
  BOOST_TEST(quiet.exchange(q, kLogin).substr(0, 3) == "941");
}

BOOST_AUTO_TEST_CASE(unknown_message_gets_a_96_no_answer_or_a_closed_connection) {
  const std::string unknown = "XY0123";
  const std::string response = "98YYYYNN10000320261207    0952172.00AOMAIN|";  // not a request
  for (const auto& frame : {unknown, response}) {
    Kiosk base(nullptr);
    BOOST_TEST(base(frame).substr(0, 2) == "96");
    Kiosk ignore(nlohmann::json{{"session", {{"unknown_message", "ignore"}}}});
    ignore.peer.send(frame + "\r");
    BOOST_TEST(ignore(kStatus).substr(0, 2) == "98");
    Kiosk close(nlohmann::json{{"session", {{"unknown_message", "close"}}}});
    BOOST_TEST(close(frame).empty());
    BOOST_TEST(close.peer.closed());
  }
}

namespace {

/// A rig whose every connection gets `keys` from accept on (the profiles default).
SessionRig from_accept(nlohmann::json keys) {
  return SessionRig(Profile{std::move(keys)},
                    [](nlohmann::json& c) { c["profiles"]["default"] = "test-profile"; });
}

/// The BX flag of `message` (0 = patron status … 9 = fee paid) in a 98.
char bx(const std::string& reply, std::size_t message) {
  const auto at = reply.find("|BX");
  return at == std::string::npos ? '?' : reply.at(at + 3 + message);
}

}  // namespace

BOOST_AUTO_TEST_CASE(session_keys_relogin_encrypted_login_and_pre_login_institution) {
  Kiosk base(nullptr);
  BOOST_TEST(base(kLogin).substr(0, 3) == "941");  // a second login is fine by default
  Kiosk once(nlohmann::json{{"session", {{"relogin_on_same_connection", false}}}});
  BOOST_TEST(once(kLogin).substr(0, 3) == "940");
  BOOST_TEST(once(kStatus).substr(0, 2) == "98", "still logged in");

  const std::string encrypted = "9311CNkiosk1|COkiosk-password|CPMAIN|";
  SessionRig strict;
  auto p = strict.open();
  BOOST_TEST(strict.exchange(p, encrypted).substr(0, 3) == "940");
  auto lenient = from_accept({{"session", {{"reject_encrypted_login", false}}}});
  auto q = lenient.open();
  BOOST_TEST(lenient.exchange(q, encrypted).substr(0, 3) == "941");

  auto plain = from_accept({{"session", {{"sc_status_before_login", {{"allowed", true}}}}}});
  auto r = plain.open();
  BOOST_TEST(plain.exchange(r, kStatus).find("2.00AO|") != std::string::npos);
  auto named = from_accept(
      {{"session", {{"sc_status_before_login", {{"allowed", true}, {"institution_id", "BR7"}}}}}});
  auto n = named.open();
  const auto reply = named.exchange(n, kStatus);
  BOOST_TEST(reply.find("2.00AOBR7|") != std::string::npos, reply);
  BOOST_TEST(named.exchange(n, kLogin).substr(0, 3) == "941");
  BOOST_TEST(named.exchange(n, kStatus).find("2.00AOMAIN|") != std::string::npos, "the account's");
}

BOOST_AUTO_TEST_CASE(fees_supported_false_refuses_37_and_says_so_in_98) {
  Kiosk base(nullptr);
  BOOST_TEST(bx(base(kStatus), 9) == 'Y');
  Kiosk none(nlohmann::json{{"fees", {{"supported", false}}}});
  BOOST_TEST(bx(none(kStatus), 9) == 'N');
  const auto refused = none("3720261207    1000000000USDBVAAMAIN|AA123|BV1.00|");
  BOOST_TEST(refused.substr(0, 3) == "38N", refused);  // payment not accepted
}

BOOST_AUTO_TEST_CASE(a_rate_limit_makes_requests_after_login_wait_their_turn_never_refused) {
  // limits.max_requests_per_second 2: a second's worth (2) at once, then one per 500 ms.
  Kiosk k(nlohmann::json{{"limits", {{"max_requests_per_second", 2}}}});
  auto responses = [](const std::string& wire) {
    return std::count(wire.begin(), wire.end(), '\r');
  };
  k.peer.send(kStatus + "\r" + kStatus + "\r" + kStatus + "\r");
  std::string got;
  BOOST_TEST_REQUIRE(k.rig.run_until([&] {
    got += k.peer.receive();
    return responses(got) >= 2;
  }));
  k.rig.advance(std::chrono::milliseconds(400));
  got += k.peer.receive();
  BOOST_TEST(responses(got) == 2, "the third waits for its turn");
  k.rig.advance(std::chrono::milliseconds(100));
  BOOST_TEST_REQUIRE(k.rig.run_until([&] {
    got += k.peer.receive();
    return responses(got) >= 3;
  }));
  BOOST_TEST(got.substr(got.rfind("98", got.size() - 2), 2) == "98");
  BOOST_TEST(!k.peer.closed());
  // Without the key nothing waits: three at once are three answers without the clock moving.
  Kiosk base(nullptr);
  base.peer.send(kStatus + "\r" + kStatus + "\r" + kStatus + "\r");
  std::string all;
  BOOST_TEST(base.rig.run_until([&] {
    all += base.peer.receive();
    return responses(all) >= 3;
  }));
}

BOOST_AUTO_TEST_CASE(normalization_composes_or_decomposes_what_the_kiosk_is_sent) {
  // The library's name as a library system may store it: 'e' and a combining grave accent.
  const std::string decomposed = "Biblioth\x65\xCC\x80que";
  const std::string composed = "Biblioth\xC3\xA8que";
  auto name_in_98 = [&](nlohmann::json keys, const std::string& name) {
    keys["encoding"]["wire_charset"] = "utf-8";
    SessionRig rig(Profile{keys}, [&](nlohmann::json& c) { c["library_name"] = name; });
    auto peer = rig.open();
    BOOST_REQUIRE(rig.exchange(peer, kLogin).substr(0, 3) == "941");
    const auto reply = rig.exchange(peer, kStatus);
    const auto at = reply.find("|AM");
    BOOST_REQUIRE(at != std::string::npos);
    return reply.substr(at + 3, reply.find('|', at + 3) - at - 3);
  };
  BOOST_TEST(name_in_98(nlohmann::json::object(), decomposed) == decomposed);
  BOOST_TEST(name_in_98({{"encoding", {{"normalization", "NFC"}}}}, decomposed) == composed);
  BOOST_TEST(name_in_98({{"encoding", {{"normalization", "NFD"}}}}, composed) == decomposed);
}

BOOST_AUTO_TEST_CASE(inbound_terminators_without_lf_leave_a_bare_lf_inside_the_request) {
  // Baseline: a bare LF ends a request.
  Kiosk base(nullptr);
  base.peer.send(kStatus + "\n");
  std::string got;
  BOOST_TEST(base.rig.run_until([&] {
    got += base.peer.receive();
    return got.find('\r') != std::string::npos;
  }));
  BOOST_TEST(got.substr(0, 2) == "98");
  // CR and CRLF only (Cen-Tec): the LF does not end it; the CR does, and the LF of the CRLF
  // before the next request is dropped.
  Kiosk crlf(nlohmann::json{{"framing", {{"inbound_terminators", {"CR", "CRLF"}}}}});
  crlf.peer.send(kStatus + "\n");
  crlf.rig.advance(std::chrono::milliseconds(10));
  BOOST_TEST(crlf.peer.receive().empty(), "a bare LF ended the request");
  crlf.peer.send("\r");
  std::string answer;
  BOOST_TEST(crlf.rig.run_until([&] {
    answer += crlf.peer.receive();
    return answer.find('\r') != std::string::npos;
  }));
  BOOST_TEST(!answer.empty());  // the request ended at the CR, its LF inside it
  BOOST_TEST(crlf(kStatus + "\r\n" + kStatus).substr(0, 2) == "98");
}

namespace {

/// The fields of a 98 (or any reply) as "CODE=value", in wire order, AY/AZ left out.
std::vector<std::string> fields_of(const std::string& reply) {
  auto m = sip2::decode(reply.substr(0, reply.find('\r')), {}, sip2::Mode::lenient);
  BOOST_REQUIRE(m.has_value());
  std::vector<std::string> out;
  for (const auto& f : m->fields)
    out.push_back(std::string(f.code.view()) + "=" + f.value);
  return out;
}

/// The codes alone.
std::string codes_of(const std::string& reply) {
  std::string out;
  for (const auto& f : fields_of(reply))
    out += f.substr(0, 2) + " ";
  return out;
}

/// A logged-in kiosk with `fields` keys, and a library name long enough to cut.
std::string status_with(nlohmann::json fields, const std::string& status = kStatus) {
  nlohmann::json keys =
      fields.is_null() ? nlohmann::json::object() : nlohmann::json{{"fields", fields}};
  SessionRig rig(Profile{keys}, [](nlohmann::json& c) { c["library_name"] = "Town Library"; });
  auto peer = rig.open();
  BOOST_REQUIRE(rig.exchange(peer, kLogin).substr(0, 3) == "941");
  return rig.exchange(peer, status);
}

}  // namespace

BOOST_AUTO_TEST_CASE(fields_hide_allow_only_and_always_send_change_what_a_98_carries) {
  const auto base = codes_of(status_with(nullptr));
  BOOST_TEST(base == "AO AM BX AN ", base);
  BOOST_TEST(codes_of(status_with({{"hide", {{"98", {"AM"}}}}})) == "AO BX AN ");
  BOOST_TEST(codes_of(status_with({{"hide", {{"*", {"AN"}}}}})) == "AO AM BX ");
  // Required fields (AO, BX) stay whatever allow_only says.
  BOOST_TEST(codes_of(status_with({{"allow_only", {{"98", {"AN"}}}}})) == "AO BX AN ");
  const auto added = fields_of(status_with({{"always_send", {{"98", {{"AF", "Welcome"}}}}}}));
  BOOST_TEST(added.back() == "AF=Welcome");
  // A field the response has keeps its value; a hidden one is not added back.
  const auto kept = fields_of(status_with({{"always_send", {{"*", {{"AM", "Other"}}}}}}));
  BOOST_TEST(kept[1] == "AM=Town Library");
  BOOST_TEST(codes_of(status_with(
                 {{"hide", {{"98", {"AF"}}}}, {"always_send", {{"98", {{"AF", "x"}}}}}})) == base);
}

BOOST_AUTO_TEST_CASE(fields_rewrite_order_and_per_message_order_change_the_98) {
  const auto rewritten = fields_of(status_with({{"rewrite",
                                                 {{{"message", "98"},
                                                   {"field", "AM"},
                                                   {"find", "^Town (.*)$"},
                                                   {"replace", "$1 of the town"}}}}}));
  BOOST_TEST(rewritten[1] == "AM=Library of the town");
  const auto other = fields_of(status_with(
      {{"rewrite", {{{"message", "24"}, {"field", "AM"}, {"find", "Town"}, {"replace", "X"}}}}}));
  BOOST_TEST(other[1] == "AM=Town Library", "a rule for 24 leaves the 98 alone");
  // spec: required fields first (AO, BX), then the optional ones in the document's order.
  BOOST_TEST(codes_of(status_with({{"order", "spec"}})) == "AO BX AM AN ");
  BOOST_TEST(codes_of(status_with({{"order", "any"}})) == "AO AM BX AN ");
  BOOST_TEST(codes_of(status_with({{"per_message_order", {{"98", {"AN", "AM"}}}}})) ==
             "AN AM AO BX ");
  BOOST_TEST(codes_of(status_with({{"per_message_order", {{"*", {"BX"}}}}, {"order", "spec"}})) ==
             "BX AO AM AN ");
}

BOOST_AUTO_TEST_CASE(screen_message_and_field_lengths_cut_split_or_drop) {
  const nlohmann::json long_af = {{"98", {{"AF", "Please return the book at the desk"}}}};
  auto afs = [](const std::vector<std::string>& fs) {
    std::vector<std::string> out;
    for (const auto& f : fs)
      if (f.starts_with("AF=")) out.push_back(f.substr(3));
    return out;
  };
  BOOST_TEST(afs(fields_of(status_with({{"always_send", long_af}}))).size() == 1u);
  const auto cut = afs(
      fields_of(status_with({{"always_send", long_af}, {"screen_message", {{"max_length", 12}}}})));
  BOOST_TEST(cut == std::vector<std::string>{"Please retur"});
  const auto split = afs(fields_of(
      status_with({{"always_send", long_af},
                   {"screen_message", {{"max_length", 12}, {"split_into_repeated_af", true}}}})));
  const std::vector<std::string> lines = {"Please", "return the", "book at the", "desk"};
  BOOST_TEST(split == lines);

  // AM (not repeatable) longer than max_field_length: cut by default.
  auto am = [](const std::vector<std::string>& fs) {
    std::vector<std::string> out;
    for (const auto& f : fs)
      if (f.starts_with("AM=")) out.push_back(f.substr(3));
    return out;
  };
  BOOST_TEST(am(fields_of(status_with({{"max_field_length", 5}}))) ==
             std::vector<std::string>{"Town "});
  BOOST_TEST(am(fields_of(status_with({{"max_field_length", 5}, {"overflow", "truncate"}}))) ==
             std::vector<std::string>{"Town "});
  BOOST_TEST(am(fields_of(status_with({{"max_field_length", 5}, {"overflow", "drop"}}))).empty());
  const std::vector<std::string> repeated = {"Town ", "Libra", "ry"};
  BOOST_TEST(am(fields_of(status_with({{"max_field_length", 5}, {"overflow", "repeat_field"}}))) ==
             repeated);
  // AF is repeatable: split by default, cut with truncate.
  const nlohmann::json af = {{"98", {{"AF", "abcdefgh"}}}};
  BOOST_TEST(afs(fields_of(status_with({{"always_send", af}, {"max_field_length", 5}}))).size() ==
             2u);
  BOOST_TEST(afs(fields_of(status_with(
                     {{"always_send", af}, {"max_field_length", 5}, {"overflow", "truncate"}})))
                 .size() == 1u);
}

BOOST_AUTO_TEST_CASE(print_line_width_follows_the_99s_width_when_asked) {
  const nlohmann::json ag = {{"98", {{"AG", "Opening hours today nine to five"}}}};
  const std::string narrow = "9900102.00";  // max print width 010
  auto ags = [](const std::string& reply) {
    std::size_t n = 0;
    for (const auto& f : fields_of(reply))
      n += f.starts_with("AG=") ? 1 : 0;
    return n;
  };
  BOOST_TEST(ags(status_with({{"always_send", ag}}, narrow)) == 1u);
  BOOST_TEST(ags(status_with({{"always_send", ag}, {"print_line_width", "unlimited"}}, narrow)) ==
             1u);
  BOOST_TEST(ags(status_with({{"always_send", ag}, {"print_line_width", "from_sc_status"}},
                             narrow)) == 4u);
  // A 99 with width 000 says nothing: the line is left whole.
  BOOST_TEST(ags(status_with({{"always_send", ag}, {"print_line_width", "from_sc_status"}},
                             "9900002.00")) == 1u);
}

BOOST_AUTO_TEST_CASE(a_profiles_login_and_idle_timeouts_replace_the_configs) {
  using namespace std::chrono_literals;
  // The config's: 60 s to log in, 900 s idle. The profile's: 5 s and 30 s.
  SessionRig base;
  auto waiting = base.open();
  base.advance(6s);
  BOOST_TEST(!waiting.closed(), "the config's 60 s login timeout");
  auto quick = from_accept({{"timeouts", {{"login_timeout_s", 5}}}});
  auto slow = quick.open();
  quick.advance(6s);
  BOOST_TEST(quick.run_until([&] { return slow.closed(); }), "open past the profile's 5 s");

  Kiosk idle_base(nullptr);
  idle_base.rig.advance(31s);
  BOOST_TEST(!idle_base.peer.closed(), "the config's 900 s idle timeout");
  Kiosk idle(nlohmann::json{{"timeouts", {{"idle_timeout_s", 30}}}});
  idle.rig.advance(20s);
  BOOST_TEST(idle(kStatus).substr(0, 2) == "98");  // activity restarts it
  idle.rig.advance(25s);
  BOOST_TEST(!idle.peer.closed());
  idle.rig.advance(6s);
  BOOST_TEST(idle.rig.run_until([&] { return idle.peer.closed(); }), "open past 30 s idle");
}

BOOST_AUTO_TEST_CASE(a_profiles_tcp_keepalive_is_set_on_the_connection) {
  Kiosk base(nullptr);
  BOOST_TEST(!base.peer.keepalive().has_value(), "the listener's own, set at accept");
  // At login (the profile comes with the account): the config's values where it says nothing.
  Kiosk tuned(nlohmann::json{{"transport", {{"tcp_keepalive", {{"idle_s", 20}, {"probes", 3}}}}}});
  const auto k = tuned.peer.keepalive();
  BOOST_REQUIRE(k.has_value());
  BOOST_TEST(k->enabled);
  BOOST_TEST(k->idle.count() == 20);
  BOOST_TEST(k->interval.count() == 10);  // the config's
  BOOST_TEST(k->count == 3);
  // At accept, and off.
  auto off = from_accept({{"transport", {{"tcp_keepalive", {{"enabled", false}}}}}});
  auto peer = off.open();
  BOOST_REQUIRE(peer.keepalive().has_value());
  BOOST_TEST(!peer.keepalive()->enabled);
}

BOOST_AUTO_TEST_CASE(unknown_and_repeated_request_fields_follow_the_profile) {
  // A login whose CO comes twice: the first (wrong) is read by default, the last when asked.
  const std::string twice = "9300CNkiosk1|COwrong|COkiosk-password|CPMAIN|";
  SessionRig first;
  auto a = first.open();
  BOOST_TEST(first.exchange(a, twice).substr(0, 3) == "940");
  auto last = from_accept({{"fields", {{"duplicate_inbound", "last_wins"}}}});
  auto b = last.open();
  BOOST_TEST(last.exchange(b, twice).substr(0, 3) == "941");
  auto logged = from_accept({{"fields", {{"duplicate_inbound", "log_and_first_wins"}}}});
  auto c = logged.open();
  BOOST_TEST(logged.exchange(c, twice).substr(0, 3) == "940");

  // A field SIP 2.00 does not name for a 93: ignored by default, or a 96.
  const std::string odd = "9300CNkiosk1|COkiosk-password|CPMAIN|ZZsomething|";
  SessionRig plain;
  auto d = plain.open();
  BOOST_TEST(plain.exchange(d, odd).substr(0, 3) == "941");
  auto noted = from_accept({{"fields", {{"unknown_inbound", "log"}}}});
  auto e = noted.open();
  BOOST_TEST(noted.exchange(e, odd).substr(0, 3) == "941");
  auto strict = from_accept({{"fields", {{"unknown_inbound", "send_96"}}}});
  auto f = strict.open();
  BOOST_TEST(strict.exchange(f, odd).substr(0, 2) == "96");
  BOOST_TEST(strict.exchange(f, kLogin).substr(0, 3) == "941", "a conforming request still works");
}

BOOST_AUTO_TEST_CASE(logging_level_none_leaves_out_the_request_lines) {
  const auto file = std::filesystem::temp_directory_path() /
                    ("sip2gw-profile-log-" + std::to_string(::getpid()) + ".log");
  obs::init_logging({.file = file.string()});
  auto lines = [&file](std::string_view what) {
    obs::flush_logs();
    std::ifstream in(file);
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);)
      n += line.find(what) != std::string::npos ? 1 : 0;
    return n;
  };
  {
    Kiosk base(nullptr);
    (void)base(kStatus);
  }
  const auto with_lines = lines("request command=99");
  BOOST_TEST(with_lines == 1u);
  {
    Kiosk quiet(nlohmann::json{{"logging", {{"level", "none"}}}});
    (void)quiet(kStatus);
    (void)quiet(kStatus);
  }
  BOOST_TEST(lines("request command=99") == with_lines, "a request line for a quiet kiosk");
  BOOST_TEST(lines("session closed") >= 2u, "the session's own lines are kept");
  obs::init_logging({});
  std::filesystem::remove(file);
}
