// Reading and writing typed members as fixed values and variable fields.
#include "sip2/typed_binder.hpp"

#include <algorithm>
#include <charconv>

namespace sip2::detail {

namespace {

std::optional<unsigned> parse_digits(std::string_view raw) {
  if (raw.empty() ||
      !std::all_of(raw.begin(), raw.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  unsigned v = 0;
  auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), v);
  if (ec != std::errc{} || p != raw.data() + raw.size()) return std::nullopt;
  return v;
}

}  // namespace

FromMessage::FromMessage(const Message& message, const CommandSpec& spec)
    : message_(message), spec_(spec), taken_(message.fields.size(), false) {}

std::vector<Field> FromMessage::leftovers() const {
  std::vector<Field> out;
  for (std::size_t i = 0; i < message_.fields.size(); ++i)
    if (!taken_[i]) out.push_back(message_.fields[i]);
  return out;
}

void FromMessage::read_fixed(std::string_view raw, FixedKind kind, bool& v) {
  if (kind == FixedKind::one_zero)
    v = raw == "1";
  else if (kind == FixedKind::yes_no)
    v = raw == "Y";
  else
    v = raw == "Y" || raw == "1";
}

void FromMessage::read_fixed(std::string_view raw, FixedKind, Tristate& v) {
  if (raw == "Y" || raw == "N" || raw == "U") v = static_cast<Tristate>(raw[0]);
}

void FromMessage::read_fixed(std::string_view raw, FixedKind, Timestamp& v) {
  if (auto t = parse_timestamp(raw)) v = *t;
}

void FromMessage::read_fixed(std::string_view raw, FixedKind, std::optional<Timestamp>& v) {
  if (auto t = parse_optional_timestamp(raw)) v = *t;
}

void FromMessage::read_fixed(std::string_view raw, FixedKind, std::string& v) {
  v = raw;
}

void FromMessage::read_fixed(std::string_view raw, FixedKind, char& v) {
  if (!raw.empty()) v = raw[0];
}

void FromMessage::read_fixed(std::string_view raw, FixedKind, std::uint16_t& v) {
  if (auto n = parse_digits(raw); n && *n <= 0xFFFF) v = static_cast<std::uint16_t>(*n);
}

void FromMessage::read_fixed(std::string_view raw, FixedKind, std::optional<std::uint16_t>& v) {
  if (auto n = parse_digits(raw); n && *n <= 0xFFFF)
    v = static_cast<std::uint16_t>(*n);
  else
    v.reset();
}

void FromMessage::read_fixed(std::string_view raw, FixedKind, HoldMode& v) {
  if (raw == "+" || raw == "-" || raw == "*") v = static_cast<HoldMode>(raw[0]);
}

void FromMessage::read_fixed(std::string_view raw, FixedKind, ScStatusCode& v) {
  if (raw == "0" || raw == "1" || raw == "2") v = static_cast<ScStatusCode>(raw[0]);
}

std::optional<int> FromMessage::two_digits(std::string_view raw) {
  if (auto n = parse_digits(raw); n && *n <= 99) return static_cast<int>(*n);
  return std::nullopt;
}

std::optional<std::size_t> FromMessage::next(FieldCode code) const {
  for (std::size_t i = 0; i < message_.fields.size(); ++i)
    if (!taken_[i] && message_.fields[i].code == code) return i;
  return std::nullopt;
}

void FromMessage::read_tag(FieldCode code, std::string& v) {
  std::optional<std::string> o;
  read_tag(code, o);
  v = o.value_or("");
}

void FromMessage::read_tag(FieldCode code, std::optional<std::string>& v) {
  if (auto i = next(code)) {
    taken_[*i] = true;
    v = message_.fields[*i].value;
  }
}

void FromMessage::read_tag(FieldCode code, std::vector<std::string>& v) {
  while (auto i = next(code)) {
    taken_[*i] = true;
    v.push_back(message_.fields[*i].value);
  }
}

void FromMessage::read_tag(FieldCode code, std::optional<bool>& v) {
  auto i = next(code);
  if (!i) return;
  const std::string& s = message_.fields[*i].value;
  if (s != "Y" && s != "N") return;
  taken_[*i] = true;
  v = s == "Y";
}

void FromMessage::read_tag(FieldCode code, std::optional<Timestamp>& v) {
  auto i = next(code);
  if (!i) return;
  if (auto t = parse_timestamp(message_.fields[*i].value)) {
    taken_[*i] = true;
    v = *t;
  }
}

void FromMessage::read_tag(FieldCode code, std::optional<FeeType>& v) {
  auto i = next(code);
  if (!i) return;
  if (auto n = two_digits(message_.fields[*i].value); n && message_.fields[*i].value.size() == 2) {
    taken_[*i] = true;
    v = static_cast<FeeType>(*n);
  }
}

void FromMessage::read_tag(FieldCode code, std::optional<AlertType>& v) {
  auto i = next(code);
  if (!i) return;
  if (auto n = two_digits(message_.fields[*i].value); n && message_.fields[*i].value.size() == 2) {
    taken_[*i] = true;
    v = static_cast<AlertType>(*n);
  }
}

void FromMessage::read_tag(FieldCode code, SupportedMessages& v) {
  auto i = next(code);
  if (!i) return;
  const std::string& s = message_.fields[*i].value;
  if (s.size() != v.size() ||
      !std::all_of(s.begin(), s.end(), [](char c) { return c == 'Y' || c == 'N'; }))
    return;
  taken_[*i] = true;
  for (std::size_t k = 0; k < v.size(); ++k)
    v.set(k, s[k] == 'Y');
}

ToMessage::ToMessage(const CommandSpec& spec) : spec_(spec) {
  message_.command = spec.code;
}

Message ToMessage::take(const std::vector<Field>& extra) && {
  message_.fields.insert(message_.fields.end(), extra.begin(), extra.end());
  return std::move(message_);
}

std::string ToMessage::digits(unsigned value, std::size_t width) {
  std::string s = std::to_string(value);
  if (width == 0) return s;
  if (s.size() > width) return std::string(width, '9');
  return std::string(width - s.size(), '0') + s;
}

std::string ToMessage::write_fixed(std::size_t, FixedKind kind, bool v) {
  if (kind == FixedKind::one_zero) return v ? "1" : "0";
  return v ? "Y" : "N";
}

std::string ToMessage::write_fixed(std::size_t, FixedKind, Tristate v) {
  return std::string(1, static_cast<char>(v));
}

std::string ToMessage::write_fixed(std::size_t, FixedKind, const Timestamp& v) {
  return format_timestamp(v);
}

std::string ToMessage::write_fixed(std::size_t, FixedKind, const std::optional<Timestamp>& v) {
  return format_optional_timestamp(v);
}

std::string ToMessage::write_fixed(std::size_t width, FixedKind, const std::string& v) {
  if (v.size() >= width) return v;
  return v + std::string(width - v.size(), ' ');
}

std::string ToMessage::write_fixed(std::size_t, FixedKind, char v) {
  return std::string(1, v);
}

std::string ToMessage::write_fixed(std::size_t width, FixedKind, std::uint16_t v) {
  return digits(v, width);
}

std::string ToMessage::write_fixed(std::size_t width, FixedKind,
                                   const std::optional<std::uint16_t>& v) {
  return v ? digits(*v, width) : std::string(width, ' ');
}

std::string ToMessage::write_fixed(std::size_t, FixedKind, HoldMode v) {
  return std::string(1, static_cast<char>(v));
}

std::string ToMessage::write_fixed(std::size_t, FixedKind, ScStatusCode v) {
  return std::string(1, static_cast<char>(v));
}

void ToMessage::write_tag(FieldCode code, const std::string& v) {
  message_.fields.push_back({code, v});
}

void ToMessage::write_tag(FieldCode code, const std::optional<std::string>& v) {
  if (v) message_.fields.push_back({code, *v});
}

void ToMessage::write_tag(FieldCode code, const std::vector<std::string>& v) {
  for (const auto& s : v)
    message_.fields.push_back({code, s});
}

void ToMessage::write_tag(FieldCode code, const std::optional<bool>& v) {
  if (v) message_.fields.push_back({code, *v ? "Y" : "N"});
}

void ToMessage::write_tag(FieldCode code, const std::optional<Timestamp>& v) {
  if (v) message_.fields.push_back({code, format_timestamp(*v)});
}

void ToMessage::write_tag(FieldCode code, const std::optional<FeeType>& v) {
  if (v) message_.fields.push_back({code, digits(static_cast<unsigned>(*v), 2)});
}

void ToMessage::write_tag(FieldCode code, const std::optional<AlertType>& v) {
  if (v) message_.fields.push_back({code, digits(static_cast<unsigned>(*v), 2)});
}

void ToMessage::write_tag(FieldCode code, const SupportedMessages& v) {
  std::string s(v.size(), 'N');
  for (std::size_t k = 0; k < v.size(); ++k)
    if (v.test(k)) s[k] = 'Y';
  message_.fields.push_back({code, s});
}

}  // namespace sip2::detail
