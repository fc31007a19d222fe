// Loads the third-party SIP2 vectors and turns decoded messages into their annotation form.
#pragma once

#include <fstream>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "sip2/codec.hpp"

namespace sip2::test {

inline nlohmann::json load_vectors() {
  const char* dir = std::getenv("SIP2_TEST_DATA");
  const std::string path = std::string(dir ? dir : "test/data") + "/sip2-vectors.json";
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  return nlohmann::json::parse(in)["vectors"];
}

/// The vectors' "fields" annotation of a decoded message: fixed by name, variable by code
/// (repeated codes as lists), AY/AZ as trailer values.
inline nlohmann::json annotate(const Message& m) {
  nlohmann::json out = nlohmann::json::object();
  if (const CommandSpec* s = m.spec(); s != nullptr && !s->fixed.empty()) {
    nlohmann::json fixed = nlohmann::json::object();
    for (std::size_t i = 0; i < s->fixed.size(); ++i) {
      fixed[std::string(s->fixed[i].name)] = i < m.fixed.size() ? m.fixed[i] : std::string();
    }
    out["fixed"] = fixed;
  }
  if (!m.fields.empty()) {
    nlohmann::json var = nlohmann::json::object();
    for (const Field& f : m.fields) {
      const std::string code(f.code.view());
      if (!var.contains(code)) {
        var[code] = f.value;
      } else if (var[code].is_array()) {
        var[code].push_back(f.value);
      } else {
        var[code] = nlohmann::json::array({var[code], f.value});
      }
    }
    out["variable"] = var;
  }
  if (m.sequence) out["AY"] = std::to_string(*m.sequence);
  if (m.checksum) out["AZ"] = *m.checksum;
  return out;
}

inline Dialect utf8_dialect() {
  Dialect d;
  d.charset = Charset::utf8;  // the vectors' raw strings and checksums are UTF-8
  return d;
}

}  // namespace sip2::test
