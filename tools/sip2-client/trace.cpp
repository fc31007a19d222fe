// Session traces: what `--record` writes and `replay` reads (JSON lines, secrets as placeholders).
#include "trace.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include "secret_mask.hpp"
#include "sip2/charset.hpp"

namespace sip2_client {
namespace {

using Json = nlohmann::ordered_json;
constexpr auto kReplace = Json::error_handler_t::replace;
constexpr int kTraceVersion = 1;

std::string terminator_name(std::string_view t) {
  return t == "\r\n" ? "crlf" : t == "\n" ? "lf" : "cr";
}

std::string terminator_of(std::string_view name) {
  return name == "crlf" ? "\r\n" : name == "lf" ? "\n" : "\r";
}

tl::expected<TraceHeader, std::string> read_header(const Json& j) {
  if (!j.is_object() || j.value("sip2_trace", 0) != kTraceVersion)
    return tl::unexpected(std::string("not a sip2-client trace (version 1)"));
  TraceHeader h;
  const auto charset = sip2::parse_charset(j.value("charset", "ibm850"));
  if (!charset) return tl::unexpected(std::string("charset: unknown"));
  h.charset = *charset;
  h.terminator = terminator_of(j.value("terminator", "cr"));
  h.error_detection = j.value("error_detection", false);
  h.checksum_basis = j.value("checksum_basis", "bytes") == "code-points"
                         ? sip2::ChecksumBasis::code_points
                         : sip2::ChecksumBasis::bytes;
  h.server = j.value("server", "");
  return h;
}

}  // namespace

tl::expected<TraceWriter, std::string> TraceWriter::create(const std::string& path,
                                                           const TraceHeader& header) {
  // Created 0600: a trace holds patron barcodes (never PINs or passwords).
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return tl::unexpected("--record: cannot create '" + path + "'");
  ::close(fd);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return tl::unexpected("--record: cannot write '" + path + "'");
  Json h;
  h["sip2_trace"] = kTraceVersion;
  h["client"] = "sip2-client " SIP2GW_VERSION;
  h["server"] = header.server;
  h["charset"] = std::string(sip2::to_string(header.charset));
  h["terminator"] = terminator_name(header.terminator);
  h["error_detection"] = header.error_detection;
  h["checksum_basis"] =
      header.checksum_basis == sip2::ChecksumBasis::bytes ? "bytes" : "code-points";
  out << h.dump(-1, ' ', false, kReplace) << '\n' << std::flush;
  return TraceWriter(std::move(out));
}

void TraceWriter::record(std::string_view line, std::string_view body, const Exchange& x,
                         sip2::Charset charset) {
  Json j;
  j["line"] = line_without_secrets(line, SecretStyle::placeholder);
  j["request"] = secrets_to_placeholders(body);
  if (x.frame) {
    const auto text = sip2::to_utf8(*x.frame, charset, false);
    j["response"] = secrets_to_placeholders(text ? *text : *x.frame);
  } else {
    j["response"] = nullptr;
  }
  j["rtt_ms"] = std::round(static_cast<double>(x.rtt.count()) / 1e3) / 1e3;
  out_ << j.dump(-1, ' ', false, kReplace) << '\n' << std::flush;
}

tl::expected<Trace, std::string> read_trace(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return tl::unexpected("cannot read '" + path + "'");
  Trace trace;
  std::string text;
  bool seen_header = false;
  for (int number = 1; std::getline(in, text); ++number) {
    const auto where = path + ":" + std::to_string(number) + ": ";
    if (text.empty()) continue;
    const auto j = Json::parse(text, nullptr, false);
    if (j.is_discarded()) return tl::unexpected(where + "not JSON");
    if (!seen_header) {
      seen_header = true;
      auto header = read_header(j);
      if (!header) return tl::unexpected(where + header.error());
      trace.header = std::move(*header);
      continue;
    }
    if (!j.is_object() || !j.contains("request") || !j["request"].is_string())
      return tl::unexpected(where + "no \"request\"");
    TraceEntry e;
    e.line = j.value("line", "");
    e.request = j["request"].get<std::string>();
    if (j.contains("response") && j["response"].is_string())
      e.response = j["response"].get<std::string>();
    e.rtt_ms = j.value("rtt_ms", 0.0);
    trace.entries.push_back(std::move(e));
  }
  if (!seen_header) return tl::unexpected(path + ": empty, not a sip2-client trace");
  return trace;
}

}  // namespace sip2_client
