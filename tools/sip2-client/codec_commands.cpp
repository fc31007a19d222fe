// decode: wire → JSON lines; encode: JSON lines → wire.
#include "codec_commands.hpp"

#include <charconv>
#include <iostream>
#include <optional>
#include <string>

#include "json_message.hpp"

namespace sip2_client {
namespace {

constexpr auto kJsonReplace = nlohmann::ordered_json::error_handler_t::replace;

struct CodecOptions {
  sip2::Dialect dialect;
  sip2::Mode mode = sip2::Mode::strict;
  std::optional<int> sequence;
  std::string terminator = "\r";
  std::vector<std::string_view> positional;
};

std::optional<CodecOptions> parse(std::span<const std::string_view> args) {
  CodecOptions o;
  o.dialect.charset = sip2::Charset::utf8;  // a command line and JSON are UTF-8
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto a = args[i];
    auto value = [&]() -> std::optional<std::string_view> {
      if (i + 1 >= args.size()) return std::nullopt;
      return args[++i];
    };
    if (a == "--lenient") {
      o.mode = sip2::Mode::lenient;
    } else if (a == "--charset") {
      const auto v = value();
      const auto cs = v ? sip2::parse_charset(*v) : std::nullopt;
      if (!cs)
        return std::cerr << "--charset: one of ascii, ibm850, iso-8859-1, utf-8\n", std::nullopt;
      o.dialect.charset = *cs;
    } else if (a == "--checksum-basis") {
      const auto v = value();
      if (!v || (*v != "bytes" && *v != "code-points"))
        return std::cerr << "--checksum-basis: bytes or code-points\n", std::nullopt;
      o.dialect.checksum_basis =
          *v == "bytes" ? sip2::ChecksumBasis::bytes : sip2::ChecksumBasis::code_points;
    } else if (a == "--seq") {
      const auto v = value();
      int n = -1;
      if (v) std::from_chars(v->data(), v->data() + v->size(), n);
      if (n < 0 || n > 9) return std::cerr << "--seq: a digit 0-9\n", std::nullopt;
      o.sequence = n;
    } else if (a == "--terminator") {
      const auto v = value();
      if (v == "cr")
        o.terminator = "\r";
      else if (v == "crlf")
        o.terminator = "\r\n";
      else if (v == "none")
        o.terminator.clear();
      else
        return std::cerr << "--terminator: cr, crlf or none\n", std::nullopt;
    } else if (a.size() > 1 && a[0] == '-' && a != "-") {
      return std::cerr << "unknown option " << a << "\n", std::nullopt;
    } else {
      o.positional.push_back(a);
    }
  }
  return o;
}

bool decode_one(std::string_view raw, const CodecOptions& o) {
  const auto m = sip2::decode(raw, o.dialect, o.mode);
  const auto j = m ? to_json(*m) : error_json(m.error());
  std::cout << j.dump(-1, ' ', false, kJsonReplace) << '\n';
  return m.has_value();
}

}  // namespace

int run_decode(std::span<const std::string_view> args) {
  const auto o = parse(args);
  if (!o || o->positional.size() != 1) {
    std::cerr << "usage: sip2-client decode [--lenient] [--charset NAME] [--checksum-basis "
                 "bytes|code-points] RAW|-\n";
    return 2;
  }
  if (o->positional[0] != "-") return decode_one(o->positional[0], *o) ? 0 : 1;
  bool all_ok = true;
  std::string line;
  while (std::getline(std::cin, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == '\n'))
      line.pop_back();
    all_ok = decode_one(line, *o) && all_ok;
  }
  return all_ok ? 0 : 1;
}

int run_encode(std::span<const std::string_view> args) {
  const auto o = parse(args);
  if (!o || !o->positional.empty()) {
    std::cerr << "usage: sip2-client encode [--seq N] [--charset NAME] [--terminator cr|crlf|none] "
                 "< JSON\n";
    return 2;
  }
  bool all_ok = true;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const auto j = nlohmann::ordered_json::parse(line, nullptr, false);
    if (j.is_discarded()) {
      std::cerr << "encode: not valid JSON: " << line.substr(0, 80) << "\n";
      all_ok = false;
      continue;
    }
    const auto m = from_json(j);
    if (!m) {
      std::cerr << "encode: " << m.error() << "\n";
      all_ok = false;
      continue;
    }
    const auto wire =
        sip2::encode(*m, o->dialect, {o->sequence.has_value(), o->sequence.value_or(0)});
    if (!wire) {
      std::cerr << "encode: " << wire.error().code.message() << " (fixed field "
                << wire.error().offset << ")\n";
      all_ok = false;
      continue;
    }
    std::cout << *wire << o->terminator << std::flush;
  }
  return all_ok ? 0 : 1;
}

}  // namespace sip2_client
