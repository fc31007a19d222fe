// Firmware profiles: layering with `extends`, where each value came from, errors naming the
// file that set a value, and the `match` rules.
#define BOOST_TEST_MODULE gateway_profiles
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "profiles/fields.hpp"
#include "profiles/profile_registry.hpp"
#include "sip2/typed.hpp"

namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    static int n = 0;
    path = fs::temp_directory_path() /
           ("sip2gw-profiles-test-" + std::to_string(::getpid()) + "-" + std::to_string(++n));
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
  }
};

using Result = std::variant<profiles::ProfileRegistry, std::vector<std::string>>;

const profiles::ProfileRegistry& registry(const Result& r) {
  if (const auto* e = std::get_if<std::vector<std::string>>(&r))
    BOOST_FAIL("profiles did not load: " + e->front());
  return std::get<profiles::ProfileRegistry>(r);
}

const std::vector<std::string>& errors(const Result& r) {
  BOOST_REQUIRE(std::holds_alternative<std::vector<std::string>>(r));
  return std::get<std::vector<std::string>>(r);
}

bool has(const std::vector<std::string>& e, const std::string& text) {
  return std::find(e.begin(), e.end(), text) != e.end();
}

bool any_starts(const std::vector<std::string>& e, const std::string& prefix) {
  return std::any_of(e.begin(), e.end(), [&](const auto& l) { return l.starts_with(prefix); });
}

}  // namespace

BOOST_AUTO_TEST_CASE(layers_merge_objects_replace_arrays_and_remember_each_values_file) {
  TempDir t;
  t.write("vendor.json", R"({"schema_version":1,"profile_id":"vendor","extends":["sip2-baseline"],
    "framing":{"outbound_terminator":"CRLF"},
    "checkout":{"no_desensitize_patron_categories":["staff","faculty"]},
    "encoding":{"wire_charset":"utf-8"}})");
  t.write("other.json", R"({"schema_version":1,"profile_id":"other",
    "error_detection":{"inbound":"off"},"encoding":{"wire_charset":"iso-8859-1"}})");
  t.write("site.json", R"({"schema_version":1,"profile_id":"site","extends":["vendor","other"],
    "checkout":{"no_desensitize_patron_categories":["staff"]},"encoding":{"replacement":"_"}})");
  const auto loaded = profiles::ProfileRegistry::load(t.path);
  const auto& reg = registry(loaded);
  const auto* site = reg.find("site");
  BOOST_TEST_REQUIRE(site != nullptr);
  // Objects merge: the site keeps the vendor's terminator and the other's error detection.
  BOOST_TEST(site->dialect.terminator == "\r\n");
  BOOST_TEST((site->dialect.error_detection == sip2::ErrorDetection::off));
  BOOST_TEST(site->dialect.replacement == '_');
  // Parents apply left to right: the later one's charset wins.
  BOOST_TEST((site->dialect.charset == sip2::Charset::latin1));
  BOOST_TEST((reg.find("vendor")->dialect.charset == sip2::Charset::utf8));
  // Arrays replace: the site's list, not the union.
  BOOST_TEST(site->effective["checkout"]["no_desensitize_patron_categories"] ==
             nlohmann::json({"staff"}));
  BOOST_TEST(site->behaviour.checkout.no_desensitize_groups == std::vector<std::string>{"staff"});
  const auto& from = site->sources;
  const std::string dir = "firmware-profiles/";
  BOOST_TEST(from.at("/framing/outbound_terminator") == dir + "vendor.json");
  BOOST_TEST(from.at("/checkout/no_desensitize_patron_categories") == dir + "site.json");
  BOOST_TEST(from.at("/encoding/wire_charset") == dir + "other.json");
  BOOST_TEST(from.at("/encoding/replacement") == dir + "site.json");
  BOOST_TEST(from.at("/error_detection/inbound") == dir + "other.json");
  BOOST_TEST(from.at("/framing/field_delimiter") == profiles::ProfileRegistry::kBuiltIn);
  BOOST_TEST(!from.contains("/checkout/no_desensitize_patron_categories/0"));  // one value
  // Per-file keys are not layered.
  BOOST_TEST(!site->effective.contains("extends"));
  BOOST_TEST(!site->effective.contains("profile_id"));
  // Every recorded value is in the effective profile, and every leaf has a source.
  for (const auto& [pointer, _] : from)
    BOOST_TEST(site->effective.contains(nlohmann::json::json_pointer(pointer)), pointer);
}

BOOST_AUTO_TEST_CASE(the_baseline_is_the_dialects_defaults) {
  TempDir t;
  const auto loaded = profiles::ProfileRegistry::load(t.path);
  const auto* base = registry(loaded).find(profiles::ProfileRegistry::kBaseline);
  BOOST_TEST_REQUIRE(base != nullptr);
  BOOST_TEST((base->dialect == sip2::Dialect{}));
  BOOST_TEST(base->sources.size() >= 10u);
  for (const auto& [pointer, source] : base->sources) {
    BOOST_TEST(source == profiles::ProfileRegistry::kBuiltIn);
    BOOST_TEST(profiles::acted_on(pointer), pointer << " is in the baseline but has no effect");
  }
}

