// Reading firmware-profile files: layering with `extends`, where each value came from, the
// dialect keys of firmware-profiles/schema.json, and the `match` rules.
#include "profiles/profile_registry.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <functional>
#include <set>

#include "config/json_reader.hpp"
#include "sip2/command.hpp"
#include "sip2/values.hpp"

namespace profiles {

namespace {

using config::ObjectReader;
using Json = nlohmann::json;
using Sources = std::map<std::string, std::string>;

/// Keys that belong to one file and are not layered: who it is, what it extends, when it
/// applies, and the evidence and notes for its own values.
constexpr std::string_view kPerFile[] = {"schema_version", "profile_id", "extends",
                                         "match",          "evidence",   "notes"};

/// A key of the schema this version does not act on: refused when present (a key accepted and
/// ignored would be a promise the gateway does not keep). `instead` says what sip2gw does.
void unsupported(ObjectReader& r, std::string_view key, std::string_view instead) {
  if (r.has(key))
    r.error(key, "not supported by this version of sip2gw (" + std::string(instead) +
                     "); remove the key");
  r.ignore(key);
}

/// A key of which this version supports one value (what the gateway always does): that value
/// loads, any other the schema allows is refused with `why`.
void only(ObjectReader& r, std::string_view key, std::string_view supported,
          std::initializer_list<std::string_view> allowed, std::string_view why) {
  std::string_view chosen;
  if (const Json* raw = r.raw(key); raw != nullptr && raw->is_string())
    for (auto a : allowed)
      if (*raw == a) chosen = a;
  if (r.has(key) && chosen.empty()) {
    std::string all;
    for (auto a : allowed)
      all += (all.empty() ? "" : ", ") + std::string(a);
    r.error(key, "must be one of " + all);
  } else if (r.has(key) && chosen != supported) {
    r.error(key, "only '" + std::string(supported) +
                     "' is supported by this version: " + std::string(why));
  }
  r.ignore(key);
}

/// A boolean key of which this version supports only true (what the gateway always does).
void only_true(ObjectReader& r, std::string_view key, std::string_view why) {
  bool on = true;
  r.boolean(key, on);
  if (!on) r.error(key, "only true is supported by this version: " + std::string(why));
}

/// An object of two-digit code → text (fees.payment_type_map).
void per_code(ObjectReader& r, std::string_view key, std::map<int, std::string>& out) {
  const Json* obj = r.raw(key);
  r.ignore(key);
  if (obj == nullptr) return;
  if (!obj->is_object()) return r.error(key, "must be an object of two-digit code → text");
  for (auto it = obj->begin(); it != obj->end(); ++it) {
    const auto& k = it.key();
    const bool code = k.size() == 2 && std::isdigit(static_cast<unsigned char>(k[0])) &&
                      std::isdigit(static_cast<unsigned char>(k[1]));
    if (!code || !it->is_string() || it->get<std::string>().empty()) {
      r.error(std::string(key) + "." + k, "must be a two-digit code with a non-empty text");
      continue;
    }
    out[(k[0] - '0') * 10 + (k[1] - '0')] = it->get<std::string>();
  }
}

std::string terminator(std::string_view name) {
  if (name == "CRLF") return "\r\n";
  if (name == "LF") return "\n";
  return "\r";
}

/// A regular expression of a profile, compiled once at load; nullptr (and an error naming
/// `key`) when it is not one.
std::shared_ptr<const std::regex> compiled(ObjectReader& r, std::string_view key,
                                           const std::string& pattern) {
  try {
    return std::make_shared<const std::regex>(pattern, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    r.error(key, std::string("not a valid regular expression: ") + e.what());
    return nullptr;
  }
}

/// checkin.sort_bin_cl: rules whose first match gives the CL of a return, and the default.
void read_sort_bins(ObjectReader& checkin, Behaviour::Checkin& c) {
  using R = Behaviour::Checkin::SortRule;
  auto bins = checkin.object("sort_bin_cl");
  bins.string("default_bin", c.default_bin);
  bins.array("rules", [&](const Json& v, const std::string& path) {
    if (!v.is_object()) {
      bins.errors().push_back(path + ": must be an object with when and bin");
      return;
    }
    ObjectReader rule(&v, path, bins.errors());
    R out;
    rule.string("bin", out.bin, true);
    if (!rule.has("when")) rule.error("when", "is required");
    auto when = rule.object("when");
    if (rule.has("when") && !when.has("attribute")) when.error("attribute", "is required");
    when.choice("attribute", out.attribute,
                {{"item.location", R::Attribute::location},
                 {"item.permanent_location", R::Attribute::permanent_location},
                 {"item.itype", R::Attribute::material_type},
                 {"item.material_type", R::Attribute::material_type},
                 {"item.call_number", R::Attribute::call_number},
                 {"checkin.cv", R::Attribute::cv},
                 {"checkin.destination", R::Attribute::destination}});
    if (rule.has("when") && !when.has("op")) when.error("op", "is required");
    when.choice("op", out.op,
                {{"eq", R::Op::eq},
                 {"ne", R::Op::ne},
                 {"lt", R::Op::lt},
                 {"gt", R::Op::gt},
                 {"prefix", R::Op::prefix},
                 {"regex", R::Op::regex}});
    when.string("value", out.value, rule.has("when"));
    if (out.op == R::Op::regex) out.re = compiled(when, "value", out.value);
    when.finish();
    rule.finish();
    c.sort_rules.push_back(std::move(out));
  });
  bins.finish();
}

/// The keys of `checkin` (Behaviour::Checkin).
void read_checkin(ObjectReader& r, Behaviour& b) {
  auto& c = b.checkin;
  auto checkin = r.object("checkin");
  auto ct = checkin.object("ct");
  ct.boolean("always_send", c.ct_always);
  unsupported(ct, "value", "CT is the library system's name of the destination service point");
  ct.finish();
  auto cv = checkin.object("cv");
  cv.boolean("send_00_on_success", c.cv_00_on_success);
  auto codes = cv.object("codes");
  for (const auto& [key, target] :
       {std::pair{"hold_here", &c.codes.hold_here},
        std::pair{"hold_elsewhere", &c.codes.hold_elsewhere},
        std::pair{"transit", &c.codes.transit}, std::pair{"other", &c.codes.other}}) {
    std::string code;
    codes.string(key, code);
    if (!codes.has(key)) continue;
    if (code.size() == 2 && std::isdigit(static_cast<unsigned char>(code[0])) &&
        std::isdigit(static_cast<unsigned char>(code[1])))
      *target = static_cast<std::uint8_t>((code[0] - '0') * 10 + (code[1] - '0'));
    else
      codes.error(key, "must be two digits, such as 01");
  }
  unsupported(codes, "hold_in_transit",
              "an item sent to another pickup point for a hold gets hold_elsewhere: the library "
              "system does not tell a hold already in transit apart");
  codes.finish();
  cv.finish();
  checkin.boolean("screen_message_on_success", c.message_on_success);
  checkin.boolean("return_patron_aa", c.patron_aa);
  checkin.boolean("ok_when_not_checked_out", c.ok_when_not_on_loan);
  auto alert = checkin.object("alert");
  alert.boolean("on_failure", c.alert_on_failure);
  alert.boolean("only_when_cv_present", c.alert_only_with_cv);
  alert.finish();
  read_sort_bins(checkin, c);
  auto holds = checkin.object("holds");
  holds.boolean("send_hold_patron_cy", b.hold_patron_cy);
  holds.boolean("send_hold_patron_phone_bf", b.hold_patron_phone);
  for (auto k :
       {"capture", "block_checkin_if_hold", "hold_patron_name_da_template", "defer_hold_notice"})
    unsupported(holds, k, "holds are captured as the library system decides");
  holds.finish();
  checkin.choice("resensitize", c.resensitize_always,
                 {{"ils_decides", false}, {"always_on_success", true}});
  checkin.strings("reject_item_statuses", c.reject_statuses);
  unsupported(checkin, "claimed_returned", "the library system decides");
  unsupported(checkin, "current_location_ap", "AP is not read");
  checkin.finish();
}

/// `offline`: which requests are a kiosk's replays and how they are applied.
void read_offline(ObjectReader& r, Behaviour::Offline& o) {
  using O = Behaviour::Offline;
  auto off = r.object("offline");
  std::string device = "unknown";
  off.choice("device_store_and_forward", device,
             {{"none", std::string("none")},
              {"checkin_only", std::string("checkin_only")},
              {"checkin_and_checkout", std::string("checkin_and_checkout")},
              {"unknown", std::string("unknown")}});
  o.checkin_replays = device != "none";
  o.checkout_replays = device == "checkin_and_checkout" || device == "unknown";
  std::string checkout = "force_and_report";
  off.choice("checkout_no_block", checkout,
             {{"force", std::string("force")},
              {"apply_blocks", std::string("apply_blocks")},
              {"force_and_report", std::string("force_and_report")}});
  o.checkout_force = checkout != "apply_blocks";
  o.checkout_report = checkout == "force_and_report";
  off.choice("checkin_no_block", o.checkin_force, {{"force", true}, {"normal", false}});
  std::string nb = "trust_device";
  off.choice("nb_due_date", nb,
             {{"trust_device", std::string("trust_device")},
              {"recompute", std::string("recompute")},
              {"later_of_both", std::string("later_of_both")}});
  if (nb == "later_of_both")
    off.error("nb_due_date",
              "'later_of_both' is not supported by this version (trust_device or recompute): "
              "the library system's due date is known only after the loan is made");
  o.trust_nb_due = nb == "trust_device";
  off.choice("event_time", o.kiosk_event_time,
             {{"transaction_date", true}, {"receive_time", false}});
  auto unflagged = off.object("detect_unflagged_replay");
  unflagged.boolean("enabled", o.detect_unflagged);
  std::chrono::seconds age{0};
  unflagged.duration("min_age_s", age, 1, 30LL * 86400);
  if (unflagged.has("min_age_s")) o.unflagged_min_age = age;
  unflagged.finish();
  off.choice("stale_event_guard", o.stale_guard,
             {{"none", O::StaleGuard::none},
              {"skip_if_newer_event", O::StaleGuard::skip},
              {"apply_and_flag", O::StaleGuard::apply_and_flag}});
  off.choice("exceptions", o.exceptions,
             {{"log", O::Exceptions::log},
              {"queue_for_staff", O::Exceptions::queue},
              {"log_and_queue", O::Exceptions::log_and_queue}});
  std::chrono::seconds window{0};
  off.duration("idempotency_window_s", window, 0, 365LL * 86400);
  if (off.has("idempotency_window_s")) o.idempotency_window = window;
  off.finish();
}

/// `checkout`: the security and magnetic-media flags of a 12.
void read_checkout(ObjectReader& r, Behaviour::Checkout& c) {
  using C = Behaviour::Checkout;
  auto out = r.object("checkout");
  out.choice("desensitize", c.desensitize,
             {{"ils_decides", C::Desensitize::by_material},
              {"always_on_success", C::Desensitize::always_on_success},
              {"never", C::Desensitize::never}});
  out.strings("no_desensitize_patron_categories", c.no_desensitize_groups);
  out.choice("magnetic_media", c.magnetic_from_ils,
             {{"report_unknown", false}, {"report_from_ils", true}});
  out.boolean("send_media_type_ck", c.media_type_ck);
  unsupported(out, "security_inhibit_ci", "CI is not read");
  out.strings("blocked_item_types", c.blocked_types);
  out.strings("in_house_only_item_types", c.in_house_types);
  out.choice("already_on_loan_to_same_patron", c.renew_on_rescan,
             {{"renew", true}, {"reject", false}});
  out.boolean("failure_includes_title", c.title_in_failure);
  unsupported(out, "fee_acknowledgement", "BO is not read");
  out.boolean("show_outstanding_amount", c.show_outstanding);
  out.finish();
}

/// `patron`: the password policy (into the dialect) and what a 64 lists.
void read_patron(ObjectReader& r, sip2::Dialect& d, Behaviour& b) {
  auto patron = r.object("patron");
  auto password = patron.object("password");
  password.boolean("details_when_invalid", d.patron_details_on_bad_password);
  using EP = sip2::Dialect::EmptyPin;
  using AP = sip2::Dialect::AbsentPin;
  password.choice("empty_ad", d.empty_pin,
                  {{"treat_valid", EP::treat_valid},
                   {"verify", EP::verify},
                   {"treat_invalid", EP::treat_invalid}});
  password.choice("absent_ad", d.absent_pin,
                  {{"no_check", AP::no_check}, {"treat_invalid", AP::treat_invalid}});
  unsupported(password, "verify_against", "the PIN the library system verifies");
  password.boolean("send_cq_only_when_ad_present", b.cq_only_with_ad);
  password.finish();
  auto info = patron.object("info_64");
  info.choice("hold_items", b.all_holds_in_64, {{"available_only", false}, {"all", true}});
  info.boolean("envisionware_fields", b.envisionware_64);
  info.boolean("unavailable_holds_in_cd", b.info_64.unavailable_in_cd);
  info.choice("item_list_datatype", b.info_64.titles, {{"barcode", false}, {"title", true}});
  std::size_t max_items = 0;
  info.integer("max_listed_items", max_items, 0, 100000);
  if (info.has("max_listed_items")) b.info_64.max_items = max_items;
  info.boolean("internal_id_xi", b.info_64.internal_id);
  info.finish();
  auto status_24 = patron.object("status_24");
  status_24.array("extra_fields", [&](const Json& v, const std::string& path) {
    const std::string code = v.is_string() ? v.get<std::string>() : std::string();
    if (code == "BD" || code == "BE" || code == "BF")
      b.status_24_fields.push_back(code);
    else
      patron.errors().push_back(path +
                                ": only BD (address), BE (e-mail) and BF (phone) are supported "
                                "by this version");
  });
  status_24.finish();
  patron.boolean("trim_identifiers", b.identifier.trim);
  patron.array("identifier_transform", [&](const Json& v, const std::string& path) {
    if (!v.is_object()) {
      patron.errors().push_back(path + ": must be an object with find and replace");
      return;
    }
    ObjectReader t(&v, path, patron.errors());
    Behaviour::Identifier::Transform out;
    t.string("find", out.find, true);
    if (!t.has("replace")) t.error("replace", "is required (it may be empty)");
    t.string("replace", out.replace);
    out.re = compiled(t, "find", out.find);
    t.finish();
    b.identifier.transforms.push_back(std::move(out));
  });
  for (auto k : {"name_template", "use_preferred_first_name", "blocks"})
    unsupported(patron, k, "the library system's patron record is used as it is");
  patron.finish();
}

/// A response code or "*" (fields.* keys name the message they act on).
bool response_key(std::string_view k) {
  if (k == "*") return true;
  const auto* spec = sip2::find_command(k);
  return spec != nullptr && spec->direction == sip2::Direction::response;
}

std::optional<sip2::FieldCode> field_code(std::string_view s) {
  if (s == "AY" || s == "AZ") return std::nullopt;  // the trailer is error_detection's
  if (s.size() != 2 || s[0] < 'A' || s[0] > 'Z' ||
      !(std::isupper(static_cast<unsigned char>(s[1])) ||
        std::isdigit(static_cast<unsigned char>(s[1]))))
    return std::nullopt;
  return sip2::FieldCode(s);
}

std::optional<sip2::FieldCode> field_code(const Json& v) {
  if (!v.is_string()) return std::nullopt;
  return field_code(std::string_view(v.get_ref<const std::string&>()));
}

/// The response codes `key` ("64" or "*") stands for.
std::vector<const sip2::CommandSpec*> responses_of(std::string_view key) {
  std::vector<const sip2::CommandSpec*> out;
  for (const auto& c : sip2::all_commands())
    if (c.direction == sip2::Direction::response && (key == "*" || c.code == key))
      out.push_back(&c);
  return out;
}

/// A fields.* object keyed by response code whose values `each` reads; a key that is no
/// response code is refused.
void per_message(ObjectReader& fields, std::string_view key,
                 const std::function<void(ObjectReader&, const std::string&, const Json&)>& each) {
  const Json* obj = fields.raw(key);
  if (obj == nullptr) return;
  if (!obj->is_object()) {
    fields.error(key, "must be an object keyed by a response code (\"64\") or \"*\"");
    return;
  }
  ObjectReader r(obj, fields.path_of(key), fields.errors());
  for (auto it = obj->begin(); it != obj->end(); ++it) {
    if (!response_key(it.key()))
      r.error(it.key(), "not a response code (such as 24, 64, 98) or \"*\"");
    else
      each(r, it.key(), it.value());
    r.ignore(it.key());
  }
}

/// fields.hide / allow_only / per_message_order: response → list of field codes.
void codes_per_message(ObjectReader& fields, std::string_view key,
                       PerMessage<FieldRules::Codes>& out, bool refuse_required) {
  per_message(fields, key, [&](ObjectReader& r, const std::string& msg, const Json& list) {
    if (!list.is_array()) {
      r.error(msg, "must be a list of field codes");
      return;
    }
    auto& codes = out[msg];
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto code = field_code(list[i]);
      const std::string at = msg + "[" + std::to_string(i) + "]";
      if (!code) {
        r.error(at, "must be a field code (two characters, such as AF; not AY or AZ)");
        continue;
      }
      if (refuse_required)
        for (const auto* spec : responses_of(msg))
          for (const auto& t : spec->tags)
            if (t.required && t.code == *code)
              r.error(at, std::string(code->view()) + " is required in " + std::string(spec->code) +
                              " and cannot be hidden");
      codes.push_back(*code);
    }
  });
}

/// The `fields` section: what every response carries, in what order (FieldRules), and the
/// codec's field length and overflow.
void read_fields(ObjectReader& root, FieldRules& f, Behaviour::Inbound& in, sip2::Dialect& d) {
  auto fields = root.object("fields");
  std::string order = "any";
  fields.choice("order", order, {{"spec", std::string("spec")}, {"any", std::string("any")}});
  f.spec_order = order == "spec";
  codes_per_message(fields, "per_message_order", f.first, false);
  codes_per_message(fields, "hide", f.hide, true);
  codes_per_message(fields, "allow_only", f.allow_only, false);
  per_message(fields, "always_send", [&](ObjectReader& r, const std::string& msg, const Json& o) {
    if (!o.is_object()) {
      r.error(msg, "must be an object of field code → value");
      return;
    }
    for (auto it = o.begin(); it != o.end(); ++it) {
      const auto code = field_code(std::string_view(it.key()));
      if (!code || !it->is_string()) {
        r.error(msg + "." + it.key(), "must be a field code with a text value");
        continue;
      }
      f.always_send[msg].push_back({*code, it->get<std::string>()});
    }
  });
  fields.array("rewrite", [&](const Json& v, const std::string& path) {
    if (!v.is_object()) {
      fields.errors().push_back(path + ": must be an object with field, find and replace");
      return;
    }
    ObjectReader r(&v, path, fields.errors());
    FieldRules::Rewrite rw;
    rw.message = "*";
    r.string("message", rw.message);
    if (!response_key(rw.message))
      r.error("message", "not a response code (such as 24, 64, 98) or \"*\"");
    if (const Json* code = r.raw("field"); code != nullptr && field_code(*code))
      rw.field = *field_code(*code);
    else
      r.error("field", "must be a field code (two characters, such as AF; not AY or AZ)");
    r.string("find", rw.find, true);
    r.string("replace", rw.replace, true);
    rw.re = compiled(r, "find", rw.find);
    r.finish();
    f.rewrite.push_back(std::move(rw));
  });
  fields.integer("max_field_length", d.max_field_length, 1, 4096);
  fields.choice("overflow", d.overflow,
                {{"truncate", sip2::Dialect::Overflow::truncate},
                 {"repeat_field", sip2::Dialect::Overflow::repeat_field},
                 {"drop", sip2::Dialect::Overflow::drop}});
  auto screen = fields.object("screen_message");
  screen.integer("max_length", f.screen_max, 1, 4096);
  screen.boolean("split_into_repeated_af", f.split_screen);
  if (f.split_screen && f.screen_max == 0)
    screen.error("split_into_repeated_af", "needs max_length: the length to split at");
  unsupported(screen, "append_patron_home_library",
              "the library system's home library of a patron is not read");
  screen.finish();
  fields.choice("print_line_width", f.print_width_from_99,
                {{"from_sc_status", true}, {"unlimited", false}});
  fields.string("language_default", f.language_default);
  if (!f.language_default.empty() &&
      (f.language_default.size() != 3 ||
       !std::all_of(f.language_default.begin(), f.language_default.end(),
                    [](char c) { return c >= '0' && c <= '9'; })))
    fields.error("language_default", "must be a three-digit SIP2 language code such as 001");
  for (auto k : {"templates", "extensions"})
    unsupported(fields, k, "no template language is defined; responses carry what SIP 2.00 lists");
  using In = Behaviour::Inbound;
  fields.choice("unknown_inbound", in.unknown,
                {{"ignore", In::Unknown::ignore},
                 {"log", In::Unknown::log},
                 {"send_96", In::Unknown::send_96}});
  fields.choice("duplicate_inbound", in.duplicate,
                {{"first_wins", In::Duplicate::first_wins},
                 {"last_wins", In::Duplicate::last_wins},
                 {"log_and_first_wins", In::Duplicate::log_and_first_wins}});
  fields.finish();
}

/// Reads the keys that act of an effective (merged) profile. Errors are "json.path: reason".
void read_dialect(const Json& j, sip2::Dialect& d, Behaviour& b, std::string& vendor,
                  std::vector<std::string>& errors) {
  ObjectReader r(&j, "", errors);
  read_checkin(r, b);
  read_offline(r, b.offline);
  auto acs = r.object("acs_status");
  acs.boolean("checkin_ok", b.acs.checkin_ok);
  acs.boolean("checkout_ok", b.acs.checkout_ok);
  acs.boolean("acs_renewal_policy", b.acs.renewal_ok);
  acs.boolean("status_update_ok", b.acs.status_update_ok);
  acs.boolean("offline_ok", b.acs.offline_ok);
  for (const auto& [key, target] : {std::pair{"timeout_period_tenths", &b.acs.timeout_period},
                                    std::pair{"retries_allowed", &b.acs.retries_allowed}}) {
    std::uint16_t v = 0;
    acs.integer(key, v, 0, 999);
    if (acs.has(key)) *target = v;
  }
  acs.string("library_name", b.acs.library_name);
  acs.boolean("online_status", b.acs.online);
  acs.string("institution_id", b.acs.institution_id);
  std::string bx;
  acs.string("supported_messages_bx", bx);
  if (acs.has("supported_messages_bx")) {
    using S = sip2::Supported;
    if (bx.size() != 16 || bx.find_first_not_of("YN") != std::string::npos) {
      acs.error("supported_messages_bx", "must be 16 letters Y or N, in the 98's BX order");
    } else {
      std::bitset<16> on;
      for (std::size_t i = 0; i < 16; ++i)
        on.set(i, bx[i] == 'Y');
      for (auto always : {S::sc_acs_status, S::resend, S::login, S::end_patron_session})
        if (!on.test(static_cast<std::size_t>(always)))
          acs.error("supported_messages_bx",
                    "positions 5 to 7 and 9 (SC/ACS status, resend, login, end patron session) "
                    "must be Y: the session needs them");
      b.acs.supported = on;
    }
  }
  using LS = Behaviour::Acs::LocationSource;
  acs.choice("terminal_location_source", b.acs.location_source,
             {{"cp", LS::cp}, {"config", LS::config}, {"none", LS::none}});
  acs.finish();
  read_checkout(r, b.checkout);
  read_patron(r, d, b);
  read_fields(r, b.fields, b.inbound, d);
  auto logging = r.object("logging");
  std::string level = "patron";
  logging.choice("level", level,
                 {{"none", std::string("none")},
                  {"patron", std::string("patron")},
                  {"full", std::string("full")},
                  {"debug", std::string("debug")}});
  if (level == "full" || level == "debug")
    logging.error("level", "'" + level +
                               "' is not supported: raw messages are never logged (a request's "
                               "line carries pseudonyms only); none or patron");
  b.log_requests = level != "none";
  unsupported(logging, "mask_fields",
              "no message is logged raw, so there is nothing to mask: PINs, passwords and "
              "identifiers never reach the log");
  logging.finish();
  auto transport = r.object("transport");
  auto keepalive = transport.object("tcp_keepalive");
  auto& ka = b.keepalive;
  bool enabled = true;
  keepalive.boolean("enabled", enabled);
  if (keepalive.has("enabled")) ka.enabled = enabled;
  for (const auto& [key, target] :
       {std::pair{"idle_s", &ka.idle}, std::pair{"interval_s", &ka.interval}}) {
    std::chrono::seconds v{1};
    keepalive.duration(key, v, 1, 32767);  // the kernel's range
    if (keepalive.has(key)) *target = v;
  }
  int probes = 1;
  keepalive.integer("probes", probes, 1, 127);
  if (keepalive.has("probes")) ka.probes = probes;
  keepalive.finish();
  for (auto k : {"tls", "proxy_protocol"})
    unsupported(transport, k,
                "TLS and the PROXY header are the listener's (config listeners[]): they come "
                "before any profile is chosen");
  unsupported(transport, "max_sessions_per_login",
              "the config's limits bound connections per address and in all");
  transport.finish();
  auto timeouts = r.object("timeouts");
  for (const auto& [key, target] : {std::pair{"login_timeout_s", &b.timeouts.login},
                                    std::pair{"idle_timeout_s", &b.timeouts.idle}}) {
    // At least a second: 0 would let a silent peer hold its connection for ever.
    std::chrono::seconds v{1};
    timeouts.duration(key, v, 1, 7 * 24 * 3600);
    if (timeouts.has(key)) *target = v;
  }
  std::chrono::milliseconds deadline{1000};
  timeouts.duration("response_deadline_ms", deadline, 100, 120'000);
  if (timeouts.has("response_deadline_ms")) b.timeouts.response_deadline = deadline;
  std::string on_deadline = "send_failure_response";
  timeouts.choice("on_deadline", on_deadline,
                  {{"send_failure_response", std::string("send_failure_response")},
                   {"keep_waiting", std::string("keep_waiting")},
                   {"close", std::string("close")}});
  if (on_deadline == "keep_waiting")
    timeouts.error("on_deadline",
                   "'keep_waiting' is not supported: every request has a deadline "
                   "(response_deadline_ms); send_failure_response or close");
  b.timeouts.close_on_deadline = on_deadline == "close";
  timeouts.finish();
  auto renewal = r.object("renewal");
  bool renewals = true;
  renewal.boolean("supported", renewals);
  b.acs.renewal_ok = b.acs.renewal_ok && renewals;  // 29 and 65 refused, and the 98 says so
  renewal.boolean("title_in_failure", b.renewal_title_in_failure);
  unsupported(renewal, "renew_all_max_items",
              "a renew all renews every loan the library system lists");
  renewal.finish();
  auto limits = r.object("limits");
  limits.integer("max_message_bytes", d.max_frame_length, 256, 1'048'576);
  if (const auto* v = limits.raw("max_requests_per_second")) {
    // At least one request every two seconds: a paced request never waits longer than that
    // (a drain or a shutdown waits for it).
    if (v->is_number() && (v->get<double>() == 0 || v->get<double>() >= 0.5))
      b.max_requests_per_second = v->get<double>();
    else
      limits.error("max_requests_per_second",
                   "must be 0 (no limit) or a number of requests per second from 0.5");
  }
  limits.finish();
  auto fees = r.object("fees");
  fees.boolean("supported", b.fees_supported);
  using F = Behaviour::Fees;
  std::string av = "ils_default";
  fees.choice("av_format", av,
              {{"ils_default", std::string("ils_default")},
               {"eg_legacy", std::string("eg_legacy")},
               {"3m", std::string("3m")},
               {"swyer_a", std::string("swyer_a")},
               {"swyer_b", std::string("swyer_b")},
               {"id_amount_type_title", std::string("id_amount_type_title")},
               {"template", std::string("template")}});
  if (av == "eg_legacy" || av == "template")
    fees.error("av_format", "'" + av +
                                "' is not supported by this version (ils_default, 3m, swyer_a, "
                                "swyer_b or id_amount_type_title)");
  b.fees.av_format = av == "id_amount_type_title"    ? F::AvFormat::quoted_type
                     : av == "3m" || av == "swyer_a" ? F::AvFormat::dollar
                     : av == "swyer_b"               ? F::AvFormat::labelled
                                                     : F::AvFormat::plain;
  unsupported(fees, "av_template", "no template language is defined; use av_format");
  fees.integer("amount_decimals", b.fees.amount_decimals, 0, 4);
  std::string missing = "distribute";
  fees.choice("missing_fee_id", missing,
              {{"reject", std::string("reject")},
               {"distribute_oldest_first", std::string("distribute")},
               {"distribute_evenly", std::string("distribute")}});
  if (missing == "distribute" && fees.has("missing_fee_id"))
    fees.error("missing_fee_id",
               "only 'reject' is supported by this version: without CG the payment goes to the "
               "library system's bulk payment, which distributes it its own way");
  b.fees.require_fee_id = missing == "reject";
  fees.array("accept_extension_fields", [&](const Json& v, const std::string& path) {
    if (v.is_string() && v.get<std::string>().size() == 2)
      b.fees.payment_extensions.push_back(v.get<std::string>());
    else
      errors.push_back(path + ": must be a two-character field code");
  });
  per_code(fees, "payment_type_map", b.fees.payment_methods);
  fees.string("register_id", b.fees.register_id);
  fees.string("currency", b.fees.currency);
  if (!b.fees.currency.empty() &&
      (b.fees.currency.size() != 3 || !std::all_of(b.fees.currency.begin(), b.fees.currency.end(),
                                                   [](char c) { return c >= 'A' && c <= 'Z'; })))
    fees.error("currency", "must be a three-letter ISO 4217 code such as EUR");
  only(fees, "overpayment", "reject", {"reject", "credit"},
       "the library system keeps no credit a kiosk could create; an amount over what is owed is "
       "refused");
  for (auto k : {"writeoff_payment_type"})
    unsupported(fees, k,
                "the config's currency and the library system's payment method; an amount over "
                "what is owed is refused");
  fees.finish();
  auto device = r.object("device");
  device.string("vendor", vendor);
  std::string ignored;
  device.string("product", ignored);
  device.string("role", ignored);
  std::vector<std::string> aliases;
  device.strings("aliases", aliases);
  device.ignore("firmware");
  device.finish();

  auto framing = r.object("framing");
  std::string out = "CR";
  framing.choice(
      "outbound_terminator", out,
      {{"CR", std::string("CR")}, {"CRLF", std::string("CRLF")}, {"LF", std::string("LF")}});
  d.terminator = terminator(out);
  std::string delimiter = std::string(1, d.delimiter);
  framing.string("field_delimiter", delimiter);
  if (delimiter.size() != 1)
    framing.error("field_delimiter", "must be one character");
  else
    d.delimiter = delimiter[0];
  std::vector<std::string> inbound;
  framing.strings("inbound_terminators", inbound);
  if (framing.has("inbound_terminators")) {
    for (const auto& t : inbound)
      if (t != "CR" && t != "CRLF" && t != "LF")
        framing.error("inbound_terminators", "must list CR, CRLF or LF");
    if (std::find(inbound.begin(), inbound.end(), "CR") == inbound.end() &&
        std::find(inbound.begin(), inbound.end(), "CRLF") == inbound.end())
      framing.error("inbound_terminators",
                    "must list CR or CRLF: a CR always ends a request (the LF of a CRLF is "
                    "dropped with the next request's leading LF)");
    b.lf_ends_request = std::find(inbound.begin(), inbound.end(), "LF") != inbound.end();
  }
  // What the framer always does: accepted when asked for, refused when asked otherwise.
  for (const auto& [key, why] :
       {std::pair{"discard_leading_lf", "a LF before a request is the tail of a CRLF"},
        std::pair{"skip_blank_lines", "an empty line between requests gets no answer"}}) {
    bool on = true;
    framing.boolean(key, on);
    if (!on)
      framing.error(
          key, std::string("only true is supported by this version: ") + why + ", always dropped");
  }
  for (auto k : {"delimiter_before_ay", "accept_lowercase_flags"})
    unsupported(framing, k, "AY/AZ and the Y/N flags are read as SIP 2.00 writes them");
  framing.integer("max_frame_length", d.max_frame_length, 256, 1'048'576);
  framing.finish();

  auto ed = r.object("error_detection");
  // The schema's names; "on" is kept for files written before it said "required".
  ed.choice("inbound", d.error_detection,
            {{"off", sip2::ErrorDetection::off},
             {"required", sip2::ErrorDetection::on},
             {"on", sip2::ErrorDetection::on},
             {"auto", sip2::ErrorDetection::automatic}});
  ed.choice(
      "checksum_basis", d.checksum_basis,
      {{"bytes", sip2::ChecksumBasis::bytes}, {"code_points", sip2::ChecksumBasis::code_points}});
  using D = sip2::Dialect;
  ed.choice("outbound", d.outbound,
            {{"off", D::Outbound::off},
             {"mirror_request", D::Outbound::mirror_request},
             {"always", D::Outbound::always}});
  ed.choice("checksum_hex_case", d.hex_case,
            {{"upper", D::HexCase::upper},
             {"lower", D::HexCase::lower},
             {"accept_any", D::HexCase::accept_any}});
  ed.choice("on_bad_checksum", d.on_bad_checksum,
            {{"send_96", D::BadChecksum::send_96},
             {"drop", D::BadChecksum::drop},
             {"process_anyway", D::BadChecksum::process_anyway}});
  auto sequence = ed.object("sequence");
  sequence.boolean("echo", d.echo_sequence);
  sequence.choice("duplicate_policy", d.replay_duplicates,
                  {{"replay_cached_response", true}, {"reprocess", false}});
  sequence.choice("duplicate_key", d.duplicate_by_checksum,
                  {{"seq_and_checksum", true}, {"seq_and_body", false}});
  sequence.finish();
  auto resend = ed.object("resend_97");
  resend.boolean("supported", d.resend_supported);
  resend.boolean("recompute_error_detection", d.resend_recompute);
  resend.choice("when_nothing_sent", d.resend_nothing_sent_96,
                {{"send_96", true}, {"ignore", false}});
  resend.finish();
  ed.finish();

  auto session = r.object("session");
  auto before = session.object("sc_status_before_login");
  before.boolean("allowed", d.sc_status_before_login);
  before.string("institution_id", b.session.pre_login_institution);
  before.finish();
  session.boolean("reject_encrypted_login", b.session.reject_encrypted_login);
  session.boolean("relogin_on_same_connection", b.session.relogin);
  session.choice("unknown_message", d.unknown_message,
                 {{"send_96", D::UnknownMessage::send_96},
                  {"ignore", D::UnknownMessage::ignore},
                  {"close", D::UnknownMessage::close}});
  unsupported(session, "login_93", "a 93 is required before circulation");
  unsupported(session, "location_code_cp", "CP chooses a profile (match.location_codes)");
  session.string("location_code_fallback", b.session.location_fallback);
  unsupported(session, "sc_status_required_after_login", "a 99 is answered, never required");
  only_true(session, "protocol_version_prefix_match",
            "any 99 is answered as SIP 2.00, whatever version it names");
  unsupported(session, "expected_sc_status_interval_s", "the idle timeout of the config");
  session.finish();

  auto dates = r.object("dates");
  dates.choice("zone_field_outbound", d.zone_field,
               {{"local_blank", sip2::ZoneField::local_blank},
                {"utc_z", sip2::ZoneField::utc_z},
                {"military_letter", sip2::ZoneField::military_letter}});
  auto due = dates.object("due_date");
  std::string format;
  due.choice("format", format,
             {{"sip18", std::string("sip18")},
              {"iso_local", std::string("iso_local")},
              {"ils_display", std::string("ils_display")},
              {"custom", std::string("custom")}});
  if (format == "sip18") d.due_date_format = sip2::DueDateFormat::sip;
  if (format == "iso_local") d.due_date_format = sip2::DueDateFormat::iso_local;
  if (format == "ils_display" || format == "custom")
    due.error("format",
              "'" + format +
                  "' is not supported by this version (sip18 or iso_local); the "
                  "library system's display format is not read and no pattern language is defined");
  unsupported(due, "custom_pattern", "no pattern language is defined");
  due.choice("when_not_checked_out", b.empty_due_when_not_on_loan,
             {{"omit", false}, {"empty_field", true}});
  due.finish();
  dates.string("timezone", b.time_zone);
  only_true(dates, "blank_date_means_null",
            "a date field of blanks (or zeros) is no date, as SIP 2.00 writes an absent one");
  dates.finish();

  auto enc = r.object("encoding");
  std::string charset;
  enc.string("wire_charset", charset);
  if (!charset.empty()) {
    if (auto c = sip2::parse_charset(charset))
      d.charset = *c;
    else
      enc.error("wire_charset", "must be ascii, cp850, iso-8859-1 or utf-8");
  }
  enc.choice(
      "unmappable", d.unmappable,
      {{"transliterate", sip2::Unmappable::transliterate}, {"replace", sip2::Unmappable::replace}});
  std::string replacement(1, d.replacement);
  enc.string("replacement", replacement);
  if (replacement.size() == 1)
    d.replacement = replacement[0];
  else
    enc.error("replacement", "must be one character");
  enc.choice(
      "normalization", b.normalization,
      {{"none", Normalization::none}, {"NFC", Normalization::nfc}, {"NFD", Normalization::nfd}});
  auto control = enc.object("control_chars_in_values");
  if (const Json* with = control.raw("replace_with"); with != nullptr) {
    if (with->is_string() && with->get<std::string>().size() == 1 &&
        static_cast<unsigned char>(with->get<std::string>()[0]) >= 0x20 &&
        with->get<std::string>()[0] != d.delimiter && with->get<std::string>()[0] != 0x7F)
      d.delimiter_replacement = with->get<std::string>()[0];
    else
      control.error("replace_with",
                    "must be one printable character other than the field delimiter: a control "
                    "character inside a value would break the frame, so it is always replaced");
  }
  control.ignore("replace_with");
  only_true(control, "include_field_delimiter",
            "a field delimiter inside a value would split the field, so it is always replaced");
  control.finish();
  std::string read_in;
  enc.string("inbound_charset", read_in);
  if (!read_in.empty()) {
    if (auto c = sip2::parse_charset(read_in))
      d.inbound_charset = *c;
    else
      enc.error("inbound_charset", "must be ascii, cp850, iso-8859-1 or utf-8");
  }
  enc.finish();
  r.finish();
}

/// Reads a file's own `match` section (`r` reads the file's per-file keys).
Match read_match(ObjectReader& r, std::vector<std::string>& errors) {
  Match m;
  auto match = r.object("match");
  match.strings("login_ids", m.login_ids);
  match.strings("login_id_prefixes", m.login_id_prefixes);
  match.strings("location_codes", m.location_codes);
  std::vector<std::string> cidrs;
  match.strings("source_cidrs", cidrs);
  for (std::size_t i = 0; i < cidrs.size(); ++i) {
    if (auto c = config::Cidr::parse(cidrs[i]))
      m.source_cidrs.push_back(*c);
    else
      errors.push_back("match.source_cidrs[" + std::to_string(i) +
                       "]: must be an address or a network such as 10.1.0.0/16");
  }
  match.array("listener_ports", [&](const Json& v, const std::string& path) {
    if (v.is_number_integer() && v.get<long long>() >= 1 && v.get<long long>() <= 65535)
      m.listener_ports.push_back(static_cast<std::uint16_t>(v.get<int>()));
    else
      errors.push_back(path + ": must be a port from 1 to 65535");
  });
  if (match.has("protocol_version_regex"))
    match.error("protocol_version_regex",
                "not supported by this version: a profile is chosen at accept and at login, "
                "before any 99; use listener_ports, source_cidrs, login_ids, login_id_prefixes "
                "or location_codes");
  match.ignore("protocol_version_regex");
  match.finish();
  return m;
}

/// The pointer `ptr` extended by `key` (nlohmann escapes '~' and '/').
std::string child(const std::string& ptr, const std::string& key) {
  return (Json::json_pointer(ptr) / key).to_string();
}

/// Records the source of every leaf of `v` at `ptr` (an array or an empty object is a leaf).
void record(Sources& src, const Json& v, const std::string& ptr,
            const std::function<std::string(const std::string&)>& source_of) {
  if (v.is_object() && !v.empty()) {
    for (auto it = v.begin(); it != v.end(); ++it)
      record(src, *it, child(ptr, it.key()), source_of);
    return;
  }
  src[ptr] = source_of(ptr);
}

/// Merges `layer` into `into` (objects merge, anything else replaces), keeping `src` true.
void merge(Json& into, Sources& src, const Json& layer, const std::string& ptr,
           const std::function<std::string(const std::string&)>& source_of) {
  for (auto it = layer.begin(); it != layer.end(); ++it) {
    const std::string p = child(ptr, it.key());
    auto existing = into.find(it.key());
    if (it->is_object() && existing != into.end() && existing->is_object()) {
      if (!it->empty()) {
        src.erase(p);  // an empty object that was a leaf is now a parent
        merge(*existing, src, *it, p, source_of);
      }
      continue;
    }
    // Replaced: forget the sources of what was there.
    for (auto s = src.lower_bound(p); s != src.end() && s->first.starts_with(p);)
      s = (s->first.size() == p.size() || s->first[p.size()] == '/') ? src.erase(s) : std::next(s);
    into[it.key()] = *it;
    record(src, *it, p, source_of);
  }
}

/// "a.b[2].c" → "/a/b/2/c".
std::string pointer_of(std::string_view dotted) {
  std::string out = "/";
  for (char c : dotted) {
    if (c == '.' || c == '[')
      out += '/';
    else if (c != ']')
      out += c;
  }
  return out;
}

/// The file that set the value an error names: the deepest recorded source at or above its
/// path, or any source under it (an object whose keys came from several files: the last).
std::string blame(const Sources& src, std::string_view error, const std::string& fallback) {
  const auto colon = error.find(": ");
  if (colon == std::string_view::npos) return fallback;
  std::string p = pointer_of(error.substr(0, colon));
  for (std::string up = p; !up.empty(); up = up.substr(0, up.rfind('/'))) {
    if (auto it = src.find(up); it != src.end()) return it->second;
    if (up == "/") break;
  }
  std::string found = fallback;
  for (auto it = src.lower_bound(p + "/"); it != src.end() && it->first.starts_with(p + "/"); ++it)
    found = it->second;
  return found;
}

}  // namespace

const Json& baseline_json() {
  static const Json j = Json::parse(R"({
    "framing": {"outbound_terminator": "CR", "field_delimiter": "|"},
    "error_detection": {"inbound": "auto", "outbound": "mirror_request", "checksum_basis": "bytes",
                        "checksum_hex_case": "accept_any", "on_bad_checksum": "send_96",
                        "sequence": {"echo": true, "duplicate_policy": "replay_cached_response",
                                     "duplicate_key": "seq_and_body"},
                        "resend_97": {"supported": true, "recompute_error_detection": false,
                                      "when_nothing_sent": "send_96"}},
    "session": {"sc_status_before_login": {"allowed": false, "institution_id": ""},
                "unknown_message": "send_96", "reject_encrypted_login": true,
                "relogin_on_same_connection": true},
    "encoding": {"wire_charset": "cp850", "unmappable": "transliterate", "replacement": "?"},
    "dates": {"zone_field_outbound": "local_blank", "due_date": {"format": "sip18"}},
    "fees": {"supported": true},
    "patron": {"password": {"absent_ad": "no_check", "details_when_invalid": false},
               "info_64": {"hold_items": "available_only"}},
    "checkin": {"ct": {"always_send": false}, "cv": {"send_00_on_success": false},
                "screen_message_on_success": true, "return_patron_aa": true},
    "checkout": {"desensitize": "ils_decides", "magnetic_media": "report_from_ils"},
    "offline": {"device_store_and_forward": "unknown", "checkout_no_block": "force_and_report",
                "checkin_no_block": "force", "nb_due_date": "trust_device",
                "event_time": "transaction_date", "detect_unflagged_replay": {"enabled": true},
                "stale_event_guard": "skip_if_newer_event", "exceptions": "log_and_queue"}
  })");
  return j;
}

bool acted_on(std::string_view pointer) {
  // What read_dialect turns into the sip2::Dialect (and `device`, which is description).
  static constexpr std::string_view kActedOn[] = {"/device",
                                                  "/framing/outbound_terminator",
                                                  "/framing/field_delimiter",
                                                  "/framing/max_frame_length",
                                                  "/framing/inbound_terminators",
                                                  "/framing/discard_leading_lf",
                                                  "/framing/skip_blank_lines",
                                                  "/patron/status_24/extra_fields",
                                                  "/error_detection",
                                                  "/session/sc_status_before_login",
                                                  "/session/reject_encrypted_login",
                                                  "/session/relogin_on_same_connection",
                                                  "/dates/due_date/format",
                                                  "/fees/supported",
                                                  "/session/unknown_message",
                                                  "/patron/password/details_when_invalid",
                                                  "/patron/password/empty_ad",
                                                  "/patron/password/absent_ad",
                                                  "/dates/zone_field_outbound",
                                                  "/encoding/wire_charset",
                                                  "/encoding/unmappable",
                                                  "/encoding/replacement",
                                                  "/encoding/normalization",
                                                  "/checkin/ct/always_send",
                                                  "/checkin/cv/send_00_on_success",
                                                  "/checkin/screen_message_on_success",
                                                  "/checkin/return_patron_aa",
                                                  "/checkin/ok_when_not_checked_out",
                                                  "/checkin/alert",
                                                  "/checkin/resensitize",
                                                  "/checkin/cv/codes/hold_here",
                                                  "/checkin/cv/codes/hold_elsewhere",
                                                  "/checkin/cv/codes/transit",
                                                  "/checkin/cv/codes/other",
                                                  "/checkin/sort_bin_cl",
                                                  "/checkin/reject_item_statuses",
                                                  "/checkout/blocked_item_types",
                                                  "/checkout/in_house_only_item_types",
                                                  "/checkout/already_on_loan_to_same_patron",
                                                  "/patron/info_64/unavailable_holds_in_cd",
                                                  "/patron/info_64/item_list_datatype",
                                                  "/patron/info_64/max_listed_items",
                                                  "/patron/info_64/internal_id_xi",
                                                  "/patron/trim_identifiers",
                                                  "/patron/identifier_transform",
                                                  "/acs_status/online_status",
                                                  "/acs_status/institution_id",
                                                  "/acs_status/supported_messages_bx",
                                                  "/acs_status/terminal_location_source",
                                                  "/session/location_code_fallback",
                                                  "/session/protocol_version_prefix_match",
                                                  "/dates/due_date/when_not_checked_out",
                                                  "/dates/blank_date_means_null",
                                                  "/dates/timezone",
                                                  "/encoding/control_chars_in_values",
                                                  "/encoding/inbound_charset",
                                                  "/fees/payment_type_map",
                                                  "/fees/register_id",
                                                  "/fees/currency",
                                                  "/fees/overpayment",
                                                  "/patron/password/send_cq_only_when_ad_present",
                                                  "/checkout/show_outstanding_amount",
                                                  "/offline",
                                                  "/checkout/desensitize",
                                                  "/checkout/no_desensitize_patron_categories",
                                                  "/checkout/magnetic_media",
                                                  "/checkout/send_media_type_ck",
                                                  "/patron/info_64/hold_items",
                                                  "/patron/info_64/envisionware_fields",
                                                  "/checkin/holds/send_hold_patron_cy",
                                                  "/checkin/holds/send_hold_patron_phone_bf",
                                                  "/fees/av_format",
                                                  "/fees/amount_decimals",
                                                  "/fees/missing_fee_id",
                                                  "/fees/accept_extension_fields",
                                                  "/limits",
                                                  "/acs_status/checkin_ok",
                                                  "/acs_status/checkout_ok",
                                                  "/acs_status/acs_renewal_policy",
                                                  "/acs_status/status_update_ok",
                                                  "/acs_status/offline_ok",
                                                  "/acs_status/timeout_period_tenths",
                                                  "/acs_status/retries_allowed",
                                                  "/acs_status/library_name",
                                                  "/fields/order",
                                                  "/fields/per_message_order",
                                                  "/fields/hide",
                                                  "/fields/allow_only",
                                                  "/fields/always_send",
                                                  "/fields/rewrite",
                                                  "/fields/max_field_length",
                                                  "/fields/overflow",
                                                  "/fields/screen_message/max_length",
                                                  "/fields/screen_message/split_into_repeated_af",
                                                  "/fields/print_line_width",
                                                  "/fields/language_default",
                                                  "/fields/unknown_inbound",
                                                  "/fields/duplicate_inbound",
                                                  "/renewal/supported",
                                                  "/renewal/title_in_failure",
                                                  "/checkout/failure_includes_title",
                                                  "/timeouts",
                                                  "/transport/tcp_keepalive",
                                                  "/logging/level"};
  return std::any_of(std::begin(kActedOn), std::end(kActedOn), [pointer](std::string_view k) {
    return pointer == k || (pointer.starts_with(k) && pointer[k.size()] == '/');
  });
}

bool Match::empty() const {
  return listener_ports.empty() && source_cidrs.empty() && !at_login();
}

bool Match::at_login() const {
  return !login_ids.empty() || !login_id_prefixes.empty() || !location_codes.empty();
}

bool Match::holds(const Connection& c) const {
  if (empty()) return false;
  auto in = [](const auto& list, const auto& v) {
    return std::find(list.begin(), list.end(), v) != list.end();
  };
  if (!listener_ports.empty() && !in(listener_ports, c.port)) return false;
  if (!source_cidrs.empty() &&
      std::none_of(source_cidrs.begin(), source_cidrs.end(),
                   [&](const config::Cidr& n) { return n.contains(c.address); }))
    return false;
  if (!login_ids.empty() && (!c.login || !in(login_ids, *c.login))) return false;
  if (!login_id_prefixes.empty() &&
      (!c.login || std::none_of(login_id_prefixes.begin(), login_id_prefixes.end(),
                                [&](const std::string& p) { return c.login->starts_with(p); })))
    return false;
  if (!location_codes.empty() && (!c.location || !in(location_codes, *c.location))) return false;
  return true;
}

std::string Match::describe() const {
  std::string out;
  auto list = [&out](std::string_view name, const auto& values, auto text) {
    if (values.empty()) return;
    out += (out.empty() ? "" : ", ") + std::string(name);
    for (std::size_t i = 0; i < values.size(); ++i)
      out += (i == 0 ? " " : " or ") + text(values[i]);
  };
  auto quoted = [](const std::string& s) { return "'" + s + "'"; };
  list("listener_ports", listener_ports, [](std::uint16_t p) { return std::to_string(p); });
  list("source_cidrs", source_cidrs, [](const config::Cidr& n) { return n.text(); });
  list("login_ids", login_ids, quoted);
  list("login_id_prefixes", login_id_prefixes, quoted);
  list("location_codes", location_codes, quoted);
  return out;
}

std::variant<ProfileRegistry, std::vector<std::string>> ProfileRegistry::load(
    const std::filesystem::path& dir) {
  std::vector<std::string> errors;
  auto add_error = [&errors](std::string e) {
    if (std::find(errors.begin(), errors.end(), e) == errors.end()) errors.push_back(std::move(e));
  };
  struct Raw {
    Json json;  ///< the layered keys only
    std::string file;
    std::vector<std::string> extends;
    Match match;
  };
  std::map<std::string, Raw> raw;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".json" || entry.path().filename() == "schema.json") continue;
    const std::string name = "firmware-profiles/" + entry.path().filename().string();
    if (entry.path().stem() == kBaseline) {
      add_error(name + ": profile_id: '" + std::string(kBaseline) + "' is built in");
      continue;
    }
    std::ifstream in(entry.path());
    auto j = Json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      add_error(name + ": not valid JSON (or not an object)");
      continue;
    }
    // The per-file keys are read here, the layered ones once merged.
    Json own_keys = Json::object();
    for (auto k : kPerFile)
      if (j.contains(k)) own_keys[std::string(k)] = j[std::string(k)];
    std::vector<std::string> own;
    std::string id;
    Raw file{Json::object(), name, {}, {}};
    {
      ObjectReader r(&own_keys, "", own);
      int schema = 1;
      r.integer("schema_version", schema, 1, 1, true);
      r.string("profile_id", id, true);
      r.strings("extends", file.extends);
      file.match = read_match(r, own);
      r.ignore("evidence");
      r.ignore("notes");
    }
    for (const auto& e : own)
      add_error(name + ": " + e);
    if (id.empty()) continue;
    if (auto dup = raw.find(id); dup != raw.end()) {
      add_error(name + ": profile_id: '" + id + "' is also the id of " + dup->second.file);
      continue;
    }
    for (auto it = j.begin(); it != j.end(); ++it)
      if (!own_keys.contains(it.key())) file.json[it.key()] = *it;
    raw[id] = std::move(file);
  }
  if (ec) add_error("profiles.dir: cannot read '" + dir.string() + "': " + ec.message());

  ProfileRegistry reg;
  {
    Profile base;
    base.id = kBaseline;
    base.file = kBuiltIn;
    record(base.sources, baseline_json(), "", [](const std::string&) { return kBuiltIn; });
    base.effective = baseline_json();
    std::vector<std::string> e;
    read_dialect(base.effective, base.dialect, base.behaviour, base.vendor, e);
    reg.profiles_[kBaseline] = std::move(base);
  }
  // Resolve `extends` depth-first; a cycle or a missing parent is an error.
  std::set<std::string> visiting;
  std::function<const Profile*(const std::string&)> build =
      [&](const std::string& id) -> const Profile* {
    if (auto it = reg.profiles_.find(id); it != reg.profiles_.end()) return &it->second;
    auto src = raw.find(id);
    if (src == raw.end()) return nullptr;
    const Raw& file = src->second;
    if (!visiting.insert(id).second) {
      add_error(file.file + ": extends: cycle through '" + id + "'");
      return nullptr;
    }
    const Profile& base = reg.profiles_.at(kBaseline);
    Profile p;
    p.id = id;
    p.file = file.file;
    p.effective = base.effective;
    p.sources = base.sources;
    p.extends = file.extends;
    p.match = file.match;
    for (std::size_t i = 0; i < p.extends.size(); ++i) {
      if (build(p.extends[i]) == nullptr && !raw.contains(p.extends[i]))
        add_error(file.file + ": extends[" + std::to_string(i) + "]: unknown profile '" +
                  p.extends[i] + "'");  // (a known one that failed is a cycle, reported)
    }
    // The files to layer, each once, parents before children, left to right: a value set by
    // the first parent is not undone by the second parent's baseline or shared ancestors.
    std::vector<const Raw*> chain;
    std::set<std::string> seen;
    std::function<void(const std::string&)> linearize = [&](const std::string& at) {
      auto r = raw.find(at);
      if (r == raw.end() || !seen.insert(at).second) return;
      for (const auto& parent : r->second.extends)
        linearize(parent);
      chain.push_back(&r->second);
    };
    linearize(id);
    for (const Raw* layer : chain)
      merge(p.effective, p.sources, layer->json, "",
            [layer](const std::string&) { return layer->file; });
    std::vector<std::string> read;
    read_dialect(p.effective, p.dialect, p.behaviour, p.vendor, read);
    for (const auto& e : read)
      add_error(blame(p.sources, e, file.file) + ": " + e);
    visiting.erase(id);
    return &(reg.profiles_[id] = std::move(p));
  };
  for (const auto& [id, _] : raw)
    (void)build(id);
  if (!errors.empty()) return errors;
  return reg;
}

const Profile* ProfileRegistry::find(const std::string& id) const {
  auto it = profiles_.find(id);
  return it == profiles_.end() ? nullptr : &it->second;
}

std::vector<std::string> ProfileRegistry::ids() const {
  std::vector<std::string> out;
  for (const auto& [id, _] : profiles_)
    out.push_back(id);
  return out;
}

const Profile* ProfileRegistry::matching(const Connection& c, bool at_login) const {
  for (const auto& [id, p] : profiles_)
    if (!p.match.empty() && p.match.at_login() == at_login && p.match.holds(c)) return &p;
  return nullptr;
}

}  // namespace profiles
