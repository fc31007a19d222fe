// Splitting a command line into words, the way a shell does with quotes and backslashes.
#include "words.hpp"

namespace sip2_client {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

tl::expected<std::vector<std::string>, std::string> split_words(std::string_view line) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < line.size() && is_blank(line[i]))
    ++i;
  if (i < line.size() && line[i] == '#') return words;
  std::string word;
  bool in_word = false;
  for (; i < line.size(); ++i) {
    const char c = line[i];
    if (is_blank(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\') {
      if (++i == line.size())
        return tl::unexpected(std::string("backslash at the end of the line"));
      word += line[i];
    } else if (c == '\'') {
      const auto end = line.find('\'', i + 1);
      if (end == std::string_view::npos) return tl::unexpected(std::string("unterminated quote"));
      word.append(line.substr(i + 1, end - i - 1));
      i = end;
    } else if (c == '"') {
      for (++i;; ++i) {
        if (i >= line.size()) return tl::unexpected(std::string("unterminated quote"));
        if (line[i] == '"') break;
        if (line[i] == '\\' && i + 1 < line.size() && (line[i + 1] == '"' || line[i + 1] == '\\'))
          ++i;
        word += line[i];
      }
    } else {
      word += c;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

bool is_raw_message(std::string_view line) {
  while (!line.empty() && is_blank(line.front()))
    line.remove_prefix(1);
  return line.size() >= 2 && line[0] >= '0' && line[0] <= '9' && line[1] >= '0' && line[1] <= '9';
}

std::string quote_word(std::string_view word) {
  const bool plain = !word.empty() && word.find_first_of(" \t'\"\\#|") == std::string_view::npos;
  if (plain) return std::string(word);
  if (word.find('\'') == std::string_view::npos) return "'" + std::string(word) + "'";
  std::string out = "\"";
  for (const char c : word) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

}  // namespace sip2_client