BOOST_AUTO_TEST_CASE(an_error_names_the_file_that_set_the_value_and_its_json_path) {
  TempDir t;
  t.write("parent.json", R"({"schema_version":1,"profile_id":"parent",
    "encoding":{"wire_charset":"ebcdic"}})");
  t.write("child.json", R"({"schema_version":1,"profile_id":"child","extends":["parent"],
    "framing":{"outbound_terminator":"NUL","typo":true}})");
  const auto loaded = profiles::ProfileRegistry::load(t.path);
  const auto& e = errors(loaded);
  BOOST_TEST(has(e,
                 "firmware-profiles/parent.json: encoding.wire_charset: must be ascii, cp850, "
                 "iso-8859-1 or utf-8"));
  BOOST_TEST(!any_starts(e, "firmware-profiles/child.json: encoding"));  // inherited, not its own
  BOOST_TEST(has(e, "firmware-profiles/child.json: framing.typo: unknown key"));
  BOOST_TEST(any_starts(e, "firmware-profiles/child.json: framing.outbound_terminator: must be"));
  // Reported once, although the parent's value reaches two profiles.
  BOOST_TEST(std::count_if(e.begin(), e.end(), [](const auto& l) {
               return l.starts_with("firmware-profiles/parent.json: encoding.wire_charset");
             }) == 1);
}

BOOST_AUTO_TEST_CASE(unknown_parents_cycles_duplicate_ids_and_bad_json_are_reported) {
  TempDir t;
  t.write("a.json", R"({"schema_version":1,"profile_id":"a","extends":["b"]})");
  t.write("b.json", R"({"schema_version":1,"profile_id":"b","extends":["a"]})");
  t.write("c.json", R"({"schema_version":1,"profile_id":"c","extends":["nowhere"]})");
  t.write("d.json", R"({"schema_version":1,"profile_id":"g"})");
  t.write("g.json", R"({"schema_version":1,"profile_id":"g"})");
  t.write("e.json", R"({"schema_version":1,)");
  t.write("f.json", R"({"profile_id":"f"})");
  const auto loaded = profiles::ProfileRegistry::load(t.path);
  const auto& e = errors(loaded);
  BOOST_TEST(any_starts(e, "firmware-profiles/a.json: extends: cycle through"));
  BOOST_TEST(has(e, "firmware-profiles/c.json: extends[0]: unknown profile 'nowhere'"));
  BOOST_TEST((any_starts(e, "firmware-profiles/d.json: profile_id: 'g' is also the id of") ||
              any_starts(e, "firmware-profiles/g.json: profile_id: 'g' is also the id of")));
  BOOST_TEST(any_starts(e, "firmware-profiles/e.json: not valid JSON"));
  BOOST_TEST(any_starts(e, "firmware-profiles/f.json: schema_version:"));
}

BOOST_AUTO_TEST_CASE(match_rules_choose_a_profile_at_accept_and_at_login) {
  TempDir t;
  t.write("a.json", R"({"schema_version":1,"profile_id":"a",
    "match":{"listener_ports":[6001],"source_cidrs":["10.1.0.0/16"]}})");
  t.write("b.json", R"({"schema_version":1,"profile_id":"b",
    "match":{"login_id_prefixes":["sc-"],"location_codes":["BR1"]}})");
  t.write("c.json", R"({"schema_version":1,"profile_id":"c","extends":["b"]})");
  const auto loaded = profiles::ProfileRegistry::load(t.path);
  const auto& reg = registry(loaded);
  using C = profiles::Connection;
  const auto* a = reg.find("a");
  const auto* b = reg.find("b");
  // At accept: every present rule (port and network) must hold.
  BOOST_TEST(reg.matching(C{6001, "10.1.2.3", {}, {}}, false) == a);
  BOOST_TEST(reg.matching(C{6002, "10.1.2.3", {}, {}}, false) == nullptr);
  BOOST_TEST(reg.matching(C{6001, "10.2.0.1", {}, {}}, false) == nullptr);
  // A login rule is decided at login, never at accept; location must hold too.
  BOOST_TEST(reg.matching(C{6001, "10.9.9.9", {}, {}}, false) == nullptr);
  BOOST_TEST(reg.matching(C{7000, "10.9.9.9", "sc-12", "BR1"}, true) == b);
  BOOST_TEST(reg.matching(C{7000, "10.9.9.9", "sc-12", "BR2"}, true) == nullptr);
  BOOST_TEST(reg.matching(C{7000, "10.9.9.9", "kiosk", "BR1"}, true) == nullptr);
  BOOST_TEST(reg.matching(C{7000, "10.9.9.9", {}, "BR1"}, true) == nullptr);
  // Match rules belong to their file: c extends b and matches nothing.
  BOOST_TEST(reg.find("c")->match.empty());
  BOOST_TEST(b->match.describe() == "login_id_prefixes 'sc-', location_codes 'BR1'");
}

BOOST_AUTO_TEST_CASE(match_rules_that_cannot_work_are_refused_not_ignored) {
  TempDir t;
  t.write("a.json", R"({"schema_version":1,"profile_id":"a",
    "match":{"protocol_version_regex":"^2\\.00$","source_cidrs":["10.1.0.0/99"],
             "listener_ports":[0],"hostnames":["x"]}})");
  const auto loaded = profiles::ProfileRegistry::load(t.path);
  const auto& e = errors(loaded);
  BOOST_TEST(
      any_starts(e, "firmware-profiles/a.json: match.protocol_version_regex: not supported"));
  BOOST_TEST(any_starts(e, "firmware-profiles/a.json: match.source_cidrs[0]: must be"));
  BOOST_TEST(any_starts(e, "firmware-profiles/a.json: match.listener_ports[0]: must be"));
  BOOST_TEST(has(e, "firmware-profiles/a.json: match.hostnames: unknown key"));
}

