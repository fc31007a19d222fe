// Printing a run: a human table, or one JSON object for scripts.
#include "report.hpp"

#include <iomanip>
#include <sstream>

#include <nlohmann/json.hpp>

namespace bench {

namespace {

using Json = nlohmann::ordered_json;

double per_second(std::uint64_t n, double seconds) {
  return seconds > 0 ? static_cast<double>(n) / seconds : 0.0;
}

double micros(std::uint64_t ns) {
  return static_cast<double>(ns) / 1000.0;
}

std::string mode_of(const BenchOptions& o) {
  if (o.idle) return "idle";
  return o.rate > 0 ? "open" : "closed";
}

/// Bytes of server memory per session that came up during the ramp.
std::optional<double> bytes_per_session(const RunResult& r) {
  if (!r.rss_start_kib || !r.rss_ramped_kib || r.established == 0) return std::nullopt;
  const double grown =
      static_cast<double>(*r.rss_ramped_kib) - static_cast<double>(*r.rss_start_kib);
  return grown * 1024.0 / static_cast<double>(r.established);
}

Json latency_json(const LatencyHistogram& h) {
  return Json{{"p50", micros(h.percentile(50))}, {"p90", micros(h.percentile(90))},
              {"p99", micros(h.percentile(99))}, {"p99_9", micros(h.percentile(99.9))},
              {"max", micros(h.max())},          {"mean", h.mean() / 1000.0}};
}

Json optional_number(const std::optional<std::uint64_t>& v) {
  return v ? Json(*v) : Json(nullptr);
}

void table_row(std::ostream& out, std::string_view name, const LatencyHistogram& h, double window_s,
               std::uint64_t refusals) {
  out << std::left << std::setw(12) << name << std::right << std::setw(10) << h.count()
      << std::setw(11) << std::fixed << std::setprecision(1) << per_second(h.count(), window_s);
  for (double p : {50.0, 90.0, 99.0, 99.9})
    out << std::setw(10) << std::setprecision(1) << micros(h.percentile(p));
  out << std::setw(11) << micros(h.max()) << std::setw(10) << h.mean() / 1000.0 << std::setw(10)
      << refusals << '\n';
}

}  // namespace

std::string format_json(const BenchOptions& o, const RunResult& r) {
  const auto& s = r.stats;
  Json j;
  j["target"] = o.host + ":" + std::to_string(o.port);
  j["mode"] = mode_of(o);
  j["mix"] = o.mix_text;
  j["error_detection"] = o.error_detection;
  j["patrons"] = o.patrons.size();
  j["patron_choice"] = patron_choice_name(o.patron_choice);
  j["threads"] = o.threads;
  j["connections_requested"] = r.requested;
  j["connections_established"] = r.established;
  j["connections_gave_up"] = s.gave_up;
  j["reconnects"] = s.reconnects;
  j["ramp_seconds"] = r.ramp_s;
  j["warmup_seconds"] = r.warmup_s;
  j["window_seconds"] = r.window_s;
  j["ended_by_max_messages"] = r.ended_by_max_messages;
  j["messages"] = s.overall.count();
  j["msgs_per_s"] = per_second(s.overall.count(), r.window_s);
  j["p50_us"] = micros(s.overall.percentile(50));
  j["p90_us"] = micros(s.overall.percentile(90));
  j["p99_us"] = micros(s.overall.percentile(99));
  j["p999_us"] = micros(s.overall.percentile(99.9));
  j["max_us"] = micros(s.overall.max());
  j["mean_us"] = s.overall.mean() / 1000.0;
  j["errors_total"] = s.error_total();
  j["refusals_total"] = s.refusal_total();
  Json errors = Json::object();
  for (std::size_t e = 0; e < kErrorKindCount; ++e)
    errors[std::string(error_name(static_cast<ErrorKind>(e)))] = s.errors[e];
  j["errors"] = errors;
  Json kinds = Json::object();
  for (std::size_t k = 0; k < kKindCount; ++k) {
    const auto& ks = s.kinds[k];
    if (ks.latency.count() == 0) continue;
    Json refusals = Json::object();
    for (std::size_t f = 1; f < kRefusalCount; ++f)
      if (ks.refusals[f] != 0)
        refusals[std::string(refusal_name(static_cast<Refusal>(f)))] = ks.refusals[f];
    kinds[std::string(kind_name(static_cast<MessageKind>(k)))] =
        Json{{"count", ks.latency.count()},
             {"per_s", per_second(ks.latency.count(), r.window_s)},
             {"latency_us", latency_json(ks.latency)},
             {"refusals", refusals}};
  }
  j["kinds"] = kinds;
  if (o.rate > 0)
    j["open_loop"] = Json{{"target_rate", o.rate}, {"late", s.late}, {"skipped", s.skipped}};
  if (o.patron_choice == PatronChoice::once)
    j["patron_pass"] = Json{{"patrons", o.patrons.size()},
                            {"answered", r.pass_answered},
                            {"complete", r.ended_by_pass}};
  j["rss_start_kib"] = optional_number(r.rss_start_kib);
  j["rss_ramped_kib"] = optional_number(r.rss_ramped_kib);
  j["rss_end_kib"] = optional_number(r.rss_end_kib);
  const auto per_session = bytes_per_session(r);
  j["rss_per_session_bytes"] = per_session ? Json(*per_session) : Json(nullptr);
  return j.dump();
}

std::string format_table(const BenchOptions& o, const RunResult& r) {
  const auto& s = r.stats;
  std::ostringstream out;
  out << std::fixed << std::setprecision(2);
  out << "sip2-bench " << o.host << ':' << o.port << ": " << mode_of(o) << " loop"
      << (o.rate > 0 ? " at " + std::to_string(static_cast<long>(o.rate)) + " req/s" : "")
      << ", mix '" << o.mix_text << "', error detection " << (o.error_detection ? "on" : "off")
      << ", " << o.threads << " io thread(s)\n";
  out << "connections: " << r.requested << " requested, " << r.established << " up after ramp-up, "
      << s.gave_up << " gave up, " << s.reconnects << " reconnects\n";
  if (!o.patrons.empty())
    out << "patrons: " << o.patrons.size() << ", chosen " << patron_choice_name(o.patron_choice)
        << (o.patron_choice == PatronChoice::once
                ? ", " + std::to_string(r.pass_answered) + " answered" +
                      (r.ended_by_pass ? " (pass complete)" : " (pass incomplete)")
                : std::string())
        << '\n';
  out << "ramp-up " << r.ramp_s << " s, warm-up " << r.warmup_s << " s, window " << r.window_s
      << " s" << (r.ended_by_max_messages ? " (ended by --max-messages)" : "") << '\n';
  out << "messages in window: " << s.overall.count() << ", " << std::setprecision(1)
      << per_second(s.overall.count(), r.window_s) << " msg/s\n\n";
  out << std::left << std::setw(12) << "kind" << std::right << std::setw(10) << "messages"
      << std::setw(11) << "msg/s" << std::setw(10) << "p50 us" << std::setw(10) << "p90 us"
      << std::setw(10) << "p99 us" << std::setw(10) << "p99.9 us" << std::setw(11) << "max us"
      << std::setw(10) << "mean us" << std::setw(10) << "refusals" << '\n';
  for (std::size_t k = 0; k < kKindCount; ++k) {
    const auto& ks = s.kinds[k];
    if (ks.latency.count() == 0) continue;
    std::uint64_t refused = 0;
    for (std::size_t f = 1; f < kRefusalCount; ++f)
      refused += ks.refusals[f];
    table_row(out, kind_name(static_cast<MessageKind>(k)), ks.latency, r.window_s, refused);
  }
  table_row(out, "all", s.overall, r.window_s, s.refusal_total());
  out << "\nerrors:";
  if (s.error_total() == 0) out << " none";
  for (std::size_t e = 0; e < kErrorKindCount; ++e)
    if (s.errors[e] != 0) out << ' ' << error_name(static_cast<ErrorKind>(e)) << '=' << s.errors[e];
  out << "\nrefusals:";
  if (s.refusal_total() == 0) out << " none";
  for (std::size_t k = 0; k < kKindCount; ++k)
    for (std::size_t f = 1; f < kRefusalCount; ++f)
      if (s.kinds[k].refusals[f] != 0)
        out << ' ' << kind_name(static_cast<MessageKind>(k)) << ':'
            << refusal_name(static_cast<Refusal>(f)) << '=' << s.kinds[k].refusals[f];
  out << '\n';
  if (o.rate > 0)
    out << "open loop: late sends " << s.late << ", skipped slots " << s.skipped << '\n';
  if (r.rss_start_kib) {
    out << "server RSS: start " << *r.rss_start_kib << " KiB, after ramp-up "
        << r.rss_ramped_kib.value_or(0) << " KiB, end " << r.rss_end_kib.value_or(0) << " KiB";
    if (const auto b = bytes_per_session(r))
      out << ", " << std::setprecision(0) << *b << " B/session";
    out << '\n';
  }
  return out.str();
}

}  // namespace bench
