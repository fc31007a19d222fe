// Firmware profiles: layering with `extends`, where each value came from, errors naming the
// file that set a value, and the `match` rules.
#define BOOST_TEST_MODULE gateway_profiles
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "profiles/profile_registry.hpp"

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

BOOST_AUTO_TEST_CASE(a_schema_key_this_version_does_not_act_on_is_refused_not_ignored) {
  TempDir t;
  t.write("a.json", R"({"schema_version":1,"profile_id":"a",
    "framing":{"inbound_terminators":["LF"],"skip_blank_lines":false},
    "checkin":{"holds":{"capture":"auto"}},"patron":{"status_24":{"extra_fields":["PB"]}},
    "fields":{"hide":{"24":["BD"]}},"fees":{"av_format":"template"},
    "offline":{"nb_due_date":"later_of_both"}})");
  const auto loaded = profiles::ProfileRegistry::load(t.path);
  const auto& e = errors(loaded);
  const std::string file = "firmware-profiles/a.json: ";
  BOOST_TEST(any_starts(e, file + "framing.inbound_terminators: must list CR or CRLF"));
  BOOST_TEST(any_starts(e, file + "framing.skip_blank_lines: only true is supported"));
  BOOST_TEST(any_starts(e, file + "patron.status_24.extra_fields[0]: only BD"));
  BOOST_TEST(any_starts(e, file + "checkin.holds.capture: not supported by this version"));
  BOOST_TEST(any_starts(e, file + "fields.hide: not supported by this version"));
  BOOST_TEST(any_starts(e, file + "fees.av_format: 'template' is not supported"));
  BOOST_TEST(any_starts(e, file + "offline.nb_due_date: 'later_of_both' is not supported"));
  BOOST_TEST(e.size() == 7u);
  // What the refused keys would have said is not marked as acting either.
  for (auto p : {"/checkin/holds/capture", "/fields/hide", "/framing/accept_lowercase_flags"})
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