BOOST_AUTO_TEST_CASE(the_schemas_name_for_required_error_detection_is_read) {
  TempDir t;
  t.write("a.json", R"({"schema_version":1,"profile_id":"a",
    "error_detection":{"inbound":"required"}})");
  const auto loaded = profiles::ProfileRegistry::load(t.path);
  BOOST_TEST((registry(loaded).find("a")->dialect.error_detection == sip2::ErrorDetection::on));
}

BOOST_AUTO_TEST_CASE(checkin_keys_reach_the_handlers_behaviour) {
  TempDir t;
  t.write("a.json", R"({"schema_version":1,"profile_id":"a",
    "checkin":{"ct":{"always_send":true},"cv":{"send_00_on_success":true},
               "screen_message_on_success":false,"return_patron_aa":false,
               "holds":{"send_hold_patron_cy":false,"send_hold_patron_phone_bf":true}}})");
  t.write("b.json", R"({"schema_version":1,"profile_id":"b","checkin":{"cv":{"typo":1}}})");
  const auto loaded = profiles::ProfileRegistry::load(t.path);
  const auto& e = errors(loaded);
  BOOST_TEST(has(e, "firmware-profiles/b.json: checkin.cv.typo: unknown key"));
  t.write("b.json", R"({"schema_version":1,"profile_id":"b"})");
  const auto again = profiles::ProfileRegistry::load(t.path);
  const auto& reg = registry(again);
  const auto& c = reg.find("a")->behaviour.checkin;
  BOOST_TEST(c.ct_always);
  BOOST_TEST(c.cv_00_on_success);
  BOOST_TEST(!c.message_on_success);
  BOOST_TEST(!c.patron_aa);
  BOOST_TEST(!reg.find("a")->behaviour.hold_patron_cy);
  BOOST_TEST(reg.find("a")->behaviour.hold_patron_phone);
  BOOST_TEST((reg.find("b")->behaviour == profiles::Behaviour{}));
}

BOOST_AUTO_TEST_CASE(sorter_checkout_and_patron_identifier_keys_are_read_or_named_when_wrong) {
  TempDir t;
  t.write("a.json", R"({"schema_version":1,"profile_id":"a",
    "checkin":{"ok_when_not_checked_out":false,"resensitize":"always_on_success",
               "alert":{"on_failure":true,"only_when_cv_present":true},
               "cv":{"codes":{"hold_here":"11","transit":"14"}},
               "reject_item_statuses":["lost","Missing"],
               "sort_bin_cl":{"rules":[{"when":{"attribute":"item.itype","op":"eq","value":"dvd"},
                                        "bin":"AV"},
                                       {"when":{"attribute":"checkin.cv","op":"regex",
                                                "value":"^0[12]$"},"bin":"HOLDS"}],
                              "default_bin":"9"}},
    "checkout":{"blocked_item_types":["dvd"],"in_house_only_item_types":["reference"],
                "already_on_loan_to_same_patron":"reject"},
    "patron":{"trim_identifiers":true,"identifier_transform":[{"find":"^P-","replace":""}],
              "info_64":{"unavailable_holds_in_cd":false,"item_list_datatype":"title",
                         "max_listed_items":5,"internal_id_xi":true}}})");
  t.write("b.json", R"({"schema_version":1,"profile_id":"b",
    "checkin":{"cv":{"codes":{"other":"9x","hold_in_transit":"02"}},
               "sort_bin_cl":{"rules":[{"when":{"attribute":"item.colour","op":"like",
                                                "value":"("},"bin":"A"},
                                       {"when":{"attribute":"item.location","op":"regex",
                                                "value":"("},"bin":"B"},{"bin":"C"}]}},
    "patron":{"identifier_transform":[{"find":"["}]}})");
  const auto loaded = profiles::ProfileRegistry::load(t.path);
  const auto& e = errors(loaded);
  const std::string file = "firmware-profiles/b.json: ";
  BOOST_TEST(any_starts(e, file + "checkin.cv.codes.other: must be two digits"));
  BOOST_TEST(any_starts(e, file + "checkin.cv.codes.hold_in_transit: not supported"));
  BOOST_TEST(any_starts(e, file + "checkin.sort_bin_cl.rules[0].when.attribute: must be one of"));
  BOOST_TEST(any_starts(e, file + "checkin.sort_bin_cl.rules[0].when.op: must be one of"));
  BOOST_TEST(any_starts(e, file + "checkin.sort_bin_cl.rules[1].when.value: not a valid regular"));
  BOOST_TEST(any_starts(e, file + "checkin.sort_bin_cl.rules[2].when: is required"));
  BOOST_TEST(any_starts(e, file + "patron.identifier_transform[0].find: not a valid regular"));
  BOOST_TEST(any_starts(e, file + "patron.identifier_transform[0].replace: is required"));
  for (const auto& line : e)
    BOOST_TEST(line.starts_with(file), line);
  t.write("b.json", R"({"schema_version":1,"profile_id":"b"})");
  const auto again = profiles::ProfileRegistry::load(t.path);
  const auto& b = registry(again).find("a")->behaviour;
  using R = profiles::Behaviour::Checkin::SortRule;
  BOOST_TEST(!b.checkin.ok_when_not_on_loan);
  BOOST_TEST(b.checkin.resensitize_always);
  BOOST_TEST(b.checkin.alert_on_failure);
  BOOST_TEST(b.checkin.alert_only_with_cv);
  BOOST_TEST(b.checkin.codes.hold_here == 11);
  BOOST_TEST(b.checkin.codes.transit == 14);
  BOOST_TEST(b.checkin.codes.hold_elsewhere == 2);
  BOOST_TEST(b.checkin.reject_statuses == std::vector<std::string>({"lost", "Missing"}));
  BOOST_TEST_REQUIRE(b.checkin.sort_rules.size() == 2u);
  BOOST_TEST((b.checkin.sort_rules[0].attribute == R::Attribute::material_type));
  BOOST_TEST((b.checkin.sort_rules[1].op == R::Op::regex));
  BOOST_TEST(b.checkin.sort_rules[1].re != nullptr);
  BOOST_TEST(b.checkin.default_bin == "9");
  BOOST_TEST(b.checkout.blocked_types == std::vector<std::string>({"dvd"}));
  BOOST_TEST(b.checkout.in_house_types == std::vector<std::string>({"reference"}));
  BOOST_TEST(!b.checkout.renew_on_rescan);
  BOOST_TEST(b.identifier.trim);
  BOOST_TEST_REQUIRE(b.identifier.transforms.size() == 1u);
  BOOST_TEST(b.identifier.transforms[0].re != nullptr);
  BOOST_TEST(!b.info_64.unavailable_in_cd);
  BOOST_TEST(b.info_64.titles);
  BOOST_TEST(b.info_64.max_items.value_or(0) == 5u);
  BOOST_TEST(b.info_64.internal_id);
}

