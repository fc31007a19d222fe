// Prometheus families for the gateway, registered once; the hot path is a cached lookup.
#include "obs/metrics.hpp"

#include <prometheus/check_names.h>
#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <stdexcept>

#include "obs/labelled_family.hpp"
#include "obs/log.hpp"

namespace obs {
namespace {

using prometheus::Counter;
using prometheus::Gauge;
using prometheus::Histogram;
using prometheus::Labels;
using prometheus::Registry;

// 0.5 ms (a cached patron validation) up to 10 s (a library system at its timeout).
const Histogram::BucketBoundaries duration_buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                   0.1,    0.25,  0.5,    1.0,   2.5,  5.0,   10.0};

// A record's age: from a fresh sync (a minute) to a few days offline.
const Histogram::BucketBoundaries age_buckets{60,    300,    900,    3600,   4 * 3600,
                                              86400, 259200, 604800, 2592000};

template <std::size_t N>
LabelledFamily<Counter, N> counter(Registry& registry, const std::string& name,
                                   const std::string& help, std::array<std::string, N> labels) {
  auto& family = prometheus::BuildCounter().Name(name).Help(help).Register(registry);
  return {std::move(labels), [&family](const Labels& l) -> Counter& { return family.Add(l); }};
}

LabelledFamily<Gauge, 1> gauge(Registry& registry, const std::string& name, const std::string& help,
                               std::array<std::string, 1> labels) {
  auto& family = prometheus::BuildGauge().Name(name).Help(help).Register(registry);
  return {std::move(labels), [&family](const Labels& l) -> Gauge& { return family.Add(l); }};
}

LabelledFamily<Histogram, 1> histogram(
    Registry& registry, const std::string& name, const std::string& help,
    std::array<std::string, 1> labels,
    const Histogram::BucketBoundaries& buckets = duration_buckets) {
  auto& family = prometheus::BuildHistogram().Name(name).Help(help).Register(registry);
  return {std::move(labels),
          [&family, &buckets](const Labels& l) -> Histogram& { return family.Add(l, buckets); }};
}

}  // namespace

struct Metrics::Impl {
  Registry registry;
  LabelledFamily<Counter, 2> messages =
      counter<2>(registry, "sip2_messages_total", "SIP2 requests by command and outcome.",
                 {"command", "outcome"});
  LabelledFamily<Histogram, 1> latency =
      histogram(registry, "sip2_request_duration_seconds", "Time from request frame to response.",
                {"command"});
  LabelledFamily<Gauge, 1> sessions =
      gauge(registry, "sip2_sessions", "Open SIP2 sessions.", {"listener"});
  LabelledFamily<Counter, 2> sessions_closed =
      counter<2>(registry, "sip2_sessions_closed_total", "Closed SIP2 sessions by reason.",
                 {"listener", "reason"});
  LabelledFamily<Counter, 2> refused =
      counter<2>(registry, "sip2_connections_refused_total", "Connections refused at accept.",
                 {"listener", "reason"});
  LabelledFamily<Counter, 1> frame_errors =
      counter<1>(registry, "sip2_frame_errors_total", "Malformed SIP2 frames by kind.", {"kind"});
  LabelledFamily<Counter, 1> paced =
      counter<1>(registry, "sip2_requests_paced_total",
                 "Requests that waited for their turn under a profile's rate limit.", {"profile"});
  LabelledFamily<Counter, 1> logins =
      counter<1>(registry, "sip2_logins_total", "SIP2 logins (93) by outcome.", {"outcome"});
  LabelledFamily<Counter, 2> backend_calls =
      counter<2>(registry, "sip2gw_backend_calls_total",
                 "Library-system calls by operation and outcome.", {"operation", "outcome"});
  LabelledFamily<Gauge, 1> insecure =
      gauge(registry, "sip2gw_insecure_setting",
            "1 for each setting in force that weakens security.", {"setting"});
  LabelledFamily<Histogram, 1> backend_duration =
      histogram(registry, "sip2gw_backend_call_duration_seconds", "Library-system call duration.",
                {"operation"});

  LabelledFamily<Counter, 1> identity = counter<1>(
      registry, "sip2gw_identity_events_total",
      "Identity cache events: hits, misses, stale serves, verify-throughs, PIN checks.", {"event"});
  LabelledFamily<Histogram, 1> argon2 =
      histogram(registry, "sip2gw_identity_argon2_seconds",
                "Argon2id runs for patron PINs (verify or new verifier).", {"kind"});
  LabelledFamily<Histogram, 1> record_age =
      histogram(registry, "sip2gw_identity_record_age_seconds",
                "Age of identity cache records when served.", {"path"}, age_buckets);

