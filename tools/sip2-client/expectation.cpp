// `expect` conditions on the last response: parsing them and checking them.
#include "expectation.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <vector>

#include "secret_mask.hpp"
#include "value_names.hpp"

namespace sip2_client {
namespace {

using Op = Expectation::Op;

constexpr std::pair<std::string_view, Op> kOperators[] = {
    {"!=", Op::not_equals},    {"!~", Op::not_contains}, {"<=", Op::less_equal},
    {">=", Op::greater_equal}, {"=", Op::equals},        {"~", Op::contains},
    {"<", Op::less},           {">", Op::greater}};

bool is_field_code(std::string_view s) {
  return s.size() == 2 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
         });
}

bool valid_subject(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<double> number(std::string_view s) {
  while (!s.empty() && s.front() == ' ')
    s.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return v;
}

/// Y and 1 read alike, as do N and 0: the spec mixes both for yes/no fields.
std::string_view as_flag(std::string_view v) {
  if (v == "1") return "Y";
  if (v == "0") return "N";
  return v;
}

/// The spelled-out names of a coded fixed value, for `~`.
std::string spelled_out(std::string_view name, std::string_view value) {
  const auto join = [](const std::vector<std::string_view>& names) {
    std::string out;
    for (const auto n : names)
      out += (out.empty() ? "" : ", ") + std::string(n);
    return out;
  };
  if (name == "patron_status") return join(patron_status_names(value));
  if (name == "summary") return join(summary_names(value));
  if (name == "circulation_status") return std::string(circulation_status_name(value));
  if (name == "security_marker") return std::string(security_marker_name(value));
  if (name == "fee_type") return std::string(fee_type_name(value));
  if (name == "status_code") return std::string(status_code_name(value));
  return {};
}

/// The values a subject has in the response (several for a repeated field), plus the texts
/// `~` also looks at, and whether they are secret.
struct Found {
  std::vector<std::string> values;
  std::vector<std::string> searchable;
  bool secret = false;
};

Found lookup(const Expectation& e, const sip2::Message& m, std::chrono::nanoseconds rtt) {
  Found f;
  if (e.subject == "command") {
    f.values.push_back(m.command);
  } else if (e.subject == "rtt_ms") {
    f.values.push_back(std::to_string(static_cast<double>(rtt.count()) / 1e6));
  } else if (is_field_code(e.subject)) {
    const sip2::FieldCode code(e.subject);
    for (const auto v : m.find_all(code))
      f.values.emplace_back(v);
    f.secret = is_secret(code);
  } else if (const auto* v = m.fixed_value(e.subject)) {
    f.values.push_back(*v);
    if (auto names = spelled_out(e.subject, *v); !names.empty()) f.searchable.push_back(names);
  }
  f.searchable.insert(f.searchable.end(), f.values.begin(), f.values.end());
  return f;
}

bool compare(Op op, std::string_view actual, std::string_view wanted) {
  switch (op) {
    case Op::equals:
      return as_flag(actual) == as_flag(wanted);
    case Op::not_equals:
      return as_flag(actual) != as_flag(wanted);
    default:
      break;
  }
  const auto a = number(actual);
  const auto w = number(wanted);
  if (!a || !w) return false;
  switch (op) {
    case Op::less:
      return *a < *w;
    case Op::less_equal:
      return *a <= *w;
    case Op::greater:
      return *a > *w;
    default:
      return *a >= *w;
  }
}

std::string describe(const Expectation& e, const Found& f) {
  if (f.values.empty()) return "no " + e.subject;
  std::string out;
  for (const auto& v : f.values) {
    out += out.empty() ? e.subject + " is " : ", ";
    out += "\"" + (f.secret ? std::string(kMask) : v) + "\"";
  }
  if (f.searchable.size() > f.values.size() && !f.secret) out += " (" + f.searchable.front() + ")";
  return out;
}

bool holds(const Expectation& e, const Found& f) {
  switch (e.op) {
    case Op::present:
      return !f.values.empty();
    case Op::absent:
      return f.values.empty();
    case Op::contains:
    case Op::not_contains: {
      const auto wanted = lower(e.value);
      const bool any = std::any_of(f.searchable.begin(), f.searchable.end(), [&](const auto& v) {
        return lower(v).find(wanted) != std::string::npos;
      });
      return e.op == Op::contains ? any : !any;
    }
    case Op::not_equals:
      return std::none_of(f.values.begin(), f.values.end(),
                          [&](const auto& v) { return compare(Op::equals, v, e.value); });
    default:
      return std::any_of(f.values.begin(), f.values.end(),
                         [&](const auto& v) { return compare(e.op, v, e.value); });
  }
}

}  // namespace

tl::expected<Expectation, std::string> parse_expectation(std::string_view word) {
  Expectation e;
  e.text = std::string(word);
  if (word.size() == 2 && is_field_code(word) && number(word)) {
    e.subject = "command";
    e.value = std::string(word);
    return e;
  }
  if (word.starts_with("!") && valid_subject(word.substr(1))) {
    e.subject = std::string(word.substr(1));
    e.op = Op::absent;
    return e;
  }
  if (word.ends_with("?") && valid_subject(word.substr(0, word.size() - 1))) {
    e.subject = std::string(word.substr(0, word.size() - 1));
    e.op = Op::present;
    return e;
  }
  const auto at = word.find_first_of("!=~<>");
  if (at == std::string_view::npos || at == 0)
    return tl::unexpected("expect: '" + std::string(word) +
                          "' is not a condition (e.g. ok=Y, AF~blocked; see help expect)");
  e.subject = std::string(word.substr(0, at));
  if (!valid_subject(e.subject))
    return tl::unexpected("expect: '" + e.subject + "' is not a field code or name");
  for (const auto& [text, op] : kOperators) {
    if (word.substr(at).starts_with(text)) {
      e.op = op;
      e.value = std::string(word.substr(at + text.size()));
      break;
    }
  }
  if (e.value.empty() && e.op != Op::equals && e.op != Op::not_equals)
    return tl::unexpected("expect: '" + std::string(word) + "' has no value to compare with");
  if ((e.op == Op::less || e.op == Op::less_equal || e.op == Op::greater ||
       e.op == Op::greater_equal) &&
      !number(e.value))
    return tl::unexpected("expect: '" + std::string(word) + "' compares with a non-number");
  return e;
}

Verdict check(const Expectation& e, const Exchange& x) {
  if (!x.response) return {false, "no response"};
  if (!*x.response) return {false, "the response did not decode"};
  const Found f = lookup(e, **x.response, x.rtt);
  const bool held = holds(e, f);
  return {held, held ? std::string() : describe(e, f)};
}

}  // namespace sip2_client
