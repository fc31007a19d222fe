// CQL evaluation and sorting over nlohmann::json records.
#include "cql_match.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <string>

#include "iso_time.hpp"

namespace ils_emulator {
namespace {

using nlohmann::json;

char fold(char c) {
  return char(std::tolower(static_cast<unsigned char>(c)));
}

void collect(const json& node, std::string_view path, std::vector<std::string>& out) {
  if (node.is_array()) {
    for (const auto& element : node)
      collect(element, path, out);
    return;
  }
  if (path.empty()) {
    if (node.is_string())
      out.push_back(node.get<std::string>());
    else if (node.is_boolean())
      out.push_back(node.get<bool>() ? "true" : "false");
    else if (node.is_number_integer())
      out.push_back(std::to_string(node.get<long long>()));
    else if (node.is_number())
      out.push_back(node.dump());
    return;
  }
  if (!node.is_object()) return;
  const auto dot = path.find('.');
  const auto it = node.find(path.substr(0, dot));
  if (it == node.end()) return;
  collect(*it, dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1), out);
}

/// Case-insensitive wildcard match in O(pattern * text): on a mismatch, retry from the last
/// `*` one text byte further on.
bool glob(const CqlValue& pattern, std::string_view text) {
  std::size_t p = 0, t = 0, star = std::string::npos, resume = 0;
  const std::size_t n = pattern.text.size();
  while (t < text.size()) {
    if (p < n && pattern.chars[p] == CqlChar::any_run) {
      star = p++;
      resume = t;
    } else if (p < n &&
               (pattern.chars[p] == CqlChar::any_one || fold(pattern.text[p]) == fold(text[t]))) {
      ++p;
      ++t;
    } else if (star != std::string::npos) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < n && pattern.chars[p] == CqlChar::any_run)
    ++p;
  return p == n;
}

std::vector<CqlValue> words_of(const CqlValue& value) {
  std::vector<CqlValue> words(1);
  for (std::size_t i = 0; i < value.text.size(); ++i) {
    const char c = value.text[i];
    const bool word_byte = std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80) ||
                           value.chars[i] != CqlChar::literal;
    if (word_byte) {
      words.back().text.push_back(c);
      words.back().chars.push_back(value.chars[i]);
    } else if (!words.back().text.empty()) {
      words.emplace_back();
    }
  }
  if (words.back().text.empty()) words.pop_back();
  return words;
}

CqlValue literal(std::string_view s) {
  return CqlValue{std::string(s), std::vector<CqlChar>(s.size(), CqlChar::literal)};
}

/// CQL `=`: every word of the term occurs as a word of the field.
bool all_words(const CqlValue& value, std::string_view field) {
  const auto field_words = words_of(literal(field));
  for (const auto& word : words_of(value)) {
    const bool found = std::any_of(field_words.begin(), field_words.end(),
                                   [&](const CqlValue& f) { return glob(word, f.text); });
    if (!found) return false;
  }
  return true;
}

std::optional<double> as_number(std::string_view s) {
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

/// Three-way comparison: timestamps, then numbers, then folded text.
int compare(std::string_view a, std::string_view b) {
  if (const auto x = parse_iso_time(a), y = parse_iso_time(b); x && y) {
    return *x < *y ? -1 : (*x > *y ? 1 : 0);
  }
  if (const auto x = as_number(a), y = as_number(b); x && y) {
    return *x < *y ? -1 : (*x > *y ? 1 : 0);
  }
  std::string fa(a), fb(b);
  std::transform(fa.begin(), fa.end(), fa.begin(), fold);
  std::transform(fb.begin(), fb.end(), fb.begin(), fold);
  return fa < fb ? -1 : (fa == fb ? 0 : 1);
}

bool value_matches(CqlRelation relation, const CqlValue& value, std::string_view field) {
  switch (relation) {
    case CqlRelation::exact:
      return glob(value, field);
    case CqlRelation::words:
      return all_words(value, field);
    case CqlRelation::not_equal:
      return !glob(value, field);
    case CqlRelation::less:
      return compare(field, value.text) < 0;
    case CqlRelation::greater:
      return compare(field, value.text) > 0;
    case CqlRelation::less_equal:
      return compare(field, value.text) <= 0;
    case CqlRelation::greater_equal:
      return compare(field, value.text) >= 0;
  }
  return false;
}

bool term_matches(const CqlNode& term, const json& record) {
  if (term.index == "cql.allRecords") return true;
  std::vector<std::string> fields;
  collect(record, term.index, fields);
  return std::any_of(fields.begin(), fields.end(), [&](const std::string& field) {
    return std::any_of(term.values.begin(), term.values.end(),
                       [&](const CqlValue& v) { return value_matches(term.relation, v, field); });
  });
}

bool node_matches(const CqlQuery& q, std::size_t index, const json& record) {
  const CqlNode& node = q.nodes[index];
  if (node.is_term) return term_matches(node, record);
  const bool left = node_matches(q, node.left, record);
  switch (node.op) {
    case CqlBoolean::and_:
      return left && node_matches(q, node.right, record);
    case CqlBoolean::or_:
      return left || node_matches(q, node.right, record);
    case CqlBoolean::not_:
      return left && !node_matches(q, node.right, record);
  }
  return false;
}

std::optional<std::string> sort_value(const json& record, const std::string& index) {
  std::vector<std::string> fields;
  collect(record, index, fields);
  if (fields.empty()) return std::nullopt;
  return fields.front();
}

}  // namespace

bool cql_term_matches(const CqlNode& term, std::string_view field) {
  return std::any_of(term.values.begin(), term.values.end(),
                     [&](const CqlValue& v) { return value_matches(term.relation, v, field); });
}

int cql_compare(std::string_view a, std::string_view b) {
  return compare(a, b);
}

bool cql_matches(const CqlQuery& query, const nlohmann::json& record) {
  if (query.nodes.empty()) return true;
  return node_matches(query, query.root, record);
}

void cql_sort(const CqlQuery& query, std::vector<nlohmann::json>& records) {
  if (query.sort.empty()) return;
  std::stable_sort(records.begin(), records.end(), [&](const json& a, const json& b) {
    for (const auto& key : query.sort) {
      const auto x = sort_value(a, key.index), y = sort_value(b, key.index);
      if (!x || !y) {
        if (x.has_value() != y.has_value()) return x.has_value();
        continue;
      }
      const int order = compare(*x, *y);
      if (order != 0) return key.descending ? order > 0 : order < 0;
    }
    return false;
  });
}

}  // namespace ils_emulator
