// Reading firmware-profile files: layering with `extends`, where each value came from, the
// dialect keys of firmware-profiles/schema.json, and the `match` rules.
#include "profiles/profile_registry.hpp"

#include <algorithm>
#include <fstream>
#include <functional>
#include <set>

#include "config/json_reader.hpp"

namespace profiles {

namespace {

using config::ObjectReader;
using Json = nlohmann::json;
using Sources = std::map<std::string, std::string>;

/// Keys that belong to one file and are not layered: who it is, what it extends, when it
/// applies, and the evidence and notes for its own values.
constexpr std::string_view kPerFile[] = {"schema_version", "profile_id", "extends",
                                         "match",          "evidence",   "notes"};

/// Sections of the profile schema that later versions act on; accepted and not yet read.
constexpr std::string_view kLaterSections[] = {"patron",     "checkout", "offline", "fields",
                                               "renewal",    "fees",     "limits",  "transport",
                                               "acs_status", "timeouts", "logging"};

/// A string at `at` that must be one of `options` (absent: `out` unchanged).
template <class E>
void read_enum(const Json& j, const Json::json_pointer& at, std::string_view path,
               std::vector<std::string>& errors, E& out,
               std::initializer_list<std::pair<std::string_view, E>> options) {
  if (!j.contains(at)) return;
  const auto& v = j.at(at);
  if (v.is_string())
    for (const auto& [name, value] : options)
      if (name == v.get<std::string>()) {
        out = value;
        return;
      }
  std::string all;
  for (const auto& o : options)
    all += (all.empty() ? "" : ", ") + std::string(o.first);
  errors.push_back(std::string(path) + ": must be one of " + all);
}

std::string terminator(std::string_view name) {
  if (name == "CRLF") return "\r\n";
  if (name == "LF") return "\n";
  return "\r";
}

/// The keys of `checkin` that act (Behaviour::Checkin); the others are accepted for later.
void read_checkin(ObjectReader& r, Behaviour::Checkin& c) {
  auto checkin = r.object("checkin");
  auto ct = checkin.object("ct");
  ct.boolean("always_send", c.ct_always);
  ct.ignore("value");
  ct.finish();
  auto cv = checkin.object("cv");
  cv.boolean("send_00_on_success", c.cv_00_on_success);
  cv.ignore("codes");
  cv.finish();
  checkin.boolean("screen_message_on_success", c.message_on_success);
  checkin.boolean("return_patron_aa", c.patron_aa);
  for (auto k : {"ok_when_not_checked_out", "alert", "sort_bin_cl", "holds", "resensitize",
                 "reject_item_statuses", "claimed_returned", "current_location_ap"})
    checkin.ignore(k);
  checkin.finish();
}

/// Reads the keys that act of an effective (merged) profile. Errors are "json.path: reason".
void read_dialect(const Json& j, sip2::Dialect& d, Behaviour& b, std::string& vendor,
                  std::vector<std::string>& errors) {
  ObjectReader r(&j, "", errors);
  read_checkin(r, b.checkin);
  auto fees = r.object("fees");
  fees.boolean("supported", b.fees_supported);
  for (auto k : {"av_format", "av_template", "amount_decimals", "currency", "payment_type_map",
                 "writeoff_payment_type", "overpayment", "missing_fee_id", "register_id",
                 "accept_extension_fields"})
    fees.ignore(k);
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
  for (auto s : kLaterSections)
    r.ignore(s);

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
  bool flag = true;
  framing.boolean("discard_leading_lf", flag);
  framing.boolean("skip_blank_lines", flag);
  framing.boolean("delimiter_before_ay", flag);
  framing.boolean("accept_lowercase_flags", flag);
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
  for (auto k : {"login_93", "location_code_cp"})
    session.string(k, ignored);
  for (auto k : {"sc_status_required_after_login", "protocol_version_prefix_match"})
    session.boolean(k, flag);
  session.finish();

  // The patron section is otherwise for later versions: only these keys are read from it.
  const auto details = "/patron/password/details_when_invalid"_json_pointer;
  if (j.contains(details)) {
    if (j.at(details).is_boolean())
      d.patron_details_on_bad_password = j.at(details).get<bool>();
    else
      errors.push_back("patron.password.details_when_invalid: must be true or false");
  }
  using EP = sip2::Dialect::EmptyPin;
  using AP = sip2::Dialect::AbsentPin;
  read_enum(j, "/patron/password/empty_ad"_json_pointer, "patron.password.empty_ad", errors,
            d.empty_pin,
            {{"treat_valid", EP::treat_valid},
             {"verify", EP::verify},
             {"treat_invalid", EP::treat_invalid}});
  read_enum(j, "/patron/password/absent_ad"_json_pointer, "patron.password.absent_ad", errors,
            d.absent_pin, {{"no_check", AP::no_check}, {"treat_invalid", AP::treat_invalid}});

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
  due.ignore("custom_pattern");
  due.ignore("when_not_checked_out");
  due.finish();
  // Read by later versions; the site's zone is the config's `timezone`.
  for (auto k : {"timezone", "blank_date_means_null"})
    dates.ignore(k);
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
  std::string unmappable;
  enc.string("unmappable", unmappable);
  if (unmappable == "replace")
    d.unmappable = sip2::Unmappable::replace;
  else if (!unmappable.empty())
    d.unmappable = sip2::Unmappable::transliterate;
  std::string replacement(1, d.replacement);
  enc.string("replacement", replacement);
  if (replacement.size() == 1) d.replacement = replacement[0];
  enc.string("normalization", ignored);
  enc.ignore("control_chars_in_values");
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
    "patron": {"password": {"absent_ad": "no_check", "details_when_invalid": false}},
    "checkin": {"ct": {"always_send": false}, "cv": {"send_00_on_success": false},
                "screen_message_on_success": true, "return_patron_aa": true}
  })");
  return j;
}

bool acted_on(std::string_view pointer) {
  // What read_dialect turns into the sip2::Dialect (and `device`, which is description).
  static constexpr std::string_view kActedOn[] = {"/device",
                                                  "/framing/outbound_terminator",
                                                  "/framing/field_delimiter",
                                                  "/framing/max_frame_length",
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
                                                  "/checkin/ct/always_send",
                                                  "/checkin/cv/send_00_on_success",
                                                  "/checkin/screen_message_on_success",
                                                  "/checkin/return_patron_aa"};
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
