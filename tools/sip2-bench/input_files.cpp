// Reading the password, PIN, patron and item files named on the command line.
#include <fstream>
#include <sstream>

#include "bench_options.hpp"

namespace bench {

namespace {

tl::expected<std::vector<std::string>, std::string> data_lines(const std::string& path) {
  std::ifstream in(path);
  if (!in) return tl::unexpected("cannot read " + path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.pop_back();
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    out.push_back(line.substr(first));
  }
  return out;
}

}  // namespace

tl::expected<std::string, std::string> read_secret_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return tl::unexpected("cannot read " + path);
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
    line.pop_back();
  return line;
}

tl::expected<std::vector<Patron>, std::string> read_patrons_file(const std::string& path) {
  auto lines = data_lines(path);
  if (!lines) return tl::unexpected(lines.error());
  std::vector<Patron> out;
  for (const auto& line : *lines) {
    std::istringstream words(line);
    Patron p;
    words >> p.barcode >> p.pin;
    out.push_back(std::move(p));
  }
  if (out.empty()) return tl::unexpected(path + " holds no patrons");
  return out;
}

tl::expected<std::vector<std::string>, std::string> read_items_file(const std::string& path) {
  auto lines = data_lines(path);
  if (!lines) return tl::unexpected(lines.error());
  std::vector<std::string> out;
  for (const auto& line : *lines)
    out.push_back(line.substr(0, line.find_first_of(" \t")));
  if (out.empty()) return tl::unexpected(path + " holds no items");
  return out;
}

}  // namespace bench
