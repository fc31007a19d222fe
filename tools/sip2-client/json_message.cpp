// Conversion between sip2::Message and its JSON form.
#include "json_message.hpp"

#include <algorithm>

namespace sip2_client {

using nlohmann::ordered_json;

ordered_json to_json(const sip2::Message& m) {
  ordered_json j;
  j["ok"] = true;
  j["command"] = m.command;
  const sip2::CommandSpec* spec = m.spec();
  j["name"] = spec != nullptr ? std::string(spec->name) : "unknown";
  ordered_json fixed = ordered_json::object();
  if (spec != nullptr) {
    for (std::size_t i = 0; i < spec->fixed.size(); ++i) {
      fixed[std::string(spec->fixed[i].name)] = i < m.fixed.size() ? m.fixed[i] : "";
    }
  }
  j["fixed"] = fixed;
  ordered_json fields = ordered_json::object();
  for (const auto& f : m.fields) {
    const std::string code(f.code.view());
    auto it = fields.find(code);
    if (it == fields.end()) {
      fields[code] = f.value;
    } else if (it->is_array()) {
      it->push_back(f.value);
    } else {
      *it = ordered_json::array({*it, f.value});
    }
  }
  j["fields"] = fields;
  j["sequence"] = m.sequence ? ordered_json(std::to_string(*m.sequence)) : ordered_json(nullptr);
  j["checksum"] = m.checksum ? ordered_json(*m.checksum) : ordered_json(nullptr);
  j["checksum_valid"] = m.checksum_valid ? ordered_json(*m.checksum_valid) : ordered_json(nullptr);
  return j;
}

ordered_json error_json(const sip2::DecodeError& e) {
  ordered_json j;
  j["ok"] = false;
  j["error"] = e.code.message();
  j["offset"] = e.offset;
  return j;
}

namespace {

tl::expected<void, std::string> read_fixed(const ordered_json& j, sip2::Message& m) {
  const sip2::CommandSpec* spec = m.spec();
  const ordered_json fixed = j.value("fixed", ordered_json::object());
  if (!fixed.is_object()) return tl::unexpected(std::string("fixed: must be an object"));
  if (spec == nullptr) {
    if (!fixed.empty())
      return tl::unexpected("fixed: unknown command " + m.command + " has no fixed fields");
    return {};
  }
  for (const auto& f : spec->fixed) {
    const std::string name(f.name);
    if (!fixed.contains(name)) return tl::unexpected("fixed." + name + ": missing");
    if (!fixed[name].is_string()) return tl::unexpected("fixed." + name + ": must be a string");
    m.fixed.push_back(fixed[name].get<std::string>());
  }
  for (const auto& [key, _] : fixed.items()) {
    const bool known = std::any_of(spec->fixed.begin(), spec->fixed.end(),
                                   [&](const sip2::FixedSpec& f) { return f.name == key; });
    if (!known) return tl::unexpected("fixed." + key + ": not a fixed field of " + m.command);
  }
  return {};
}

tl::expected<void, std::string> read_fields(const ordered_json& j, sip2::Message& m) {
  const ordered_json fields = j.value("fields", ordered_json::object());
  if (!fields.is_object()) return tl::unexpected(std::string("fields: must be an object"));
  for (const auto& [code, value] : fields.items()) {
    if (code.size() != 2)
      return tl::unexpected("fields." + code + ": a field code has two characters");
    const sip2::FieldCode fc(code);
    if (value.is_string()) {
      m.fields.push_back({fc, value.get<std::string>()});
      continue;
    }
    if (!value.is_array()) return tl::unexpected("fields." + code + ": must be a string or a list");
    for (const auto& v : value) {
      if (!v.is_string()) return tl::unexpected("fields." + code + ": list items must be strings");
      m.fields.push_back({fc, v.get<std::string>()});
    }
  }
  return {};
}

}  // namespace

tl::expected<sip2::Message, std::string> from_json(const ordered_json& j) {
  if (!j.is_object()) return tl::unexpected(std::string("message: must be a JSON object"));
  if (!j.contains("command") || !j["command"].is_string() ||
      j["command"].get<std::string>().size() != 2) {
    return tl::unexpected(std::string("command: must be a two-character string"));
  }
  sip2::Message m;
  m.command = j["command"].get<std::string>();
  if (auto r = read_fixed(j, m); !r) return tl::unexpected(r.error());
  if (auto r = read_fields(j, m); !r) return tl::unexpected(r.error());
  return m;
}

}  // namespace sip2_client