  LabelledFamily<Counter, 1> outbox_events = counter<1>(
      registry, "sip2gw_outbox_events_total",
      "Outbox events: submitted, deduplicated, submit_failed, attempt, sent, delivered, refused, "
      "retry, exception, readback_applied, readback_not_applied, readback_unknown, stale_event, "
      "dropped, retried, breaker_opened, breaker_closed.",
      {"event"});
  LabelledFamily<Gauge, 1> outbox_jobs =
      gauge(registry, "sip2gw_outbox_jobs", "Outbox jobs in the journal by state.", {"state"});
  std::mutex mirrored_mutex;
  std::unordered_map<std::string, double, TransparentStringHash, std::equal_to<>> mirrored;

  std::mutex gauges_mutex;
  // nullptr marks a name that was refused, so it is reported once.
  std::unordered_map<std::string, Gauge*, TransparentStringHash, std::equal_to<>> gauges;

  Gauge* add_gauge(const std::string& name, std::string_view help);
};

Gauge* Metrics::Impl::add_gauge(const std::string& name, std::string_view help) {
  std::string reason = "invalid metric name";
  if (prometheus::CheckMetricName(name)) {
    try {
      auto& family = prometheus::BuildGauge().Name(name).Help(std::string(help)).Register(registry);
      return &family.Add({});
    } catch (const std::invalid_argument& e) {
      reason = e.what();  // the name is taken by a counter or histogram
    }
  }
  log(spdlog::level::warn, 0, {}, "metrics: gauge dropped", {{"name", name}, {"reason", reason}});
  return nullptr;
}

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

void Metrics::message(std::string_view command_code, std::string_view outcome) {
  impl_->messages.get({command_code, outcome}).Increment();
}

void Metrics::insecure_setting(std::string_view setting) {
  impl_->insecure.get({setting}).Set(1);
}

void Metrics::latency(std::string_view command_code, double seconds) {
  impl_->latency.get({command_code}).Observe(seconds);
}

void Metrics::session_opened(std::string_view listener) {
  impl_->sessions.get({listener}).Increment();
}

void Metrics::session_closed(std::string_view listener, std::string_view reason) {
  impl_->sessions.get({listener}).Decrement();
  impl_->sessions_closed.get({listener, reason}).Increment();
}

void Metrics::connection_refused(std::string_view listener, std::string_view reason) {
  impl_->refused.get({listener, reason}).Increment();
}

void Metrics::frame_error(std::string_view kind) {
  impl_->frame_errors.get({kind}).Increment();
}

void Metrics::request_paced(std::string_view profile) {
  impl_->paced.get({profile}).Increment();
}

void Metrics::login(std::string_view outcome) {
  impl_->logins.get({outcome}).Increment();
}

void Metrics::backend_call(std::string_view operation, std::string_view outcome, double seconds) {
  impl_->backend_calls.get({operation, outcome}).Increment();
  impl_->backend_duration.get({operation}).Observe(seconds);
}

void Metrics::identity(std::string_view event) {
  impl_->identity.get({event}).Increment();
}

void Metrics::outbox_event_total(std::string_view event, double total) {
  double delta = 0;
  {
    const std::lock_guard lock(impl_->mirrored_mutex);
    auto found = impl_->mirrored.find(event);
    if (found == impl_->mirrored.end())
      found = impl_->mirrored.emplace(std::string(event), 0).first;
    if (total > found->second) {
      delta = total - found->second;
      found->second = total;
    }
  }
  auto& c = impl_->outbox_events.get({event});
  if (delta > 0) c.Increment(delta);
}

void Metrics::outbox_jobs(std::string_view state, double count) {
  impl_->outbox_jobs.get({state}).Set(count);
}

void Metrics::identity_argon2(double seconds) {
  impl_->argon2.get({"pin"}).Observe(seconds);
}

void Metrics::identity_record_age(double seconds) {
  impl_->record_age.get({"served"}).Observe(seconds);
}

void Metrics::set_gauge(std::string_view name, std::string_view help, double value) {
  Gauge* gauge = nullptr;
  {
    const std::lock_guard lock(impl_->gauges_mutex);
    auto found = impl_->gauges.find(name);
    if (found == impl_->gauges.end()) {
      std::string key(name);
      found = impl_->gauges.emplace(key, impl_->add_gauge(key, help)).first;
    }
    gauge = found->second;
  }
  if (gauge != nullptr) gauge->Set(value);
}

std::string Metrics::serialize() const {
  return prometheus::TextSerializer().Serialize(impl_->registry.Collect());
}

}  // namespace obs