BOOST_AUTO_TEST_CASE(acs_session_date_encoding_fee_and_cq_keys_are_read_or_refused) {
  TempDir t;
  t.write("a.json", R"({"schema_version":1,"profile_id":"a",
    "acs_status":{"online_status":false,"institution_id":"CONS",
                  "supported_messages_bx":"YYYYYYYYYYYYYNYY","terminal_location_source":"none"},
    "session":{"location_code_fallback":"WALL","protocol_version_prefix_match":true},
    "dates":{"blank_date_means_null":true,"due_date":{"when_not_checked_out":"empty_field"}},
    "encoding":{"wire_charset":"utf-8","inbound_charset":"iso-8859-1",
                "control_chars_in_values":{"replace_with":"_","include_field_delimiter":true}},
    "fees":{"payment_type_map":{"01":"Credit card"},"register_id":"R1","currency":"EUR",
            "overpayment":"reject"},
    "patron":{"password":{"send_cq_only_when_ad_present":true}},
    "checkout":{"show_outstanding_amount":true}})");
  t.write("b.json", R"({"schema_version":1,"profile_id":"b",
    "acs_status":{"supported_messages_bx":"YYYYNYYYYYYYYYYY"},
    "session":{"protocol_version_prefix_match":false},
    "dates":{"blank_date_means_null":false},
    "encoding":{"inbound_charset":"ebcdic",
                "control_chars_in_values":{"replace_with":null,"include_field_delimiter":false}},
    "fees":{"payment_type_map":{"1":"x","02":""},"currency":"eur","overpayment":"credit"}})");
  const auto loaded = profiles::ProfileRegistry::load(t.path);
  const auto& e = errors(loaded);
  const std::string file = "firmware-profiles/b.json: ";
  BOOST_TEST(any_starts(e, file + "acs_status.supported_messages_bx: positions 5 to 7"));
  BOOST_TEST(any_starts(e, file + "session.protocol_version_prefix_match: only true"));
  BOOST_TEST(any_starts(e, file + "dates.blank_date_means_null: only true"));
  BOOST_TEST(any_starts(e, file + "encoding.inbound_charset: must be ascii"));
  BOOST_TEST(any_starts(e, file + "encoding.control_chars_in_values.replace_with: must be one"));
  BOOST_TEST(
      any_starts(e, file + "encoding.control_chars_in_values.include_field_delimiter: only"));
  BOOST_TEST(any_starts(e, file + "fees.payment_type_map.1: must be a two-digit code"));
  BOOST_TEST(any_starts(e, file + "fees.payment_type_map.02: must be a two-digit code"));
  BOOST_TEST(any_starts(e, file + "fees.currency: must be a three-letter"));
  BOOST_TEST(any_starts(e, file + "fees.overpayment: only 'reject' is supported"));
  for (const auto& line : e)
    BOOST_TEST(line.starts_with(file), line);
  t.write("b.json", R"({"schema_version":1,"profile_id":"b"})");
  const auto again = profiles::ProfileRegistry::load(t.path);
  const auto& p = *registry(again).find("a");
  const auto& b = p.behaviour;
  BOOST_TEST(!b.acs.online);
  BOOST_TEST(b.acs.institution_id == "CONS");
  BOOST_TEST_REQUIRE(b.acs.supported.has_value());
  BOOST_TEST(!b.acs.supported->test(static_cast<std::size_t>(sip2::Supported::hold)));
  BOOST_TEST(b.acs.supported->test(static_cast<std::size_t>(sip2::Supported::patron_status)));
  BOOST_TEST((b.acs.location_source == profiles::Behaviour::Acs::LocationSource::none));
  BOOST_TEST(b.session.location_fallback == "WALL");
  BOOST_TEST(b.empty_due_when_not_on_loan);
  BOOST_TEST(b.fees.payment_methods.at(1) == "Credit card");
  BOOST_TEST(b.fees.register_id == "R1");
  BOOST_TEST(b.fees.currency == "EUR");
  BOOST_TEST(b.cq_only_with_ad);
  BOOST_TEST(b.checkout.show_outstanding);
  BOOST_TEST(p.dialect.delimiter_replacement == '_');
  BOOST_TEST((p.dialect.inbound_charset == sip2::Charset::latin1));
  // On the wire: a request written in Latin-1 is read although the kiosk is answered in UTF-8,
  // and a control character inside a value goes out as the profile's replacement.
  const std::string latin1 = "2300120250314    103000AOMAIN|AAM\xfcller|AC|AD1234|";
  const auto decoded = sip2::decode(latin1, p.dialect);
  BOOST_TEST_REQUIRE(decoded.has_value());
  BOOST_TEST(decoded->fields[1].value == "M\xc3\xbcller");
  sip2::PatronStatusResponse a;
  a.personal_name = "line\none";
  const auto wire = *sip2::encode(sip2::AnyMessage{a}, p.dialect);
  BOOST_TEST(wire.find("AEline_one|") != std::string::npos, wire);
}

