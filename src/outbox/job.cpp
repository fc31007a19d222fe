// Names of ops, states and findings (as the journal, logs and the CLI spell them).
#include "outbox/job.hpp"

#include <span>

#include "crypto/crypto.hpp"
#include "outbox/counters.hpp"

namespace outbox {
namespace {

constexpr std::array<std::string_view, op_count> op_names = {
    "checkout",   "checkin",     "renew",        "renew_all",     "fee_paid",
    "hold_place", "hold_cancel", "block_patron", "enable_patron", "item_status"};
constexpr std::array<std::string_view, state_count> state_names = {
    "queued", "in_flight", "delivered", "refused", "exception", "dropped"};
constexpr std::array<std::string_view, verdict_count> verdict_names = {
    "delivered", "refused", "retry", "exception", "withdrawn"};
constexpr std::array<std::string_view, finding_count> finding_names = {"applied", "not_applied",
                                                                       "unknown"};

template <class E, std::size_t N>
std::optional<E> named(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == name) return static_cast<E>(i);
  return std::nullopt;
}

}  // namespace

Time system_now() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

std::string_view name_of(Op op) {
  return op_names.at(static_cast<std::size_t>(op));
}

std::string_view name_of(State state) {
  return state_names.at(static_cast<std::size_t>(state));
}

std::string_view name_of(Finding f) {
  return finding_names.at(static_cast<std::size_t>(f));
}

std::string_view name_of(Verdict v) {
  return verdict_names.at(static_cast<std::size_t>(v));
}

std::optional<Op> op_named(std::string_view name) {
  return named<Op>(op_names, name);
}

std::optional<State> state_named(std::string_view name) {
  return named<State>(state_names, name);
}

std::string hex_of(const Key& key) {
  return crypto::hex(std::span<const std::uint8_t>(key));
}

std::string Job::reference() const {
  // The id orders; the key's first bytes tell this journal's job from one of an earlier journal
  // (a data directory started afresh reuses ids).
  return "sip2gw-" + std::to_string(id) + "-" + hex_of(key).substr(0, 8);
}

}  // namespace outbox
