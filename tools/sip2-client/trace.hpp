// Session traces: what `--record` writes and `replay` reads (JSON lines, secrets as placeholders).
#pragma once

#include <chrono>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <tl/expected.hpp>

#include "exchanger.hpp"
#include "sip2/dialect.hpp"

namespace sip2_client {

/// The wire conventions a trace was recorded with (its first line).
struct TraceHeader {
  sip2::Charset charset = sip2::Charset::cp850;
  std::string terminator = "\r";
  bool error_detection = false;
  sip2::ChecksumBasis checksum_basis = sip2::ChecksumBasis::bytes;
  std::string server;  ///< "TCP 127.0.0.1:6001", for the reader
};

/// One recorded request and what came back.
struct TraceEntry {
  std::string line;                     ///< the command typed, secrets as placeholders
  std::string request;                  ///< body (UTF-8, no AY/AZ), {password} {pin} for secrets
  std::optional<std::string> response;  ///< the frame (UTF-8), or none when none came
  double rtt_ms = 0;
};

/// Appends entries to a trace file as they happen, so a crash keeps what came before.
class TraceWriter {
 public:
  /// Creates (truncates) the file, mode 0600, and writes the header line.
  [[nodiscard]] static tl::expected<TraceWriter, std::string> create(const std::string& path,
                                                                     const TraceHeader& header);
  /// Records one exchange; `line` is the command as typed. PINs and passwords are replaced by
  /// their placeholders in both the line and the request.
  void record(std::string_view line, std::string_view body, const Exchange& exchange,
              sip2::Charset charset);

 private:
  explicit TraceWriter(std::ofstream out) : out_(std::move(out)) {}
  std::ofstream out_;
};

struct Trace {
  TraceHeader header;
  std::vector<TraceEntry> entries;
};

/// Reads a trace; an error names the line at fault ("trace.jsonl:3: no \"request\"").
[[nodiscard]] tl::expected<Trace, std::string> read_trace(const std::string& path);

}  // namespace sip2_client