BOOST_AUTO_TEST_CASE(a_schema_key_this_version_does_not_act_on_is_refused_not_ignored) {
  TempDir t;
  t.write("a.json", R"({"schema_version":1,"profile_id":"a",
    "framing":{"inbound_terminators":["LF"],"skip_blank_lines":false},
    "checkin":{"holds":{"capture":"auto"}},"patron":{"status_24":{"extra_fields":["PB"]}},
    "fields":{"templates":{"64":{"AE":"{{patron.name}}"}}},"fees":{"av_format":"template"},
    "offline":{"nb_due_date":"later_of_both"}})");
  const auto loaded = profiles::ProfileRegistry::load(t.path);
  const auto& e = errors(loaded);
  const std::string file = "firmware-profiles/a.json: ";
  BOOST_TEST(any_starts(e, file + "framing.inbound_terminators: must list CR or CRLF"));
  BOOST_TEST(any_starts(e, file + "framing.skip_blank_lines: only true is supported"));
  BOOST_TEST(any_starts(e, file + "patron.status_24.extra_fields[0]: only BD"));
  BOOST_TEST(any_starts(e, file + "checkin.holds.capture: not supported by this version"));
  BOOST_TEST(any_starts(e, file + "fields.templates: not supported by this version"));
  BOOST_TEST(any_starts(e, file + "fees.av_format: 'template' is not supported"));
  BOOST_TEST(any_starts(e, file + "offline.nb_due_date: 'later_of_both' is not supported"));
  BOOST_TEST(e.size() == 7u);
  // What the refused keys would have said is not marked as acting either.
  for (auto p : {"/checkin/holds/capture", "/fields/templates", "/framing/accept_lowercase_flags"})
    BOOST_TEST(!profiles::acted_on(p), p);
}

BOOST_AUTO_TEST_CASE(offline_checkout_fees_and_64_keys_reach_the_behaviour) {
  TempDir t;
  t.write("a.json", R"({"schema_version":1,"profile_id":"a",
    "offline":{"device_store_and_forward":"checkin_only","checkout_no_block":"apply_blocks",
               "checkin_no_block":"normal","nb_due_date":"recompute","event_time":"receive_time",
               "detect_unflagged_replay":{"enabled":true,"min_age_s":120},
               "stale_event_guard":"apply_and_flag","exceptions":"log",
               "idempotency_window_s":86400},
    "checkout":{"desensitize":"never","magnetic_media":"report_unknown",
                "send_media_type_ck":true},
    "patron":{"info_64":{"hold_items":"all","envisionware_fields":true}},
    "fees":{"av_format":"swyer_b","amount_decimals":0,"missing_fee_id":"reject",
            "accept_extension_fields":["OR","RN"]},
    "encoding":{"normalization":"NFC"},"limits":{"max_requests_per_second":2.5},
    "framing":{"inbound_terminators":["CRLF"],"discard_leading_lf":true},
    "session":{"sc_status_before_login":{"allowed":true}},
    "acs_status":{"checkout_ok":false,"offline_ok":false,"timeout_period_tenths":50,
                  "retries_allowed":9,"library_name":"Return wall"}})");
  const auto loaded = profiles::ProfileRegistry::load(t.path);
  const auto& b = registry(loaded).find("a")->behaviour;
  using B = profiles::Behaviour;
  BOOST_TEST(b.offline.checkin_replays);
  BOOST_TEST(!b.offline.checkout_replays);
  BOOST_TEST(!b.offline.checkout_force);
  BOOST_TEST(!b.offline.checkin_force);
  BOOST_TEST(!b.offline.trust_nb_due);
  BOOST_TEST(!b.offline.kiosk_event_time);
  BOOST_TEST(b.offline.unflagged_min_age.value().count() == 120);
  BOOST_TEST((b.offline.stale_guard == B::Offline::StaleGuard::apply_and_flag));
  BOOST_TEST((b.offline.exceptions == B::Offline::Exceptions::log));
  BOOST_TEST(b.offline.idempotency_window.value().count() == 86400);
  BOOST_TEST((b.checkout.desensitize == B::Checkout::Desensitize::never));
  BOOST_TEST(!b.checkout.magnetic_from_ils);
  BOOST_TEST(b.checkout.media_type_ck);
  BOOST_TEST(b.all_holds_in_64);
  BOOST_TEST(b.envisionware_64);
  BOOST_TEST((b.fees.av_format == B::Fees::AvFormat::labelled));
  BOOST_TEST(b.fees.amount_decimals == 0);
  BOOST_TEST(b.fees.require_fee_id);
  BOOST_TEST(b.fees.payment_extensions == std::vector<std::string>({"OR", "RN"}));
  BOOST_TEST((b.normalization == profiles::Normalization::nfc));
  BOOST_TEST(b.max_requests_per_second == 2.5);
  BOOST_TEST(!b.lf_ends_request);
  BOOST_TEST(!b.acs.checkout_ok);
  BOOST_TEST(!b.acs.offline_ok);
  BOOST_TEST(b.acs.checkin_ok);
  BOOST_TEST(b.acs.timeout_period.value_or(0) == 50);
  BOOST_TEST(b.acs.retries_allowed.value_or(0) == 9);
  BOOST_TEST(b.acs.library_name == "Return wall");
  // The baseline: the values the handlers had before profiles existed.
  const auto* base = registry(loaded).find(profiles::ProfileRegistry::kBaseline);
  BOOST_TEST(base->behaviour.offline.checkout_replays);
  BOOST_TEST((base->behaviour.checkout.desensitize == B::Checkout::Desensitize::by_material));
  BOOST_TEST((base->behaviour == profiles::Behaviour{}));
}

