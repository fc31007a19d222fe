// Reading firmware-profile files (the dialect keys of firmware-profiles/schema.json).
#include "profiles/profile_registry.hpp"

#include <algorithm>
#include <fstream>
#include <functional>
#include <set>

#include <nlohmann/json.hpp>

#include "config/json_reader.hpp"

namespace profiles {

namespace {

using config::ObjectReader;

/// Sections of the profile schema that later versions act on; accepted and not yet read.
constexpr std::string_view kLaterSections[] = {
    "patron", "checkout", "checkin",   "offline",    "fields",   "renewal",
    "fees",   "holds",    "items",     "notes",      "sources",  "evidence",
    "limits", "match",    "transport", "acs_status", "timeouts", "logging"};

/// A string at `at` that must be one of `options` (absent: `out` unchanged).
template <class E>
void read_enum(const nlohmann::json& j, const nlohmann::json::json_pointer& at,
               std::string_view path, const std::string& file, std::vector<std::string>& errors,
               E& out, std::initializer_list<std::pair<std::string_view, E>> options) {
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
  errors.push_back(file + ": " + std::string(path) + ": must be one of " + all);
}

std::string terminator(std::string_view name) {
  if (name == "CRLF") return "\r\n";
  if (name == "LF") return "\n";
  return "\r";
}

void apply(const nlohmann::json& j, const std::string& file, sip2::Dialect& d,
           std::vector<std::string>& errors, Profile& p) {
  ObjectReader r(&j, file, errors);
  int schema = 1;
  r.integer("schema_version", schema, 1, 1, true);
  r.string("profile_id", p.id, true);
  std::vector<std::string> extends;
  r.strings("extends", extends);
  auto device = r.object("device");
  device.string("vendor", p.vendor);
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
  ed.choice("inbound", d.error_detection,
            {{"off", sip2::ErrorDetection::off},
             {"on", sip2::ErrorDetection::on},
             {"auto", sip2::ErrorDetection::automatic}});
  ed.choice(
      "checksum_basis", d.checksum_basis,
      {{"bytes", sip2::ChecksumBasis::bytes}, {"code_points", sip2::ChecksumBasis::code_points}});
  for (auto k : {"outbound", "checksum_hex_case", "on_bad_checksum"})
    ed.string(k, ignored);
  ed.ignore("sequence");
  ed.ignore("resend_97");
  ed.finish();

  auto session = r.object("session");
  auto before = session.object("sc_status_before_login");
  before.boolean("allowed", d.sc_status_before_login);
  before.finish();
  for (auto k : {"login_93", "location_code_cp", "unknown_message"})
    session.string(k, ignored);
  for (auto k : {"reject_encrypted_login", "sc_status_required_after_login",
                 "relogin_on_same_connection", "protocol_version_prefix_match"})
    session.boolean(k, flag);
  session.finish();

  // The patron section is otherwise for later versions: only these keys are read from it.
  const auto details = "/patron/password/details_when_invalid"_json_pointer;
  if (j.contains(details)) {
    if (j.at(details).is_boolean())
      d.patron_details_on_bad_password = j.at(details).get<bool>();
    else
      errors.push_back(file + ": patron.password.details_when_invalid: must be true or false");
  }
  using EP = sip2::Dialect::EmptyPin;
  using AP = sip2::Dialect::AbsentPin;
  read_enum(j, "/patron/password/empty_ad"_json_pointer, "patron.password.empty_ad", file, errors,
            d.empty_pin,
            {{"treat_valid", EP::treat_valid},
             {"verify", EP::verify},
             {"treat_invalid", EP::treat_invalid}});
  read_enum(j, "/patron/password/absent_ad"_json_pointer, "patron.password.absent_ad", file, errors,
            d.absent_pin, {{"no_check", AP::no_check}, {"treat_invalid", AP::treat_invalid}});

  auto dates = r.object("dates");
  dates.choice("zone_field_outbound", d.zone_field,
               {{"local_blank", sip2::ZoneField::local_blank},
                {"utc_z", sip2::ZoneField::utc_z},
                {"military_letter", sip2::ZoneField::military_letter}});
  // Read by later versions; the site's zone is the config's `timezone`.
  for (auto k : {"timezone", "due_date", "blank_date_means_null"})
    dates.ignore(k);
  dates.finish();

  auto enc = r.object("encoding");
  std::string charset;
  enc.string("wire_charset", charset);
  if (!charset.empty()) {
    if (auto c = sip2::parse_charset(charset))
      d.charset = *c;
    else
      enc.error("wire_charset", "must be ascii, ibm850, iso-8859-1 or utf-8");
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
}

}  // namespace

std::variant<ProfileRegistry, std::vector<std::string>> ProfileRegistry::load(
    const std::filesystem::path& dir) {
  std::vector<std::string> errors;
  std::map<std::string, std::pair<nlohmann::json, std::string>> raw;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".json" || entry.path().filename() == "schema.json") continue;
    const std::string name = "firmware-profiles/" + entry.path().filename().string();
    if (entry.path().stem() == kBaseline) {
      errors.push_back(name + ": profile_id: '" + std::string(kBaseline) + "' is built in");
      continue;
    }
    std::ifstream in(entry.path());
    try {
      auto j = nlohmann::json::parse(in);
      const std::string id = j.value("profile_id", entry.path().stem().string());
      raw[id] = {std::move(j), name};
    } catch (const nlohmann::json::exception&) {
      errors.push_back(name + ": not valid JSON");
    }
  }
  if (ec) errors.push_back("profiles.dir: cannot read '" + dir.string() + "': " + ec.message());

  ProfileRegistry reg;
  Profile baseline{kBaseline, "", sip2::Dialect{}};
  reg.profiles_[kBaseline] = baseline;
  // Resolve `extends` depth-first; a cycle or a missing parent is an error.
  std::set<std::string> visiting;
  std::function<const Profile*(const std::string&)> build =
      [&](const std::string& id) -> const Profile* {
    if (auto it = reg.profiles_.find(id); it != reg.profiles_.end()) return &it->second;
    auto src = raw.find(id);
    if (src == raw.end()) return nullptr;
    if (!visiting.insert(id).second) {
      errors.push_back(src->second.second + ": extends: cycle through '" + id + "'");
      return nullptr;
    }
    sip2::Dialect d = reg.profiles_[kBaseline].dialect;
    if (auto ext = src->second.first.find("extends");
        ext != src->second.first.end() && ext->is_array())
      for (const auto& parent : *ext) {
        if (!parent.is_string()) continue;
        const auto* p = build(parent.get<std::string>());
        if (p == nullptr)
          errors.push_back(src->second.second + ": extends: unknown profile '" +
                           parent.get<std::string>() + "'");
        else
          d = p->dialect;
      }
    Profile p;
    apply(src->second.first, src->second.second, d, errors, p);
    p.dialect = d;
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

}  // namespace profiles
