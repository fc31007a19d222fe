// Shaping a response by a profile's `fields` section (see fields.hpp).
#include "profiles/fields.hpp"

#include <algorithm>
#include <utility>

#include "sip2/charset.hpp"
#include "sip2/command.hpp"

namespace profiles {

namespace {

using sip2::FieldCode;

template <class T>
const T* for_message(const PerMessage<T>& map, std::string_view code) {
  const auto it = map.find(code);
  return it == map.end() ? nullptr : &it->second;
}

bool listed(const FieldRules::Codes* codes, FieldCode c) {
  return codes != nullptr && std::find(codes->begin(), codes->end(), c) != codes->end();
}

bool required_in(const sip2::CommandSpec* spec, FieldCode c) {
  if (spec == nullptr) return false;
  return std::any_of(spec->tags.begin(), spec->tags.end(),
                     [c](const sip2::TagSpec& t) { return t.code == c && t.required; });
}

/// `text` in pieces of at most `max` code points, each ending at a space when one is in it.
std::vector<std::string> pieces(std::string_view text, std::size_t max) {
  std::vector<std::string> out;
  auto trim_front = [&text] {
    while (!text.empty() && text.front() == ' ')
      text.remove_prefix(1);
  };
  trim_front();
  while (sip2::code_point_count(text) > max) {
    std::string_view head = sip2::code_point_prefix(text, max);
    std::size_t cut = head.size();
    if (text[head.size()] != ' ') {
      const auto space = head.rfind(' ');
      if (space != std::string_view::npos && space > 0) cut = space;
    }
    std::string_view piece = text.substr(0, cut);
    while (!piece.empty() && piece.back() == ' ')
      piece.remove_suffix(1);
    if (!piece.empty()) out.emplace_back(piece);
    text.remove_prefix(cut);
    trim_front();
  }
  if (!text.empty() || out.empty()) out.emplace_back(text);
  return out;
}

/// Every `code` field of `fields` longer than `max` code points cut to it, or split into
/// repeated fields.
void limit(std::vector<sip2::Field>& fields, FieldCode code, std::size_t max, bool split) {
  std::vector<sip2::Field> out;
  out.reserve(fields.size());
  for (auto& f : fields) {
    if (f.code != code || sip2::code_point_count(f.value) <= max) {
      out.push_back(std::move(f));
    } else if (!split) {
      out.push_back({code, std::string(sip2::code_point_prefix(f.value, max))});
    } else {
      for (auto& p : pieces(f.value, max))
        out.push_back({code, std::move(p)});
    }
  }
  fields = std::move(out);
}

}  // namespace

bool FieldRules::empty() const {
  return !spec_order && first.empty() && hide.empty() && allow_only.empty() &&
         always_send.empty() && rewrite.empty() && screen_max == 0 && language_default.empty() &&
         !print_width_from_99;
}

void apply(const FieldRules& rules, sip2::Message& m, std::size_t print_width) {
  const sip2::CommandSpec* spec = m.spec();
  const std::string_view code = m.command;
  for (const auto& r : rules.rewrite) {
    if (r.message != "*" && r.message != code) continue;
    for (auto& f : m.fields)
      if (f.code == r.field) f.value = std::regex_replace(f.value, *r.re, r.replace);
  }

  const auto* hide_all = for_message(rules.hide, "*");
  const auto* hide_this = for_message(rules.hide, code);
  const auto* allow_all = for_message(rules.allow_only, "*");
  const auto* allow_this = for_message(rules.allow_only, code);
  const bool filtered = allow_all != nullptr || allow_this != nullptr;
  auto dropped = [&](FieldCode c) {
    if (required_in(spec, c)) return false;
    if (listed(hide_all, c) || listed(hide_this, c)) return true;
    return filtered && !listed(allow_all, c) && !listed(allow_this, c);
  };
  std::erase_if(m.fields, [&](const sip2::Field& f) { return dropped(f.code); });

  // The response's own values first, then the ones for every response.
  for (const auto* extra :
       {for_message(rules.always_send, code), for_message(rules.always_send, "*")}) {
    if (extra == nullptr) continue;
    for (const auto& f : *extra) {
      const bool present = std::any_of(m.fields.begin(), m.fields.end(),
                                       [&f](const sip2::Field& g) { return g.code == f.code; });
      if (!present && !dropped(f.code)) m.fields.push_back(f);
    }
  }

  if (rules.screen_max > 0) {
    limit(m.fields, sip2::field::screen_message, rules.screen_max, rules.split_screen);
    limit(m.fields, sip2::field::print_line, rules.screen_max, rules.split_screen);
  }
  if (rules.print_width_from_99 && print_width > 0)
    limit(m.fields, sip2::field::print_line, print_width, true);

  if (!rules.language_default.empty() && spec != nullptr) {
    for (std::size_t i = 0; i < spec->fixed.size() && i < m.fixed.size(); ++i)
      if (spec->fixed[i].name == "language" && m.fixed[i] == "000")
        m.fixed[i] = rules.language_default;
  }

  const auto* lead = for_message(rules.first, code);
  if (lead == nullptr) lead = for_message(rules.first, "*");
  if (lead == nullptr && !rules.spec_order) return;
  const std::size_t tags = spec != nullptr ? spec->tags.size() : 0;
  auto rank = [&](FieldCode c) -> std::size_t {
    if (lead != nullptr) {
      const auto it = std::find(lead->begin(), lead->end(), c);
      if (it != lead->end()) return static_cast<std::size_t>(it - lead->begin());
    }
    const std::size_t base = lead != nullptr ? lead->size() : 0;
    if (!rules.spec_order) return base;
    for (std::size_t i = 0; i < tags; ++i)
      if (spec->tags[i].code == c) return base + (spec->tags[i].required ? i : tags + i);
    return base + 2 * tags;
  };
  // Each field's rank once, then a stable sort by it.
  std::vector<std::pair<std::size_t, sip2::Field>> ranked;
  ranked.reserve(m.fields.size());
  for (auto& f : m.fields)
    ranked.emplace_back(rank(f.code), std::move(f));
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 0; i < ranked.size(); ++i)
    m.fields[i] = std::move(ranked[i].second);
}

}  // namespace profiles