BOOST_AUTO_TEST_CASE(due_date_format_is_read_or_refused_when_it_cannot_be_honoured) {
  TempDir t;
  t.write("a.json",
          R"({"schema_version":1,"profile_id":"a","dates":{"due_date":{"format":"iso_local"}}})");
  const auto loaded = profiles::ProfileRegistry::load(t.path);
  BOOST_TEST(
      (registry(loaded).find("a")->dialect.due_date_format == sip2::DueDateFormat::iso_local));
  t.write("b.json",
          R"({"schema_version":1,"profile_id":"b","dates":{"due_date":{"format":"custom"}}})");
  const auto refused = profiles::ProfileRegistry::load(t.path);
  BOOST_TEST(
      any_starts(errors(refused),
                 "firmware-profiles/b.json: dates.due_date.format: 'custom' is not supported"));
}

BOOST_AUTO_TEST_CASE(fields_keys_are_read_and_a_wrong_one_is_named_with_its_path) {
  TempDir t;
  t.write("a.json", R"({"schema_version":1,"profile_id":"a",
    "fields":{"order":"spec","hide":{"64":["BD","AO"],"99":["AF"]},
              "allow_only":{"*":["AF","a"]},
              "rewrite":[{"field":"AF","find":"(","replace":"x"}],
              "screen_message":{"split_into_repeated_af":true},
              "language_default":"1"}})");
  const auto loaded = profiles::ProfileRegistry::load(t.path);
  const auto& e = errors(loaded);
  const std::string file = "firmware-profiles/a.json: fields.";
  BOOST_TEST(any_starts(e, file + "hide.64[1]: AO is required in 64 and cannot be hidden"));
  BOOST_TEST(any_starts(e, file + "hide.99: not a response code"));
  BOOST_TEST(any_starts(e, file + "allow_only.*[1]: must be a field code"));
  BOOST_TEST(any_starts(e, file + "rewrite[0].find: not a valid regular expression"));
  BOOST_TEST(any_starts(e, file + "screen_message.split_into_repeated_af: needs max_length"));
  BOOST_TEST(any_starts(e, file + "language_default: must be a three-digit"));
  BOOST_TEST(e.size() == 6u);

  TempDir ok;
  ok.write("b.json", R"({"schema_version":1,"profile_id":"b",
    "fields":{"order":"spec","hide":{"64":["BD"]},"allow_only":{"24":["AF"]},
              "always_send":{"64":{"BE":""}},"per_message_order":{"64":["AA"]},
              "rewrite":[{"message":"64","field":"AF","find":"x","replace":"y"}],
              "max_field_length":60,"overflow":"drop",
              "screen_message":{"max_length":40,"split_into_repeated_af":true},
              "print_line_width":"from_sc_status","language_default":"001"}})");
  const auto good = profiles::ProfileRegistry::load(ok.path);
  const auto& reg = registry(good);
  const auto& p = *reg.find("b");
  const auto& f = p.behaviour.fields;
  BOOST_TEST(f.spec_order);
  BOOST_TEST(f.hide.at("64").size() == 1u);
  BOOST_TEST(f.allow_only.at("24").size() == 1u);
  BOOST_TEST(f.always_send.at("64").front().value == "");
  BOOST_TEST(f.first.at("64").size() == 1u);
  BOOST_TEST(f.rewrite.size() == 1u);
  BOOST_TEST(f.screen_max == 40u);
  BOOST_TEST(f.split_screen);
  BOOST_TEST(f.print_width_from_99);
  BOOST_TEST(f.language_default == "001");
  BOOST_TEST(p.dialect.max_field_length == 60u);
  BOOST_TEST((p.dialect.overflow == sip2::Dialect::Overflow::drop));
  BOOST_TEST(reg.find("b")->behaviour.fields.empty() == false);
  BOOST_TEST(profiles::FieldRules{}.empty());
}

