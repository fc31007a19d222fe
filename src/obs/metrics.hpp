// The process's Prometheus metrics: SIP2 traffic, sessions, logins and library-system calls.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace obs {

/// One instance per process, shared by all threads. Label values are clamped to printable ASCII
/// (64 chars) and each family holds at most 1000 label sets; further ones count as "other".
class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  /// sip2_messages_total{command,outcome}; outcome: ok, refused, error, replayed, bad_checksum...
  void message(std::string_view command_code, std::string_view outcome);
  /// sip2_request_duration_seconds{command}, buckets 0.5 ms .. 10 s.
  void latency(std::string_view command_code, double seconds);
  /// sip2_sessions{listener} goes up.
  void session_opened(std::string_view listener);
  /// sip2_sessions{listener} goes down; sip2_sessions_closed_total{listener,reason} counts it.
  void session_closed(std::string_view listener, std::string_view reason);
  /// sip2_connections_refused_total{listener,reason}.
  void connection_refused(std::string_view listener, std::string_view reason);
  /// sip2_frame_errors_total{kind}.
  void frame_error(std::string_view kind);
  /// sip2_logins_total{outcome}.
  void login(std::string_view outcome);
  /// sip2_requests_paced_total{profile}: a request waited for its turn under the profile's
  /// limits.max_requests_per_second.
  void request_paced(std::string_view profile);
  /// sip2gw_backend_calls_total{operation,outcome} and sip2gw_backend_call_duration_seconds.
  void backend_call(std::string_view operation, std::string_view outcome, double seconds);
  /// sip2gw_insecure_setting{setting} = 1: a setting that weakens security is in force.
  void insecure_setting(std::string_view setting);
  /// sip2gw_identity_events_total{event}: hit, miss, stale, verify_through, unavailable,
  /// pin_memo, pin_verifier, pin_verify_through, pin_wrong, locked, argon2, offline, ...
  void identity(std::string_view event);
  /// sip2gw_identity_argon2_seconds: one Argon2id run for a patron PIN (verify or hash).
  void identity_argon2(double seconds);
  /// sip2gw_identity_record_age_seconds: the age of each record served from the cache.
  void identity_record_age(double seconds);
  /// sip2gw_outbox_events_total{event}: raised to `total`, a count the outbox keeps itself
  /// (never lowered; a first call shows the event at its total).
  void outbox_event_total(std::string_view event, double total);
  /// sip2gw_outbox_jobs{state}: jobs in the journal in that state.
  void outbox_jobs(std::string_view state, double count);
  /// A label-less gauge created on first use; an invalid or clashing name is logged and dropped.
  void set_gauge(std::string_view name, std::string_view help, double value);

  /// Everything in the Prometheus text exposition format 0.0.4.
  [[nodiscard]] std::string serialize() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace obs
