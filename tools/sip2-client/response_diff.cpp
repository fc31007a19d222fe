// Comparing a response with a recorded one, field by field, for `sip2-client replay`.
#include "response_diff.hpp"

#include <map>

#include "secret_mask.hpp"

namespace sip2_client {
namespace {

bool is_date(sip2::FixedKind kind) {
  return kind == sip2::FixedKind::date || kind == sip2::FixedKind::date_or_blank ||
         kind == sip2::FixedKind::date_or_zeros;
}

std::string list(const std::vector<std::string>& values, bool secret) {
  if (values.empty()) return "none";
  std::string out = "[";
  for (const auto& v : values)
    out += (out.size() > 1 ? ", \"" : "\"") + (secret ? std::string(kMask) : v) + "\"";
  return out + "]";
}

std::map<std::string, std::vector<std::string>> by_code(const sip2::Message& m) {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& f : m.fields)
    out[std::string(f.code.view())].push_back(f.value);
  return out;
}

}  // namespace

std::vector<std::string> diff_responses(const sip2::Message& recorded, const sip2::Message& now,
                                        const std::set<std::string, std::less<>>& ignore) {
  std::vector<std::string> out;
  if (recorded.command != now.command)
    return {"command: recorded " + recorded.command + ", now " + now.command};
  if (const auto* spec = now.spec()) {
    for (std::size_t i = 0; i < spec->fixed.size(); ++i) {
      const auto& f = spec->fixed[i];
      if (is_date(f.kind) || ignore.contains(f.name)) continue;
      const std::string a = i < recorded.fixed.size() ? recorded.fixed[i] : "";
      const std::string b = i < now.fixed.size() ? now.fixed[i] : "";
      if (a != b)
        out.push_back(std::string(f.name) + ": recorded \"" + a + "\", now \"" + b + "\"");
    }
  }
  auto before = by_code(recorded);
  auto after = by_code(now);
  for (auto& [code, values] : after)
    before.try_emplace(code);
  for (const auto& [code, values] : before) {
    if (ignore.contains(code) || kDateFields.contains(code)) continue;
    const auto& current = after[code];
    if (values != current) {
      const bool secret = is_secret(sip2::FieldCode(code));
      out.push_back(code + ": recorded " + list(values, secret) + ", now " + list(current, secret));
    }
  }
  return out;
}

}  // namespace sip2_client