BOOST_AUTO_TEST_CASE(field_rules_set_the_64s_language_and_put_extensions_after_the_spec_fields) {
  sip2::PatronInformationResponse r;
  r.institution_id = "MAIN";
  r.patron_identifier = "P1";
  r.personal_name = "N";
  r.patron_class = "staff";  // PC, an extension
  r.screen_message.push_back("hello");
  auto codes = [](const sip2::Message& m) {
    std::string out;
    for (const auto& f : m.fields)
      out += std::string(f.code.view()) + " ";
    return out;
  };
  auto m = sip2::to_message(sip2::AnyMessage{r});
  BOOST_TEST(codes(m) == "AO AA AE PC AF ");
  profiles::FieldRules rules;
  rules.spec_order = true;
  rules.language_default = "001";
  profiles::apply(rules, m);
  BOOST_TEST(codes(m) == "AO AA AE AF PC ");
  BOOST_TEST(*m.fixed_value("language") == "001");
  auto asked = sip2::to_message(sip2::AnyMessage{r});
  asked.fixed[1] = "003";  // the kiosk asked for a language: kept
  profiles::apply(rules, asked);
  BOOST_TEST(*asked.fixed_value("language") == "003");
}

BOOST_AUTO_TEST_CASE(renewal_keys_reach_the_behaviour_and_what_cannot_be_honoured_is_refused) {
  TempDir t;
  t.write("a.json", R"({"schema_version":1,"profile_id":"a",
    "renewal":{"supported":false,"title_in_failure":true},
    "checkout":{"failure_includes_title":false}})");
  t.write("b.json", R"({"schema_version":1,"profile_id":"b",
    "renewal":{"supported":true}})");
  const auto loaded = profiles::ProfileRegistry::load(t.path);
  const auto& reg = registry(loaded);
  const auto& a = reg.find("a")->behaviour;
  BOOST_TEST(!a.acs.renewal_ok);  // 29 and 65 refused, the 98's renewal policy N
  BOOST_TEST(a.renewal_title_in_failure);
  BOOST_TEST(!a.checkout.title_in_failure);
  BOOST_TEST((reg.find("b")->behaviour == profiles::Behaviour{}));

  TempDir bad;
  bad.write("c.json", R"({"schema_version":1,"profile_id":"c",
    "renewal":{"renew_all_max_items":5}})");
  const auto refused = profiles::ProfileRegistry::load(bad.path);
  BOOST_TEST(any_starts(errors(refused),
                        "firmware-profiles/c.json: renewal.renew_all_max_items: not supported"));
}

BOOST_AUTO_TEST_CASE(timeouts_reach_the_behaviour_and_keep_waiting_is_refused) {
  TempDir t;
  t.write("a.json", R"({"schema_version":1,"profile_id":"a",
    "timeouts":{"login_timeout_s":20,"idle_timeout_s":600,"response_deadline_ms":2500,
                "on_deadline":"close"}})");
  const auto loaded = profiles::ProfileRegistry::load(t.path);
  const auto& to = registry(loaded).find("a")->behaviour.timeouts;
  BOOST_TEST(to.login->count() == 20);
  BOOST_TEST(to.idle->count() == 600);
  BOOST_TEST(to.response_deadline->count() == 2500);
  BOOST_TEST(to.close_on_deadline);
  TempDir bad;
  bad.write("b.json", R"({"schema_version":1,"profile_id":"b",
    "timeouts":{"idle_timeout_s":0,"on_deadline":"keep_waiting"}})");
  const auto refused = profiles::ProfileRegistry::load(bad.path);
  const auto& e = errors(refused);
  BOOST_TEST(any_starts(e, "firmware-profiles/b.json: timeouts.idle_timeout_s: "));
  BOOST_TEST(any_starts(e, "firmware-profiles/b.json: timeouts.on_deadline: 'keep_waiting'"));
}

namespace {

using Json = nlohmann::json;

/// The schema node `node` stands for ($ref resolved within schema.json).
const Json& resolved(const Json& schema, const Json& node) {
  if (!node.contains("$ref")) return node;
  const std::string ref = node["$ref"];  // "#/$defs/name"
  return resolved(schema, schema.at(Json::json_pointer(ref.substr(1))));
}

/// The node's type; of a list such as ["integer", "null"], the first that is not null.
std::string type_of(const Json& node) {
  const auto t = node.find("type");
  if (t == node.end()) return "";
  if (t->is_string()) return *t;
  for (const auto& each : *t)
    if (each != "null") return each;
  return "";
}

/// Values the schema allows at `node`, to try one by one: every enum value, both booleans,
/// the bounds of a number, one example of anything else.
std::vector<Json> candidates(const Json& schema, const Json& raw) {
  const Json& node = resolved(schema, raw);
  if (node.contains("enum")) return node["enum"].get<std::vector<Json>>();
  const std::string type = type_of(node);
  if (type == "boolean") return {true, false};
  if (type == "integer" || type == "number") {
    std::vector<Json> out;
    const long long lo = node.value("minimum", 0LL);
    const long long hi = node.value("maximum", 1'000'000LL);
    for (long long v : {lo, lo + 1, 7LL, 300LL, hi})
      if (v >= lo && v <= hi) out.push_back(v);
    if (type == "number") out.push_back(2.5);
    return out;
  }
  if (type == "string") {
    const std::string pattern = node.value("pattern", "");
    if (pattern == "^[0-9]{3}$") return {"001"};
    if (pattern == "^[A-Z][A-Z0-9]$") return {"BE"};
    if (pattern == "^[YN]{16}$") return {"YYYYYYYYYYYYYYYY", "YYYYYYYYYYYYYNYY"};
    if (pattern == "^[A-Z]{3}$") return {"EUR"};
    if (pattern == "^[0-9]{2}$") return {"06"};
    return {"x", "Return wall"};
  }
  if (type == "array") {
    std::vector<Json> out;
    for (const auto& item : candidates(schema, node.value("items", Json::object())))
      out.push_back(Json::array({item}));
    return out;
  }
  if (type == "object" || node.contains("additionalProperties")) {
    Json o = Json::object();
    if (node.contains("additionalProperties") && node["additionalProperties"].is_object()) {
      // A key the schema's propertyNames allow: a response code, or a field code.
      const auto names = resolved(schema, node.value("propertyNames", Json::object()));
      const std::string key = names.value("pattern", "") == "^[A-Z][A-Z0-9]$" ? "BE" : "64";
      const auto values = candidates(schema, node["additionalProperties"]);
      if (!values.empty()) o[key] = values.front();
      return {o};
    }
    for (const auto& req : node.value("required", Json::array())) {
      const auto values = candidates(schema, node["properties"][req.get<std::string>()]);
      if (!values.empty()) o[req.get<std::string>()] = values.front();
    }
    return {o};
  }
  return {};
}

/// Every leaf of the layered sections: (JSON pointer, schema node).
void leaves(const Json& schema, const Json& raw, const std::string& ptr,
            std::vector<std::pair<std::string, Json>>& out) {
  const Json& node = resolved(schema, raw);
  if (type_of(node) == "object" && node.contains("properties")) {
    for (auto it = node["properties"].begin(); it != node["properties"].end(); ++it)
      leaves(schema, *it, ptr + "/" + it.key(), out);
    return;
  }
  out.emplace_back(ptr, node);
}

}  // namespace

// How "no key is accepted without effect" is checked: every leaf of schema.json's layered
// sections is set, alone, to each value the schema allows. Each value either is refused with an
// error naming that key, or loads; a key that loads must be one the gateway acts on
// (profiles::acted_on), and at least one of its values must be refused or change what the
// gateway does (the profile's dialect or behaviour differs from the baseline's). The wire tests
// named in firmware-profiles/README.md then show each acting key on the wire.
BOOST_AUTO_TEST_CASE(every_schema_key_is_refused_or_changes_what_the_gateway_does) {
  std::ifstream in(fs::path(SIP2GW_SOURCE_ROOT) / "firmware-profiles" / "schema.json");
  const Json schema = Json::parse(in);
  const std::set<std::string> per_file = {"schema_version", "profile_id", "extends",
                                          "match",          "evidence",   "notes"};
  std::vector<std::pair<std::string, Json>> all;
  for (auto it = schema["properties"].begin(); it != schema["properties"].end(); ++it)
    if (!per_file.contains(it.key()) && it.key() != "device")
      leaves(schema, *it, "/" + it.key(), all);
  BOOST_TEST(all.size() > 150u);

  TempDir base_dir;
  base_dir.write("b.json", R"({"schema_version":1,"profile_id":"b"})");
  const auto base_loaded = profiles::ProfileRegistry::load(base_dir.path);
  const auto& base = *registry(base_loaded).find("b");

  std::size_t acting = 0, refused = 0;
  for (const auto& [ptr, node] : all) {
    std::string dotted = ptr.substr(1);
    std::replace(dotted.begin(), dotted.end(), '/', '.');
    bool changed = false, refused_here = false;
    const auto values = candidates(schema, node);
    BOOST_TEST(!values.empty(), ptr << ": no value to try");
    for (const auto& v : values) {
      Json profile = {{"schema_version", 1}, {"profile_id", "a"}};
      profile[Json::json_pointer(ptr)] = v;
      TempDir t;
      t.write("a.json", profile.dump());
      const auto loaded = profiles::ProfileRegistry::load(t.path);
      if (const auto* e = std::get_if<std::vector<std::string>>(&loaded)) {
        // The key, or the object that holds it when a whole object is refused.
        const bool named =
            std::any_of(e->begin(), e->end(), [&, d = dotted](const std::string& line) {
              const auto at = line.find(": ");
              if (at == std::string::npos) return false;
              const auto key = line.substr(at + 2, line.find(": ", at + 2) - at - 2);
              // ... or a value inside it (an array's element, an object's key).
              return d == key || d.starts_with(key + ".") || key.starts_with(d + ".") ||
                     key.starts_with(d + "[");
            });
        BOOST_TEST(named, ptr << " = " << v.dump() << " refused without naming it: " << e->front());
        refused_here = true;
        continue;
      }
      const auto& p = *std::get<profiles::ProfileRegistry>(loaded).find("a");
      BOOST_TEST(profiles::acted_on(ptr), ptr << " = " << v.dump() << " loads, not marked acting");
      if (!(p.dialect == base.dialect) || !(p.behaviour == base.behaviour)) changed = true;
    }
    BOOST_TEST((changed || refused_here), ptr << ": no value refused or changes anything");
    acting += changed ? 1 : 0;
    refused += !changed && refused_here ? 1 : 0;
  }
  BOOST_TEST_MESSAGE(all.size() << " keys: " << acting << " act, " << refused << " refused");
}
