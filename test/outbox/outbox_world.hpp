// An outbox for tests: a real store in a temporary directory, a real key file, the scripted
// FakeBackend, a forwarder whose wall clock, steady clock and jitter the test sets.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "../handlers/fake_backend.hpp"
#include "../support/temp_dir.hpp"
#include "crypto/key_ring.hpp"
#include "outbox/breaker.hpp"
#include "outbox/forwarder.hpp"
#include "outbox/ils_json.hpp"
#include "outbox/outbox.hpp"
#include "store/store.hpp"

namespace outbox {
// How Boost.Test prints states and ops in a failed assertion.
inline std::ostream& operator<<(std::ostream& out, State s) {
  return out << name_of(s);
}
inline std::ostream& operator<<(std::ostream& out, Op op) {
  return out << name_of(op);
}
inline std::ostream& operator<<(std::ostream& out, Finding f) {
  return out << name_of(f);
}
inline std::ostream& operator<<(std::ostream& out, BreakerState s) {
  return out << name_of(s);
}
}  // namespace outbox

namespace obtest {

using namespace std::chrono_literals;
using outbox::Job;
using outbox::NewJob;
using outbox::Op;
using outbox::State;
using outbox::Time;

inline constexpr const char* institution = "MAIN";
inline constexpr const char* patron_id = "P1";
inline constexpr const char* patron_barcode = "21234000000018";
inline constexpr const char* other_id = "P2";
inline constexpr const char* other_barcode = "21234000000026";
inline constexpr const char* item_barcode = "31234000000016";
inline constexpr const char* item2_barcode = "31234000000024";

/// The tests' wall clock starts here (the FakeBackend's "now" too).
inline Time start_time() {
  return std::chrono::sys_days{std::chrono::year{2025} / 3 / 14} + std::chrono::hours{10};
}
inline ils::Timestamp seconds(Time t) {
  return std::chrono::time_point_cast<std::chrono::seconds>(t);
}

inline ils::PatronRef patron_ref(const char* id = patron_id, const char* bc = patron_barcode) {
  return {id, bc};
}

/// A generous bound for waits on other threads (the message says what was awaited).
inline std::chrono::steady_clock::time_point soon() {
  return std::chrono::steady_clock::now() + 20s;
}

struct World {
  test_support::TempDir dir{"outbox"};
  std::shared_ptr<const crypto::KeyRing> keys;
  store::Options store_options = [this] {
    store::Options o;
    o.dir = dir.path() / "store";
    o.durability = store::Durability::no_sync;  // tests need no fsync; full is the default
    return o;
  }();
  outbox::Options options = [] {
    outbox::Options o;
    o.backoff.base = 1s;
    o.backoff.cap = 4s;
    o.backoff.max_attempts = 5;
    o.backoff.max_age = 1h;
    o.retention = 24h;
    o.key_window = 72h;
    o.forwarder_threads = 2;
    return o;
  }();
  Time now = start_time();
  outbox::SteadyTime steady{};  ///< the breaker's clock
  double jitter = 0.5;
  fake::FakeBackend backend;
  std::unique_ptr<store::Env> env;
  std::unique_ptr<outbox::Outbox> box;
  std::unique_ptr<outbox::Breaker> breaker;
  std::unique_ptr<outbox::Forwarder> forwarder;

  World() {
    auto created = crypto::create_key_file(dir.path() / "keys.json");
    if (!created) throw std::runtime_error(created.error());
    keys = std::make_shared<const crypto::KeyRing>(std::move(*created));
    backend.add_patron(fake::patron(patron_id, patron_barcode));
    backend.add_patron(fake::patron(other_id, other_barcode, "Bo Reader"));
    backend.add_item(fake::item("I1", item_barcode, "The Hidden Orchard"));
    backend.add_item(fake::item("I2", item2_barcode, "A Second Book"));
    backend.now = seconds(start_time());
    open();
  }
  World(const World&) = delete;
  World& operator=(const World&) = delete;
  ~World() { close(); }

  void open() {
    const std::vector<std::string_view> dbs(outbox::Outbox::databases.begin(),
                                            outbox::Outbox::databases.end());
    auto e = store::Env::open(store_options, dbs);
    if (!e) throw std::runtime_error(e.error());
    env = std::move(*e);
    box = std::make_unique<outbox::Outbox>(*env, keys, options, [this] { return now; });
    breaker = std::make_unique<outbox::Breaker>(
        options.breaker, [this] { return steady; }, &box->counters());
    forwarder =
        std::make_unique<outbox::Forwarder>(*box, backend, *breaker, [this] { return jitter; });
  }
  void close() {
    forwarder.reset();
    breaker.reset();
    box.reset();
    env.reset();
  }
  /// A gateway restart (or a crash: nothing in memory survives; the store does).
  void restart() {
    close();
    open();
  }

  outbox::Submitted submit(const NewJob& job) {
    auto s = box->submit(job);
    BOOST_REQUIRE_MESSAGE(s.has_value(), "submit: " << (s ? "" : s.error().message()));
    return *s;
  }
  Job find(std::uint64_t id) const {
    auto j = box->find(id);
    BOOST_REQUIRE(j.has_value());
    BOOST_REQUIRE(j->has_value());
    return **j;
  }
  /// The handler's online attempt with a generous deadline.
  Job attempt_now(std::uint64_t id) {
    auto j = forwarder->attempt_now(id, {"test", soon(), 0ms});
    BOOST_REQUIRE_MESSAGE(j.has_value(), "attempt_now: " << (j ? "" : j.error().message()));
    return *j;
  }
  /// Moves the wall clock past every backoff so that queued jobs are due.
  void later(std::chrono::milliseconds by = 10min) { now += by; }
};

/// The discriminator a kiosk's transaction date gives.
inline std::string when(int n = 0) {
  return "20250314    1000" + std::to_string(10 + n);
}

inline NewJob job_of(Op op, nlohmann::json args, std::string patron, std::string item,
                     std::string discriminator = when()) {
  NewJob j;
  j.op = op;
  j.institution = institution;
  j.patron_identifier = std::move(patron);
  j.item_identifier = std::move(item);
  j.discriminator = std::move(discriminator);
  j.args = std::move(args);
  return j;
}

inline NewJob checkout_job(const char* item = item_barcode, std::string disc = when(),
                           ils::PatronRef who = patron_ref()) {
  ils::CheckoutRequest q;
  q.patron = who;
  q.item_barcode = item;
  q.loan_date = seconds(start_time());
  return job_of(Op::checkout, q, who.barcode, item, std::move(disc));
}

inline NewJob checkin_job(const char* item = item_barcode, Time returned = start_time(),
                          std::string disc = when(1)) {
  ils::CheckinRequest q;
  q.item_barcode = item;
  q.return_date = seconds(returned);
  return job_of(Op::checkin, q, "", item, std::move(disc));
}

inline NewJob renew_job(const char* item = item_barcode, std::string disc = when(2)) {
  ils::RenewRequest q;
  q.patron = patron_ref();
  q.item_barcode = item;
  return job_of(Op::renew, q, patron_barcode, item, std::move(disc));
}

inline NewJob renew_all_job(std::string disc = when(3)) {
  return job_of(Op::renew_all, nlohmann::json(patron_ref()), patron_barcode, "", std::move(disc));
}

inline NewJob fee_job(ils::Cents amount, std::string disc = when(4)) {
  ils::FeePayment q;
  q.patron = patron_ref();
  q.amount = amount;
  q.transaction_id = "BK-KIOSK-1";
  return job_of(Op::fee_paid, q, patron_barcode, "", std::move(disc));
}

inline NewJob hold_job(const char* item = item_barcode, std::string disc = when(5)) {
  ils::HoldRequest q;
  q.patron = patron_ref();
  q.item_barcode = item;
  return job_of(Op::hold_place, q, patron_barcode, item, std::move(disc));
}

inline NewJob cancel_hold_job(const char* item = item_barcode, std::string disc = when(6)) {
  ils::CancelHoldRequest q;
  q.patron = patron_ref();
  q.item_barcode = item;
  return job_of(Op::hold_cancel, q, patron_barcode, item, std::move(disc));
}

inline NewJob block_job(std::string reason = "Card retained at kiosk", std::string disc = when(7)) {
  ils::BlockRequest q;
  q.patron = patron_ref();
  q.reason = std::move(reason);
  return job_of(Op::block_patron, q, patron_barcode, "", std::move(disc));
}

inline NewJob enable_job(std::string disc = when(8)) {
  return job_of(Op::enable_patron, nlohmann::json(patron_ref()), patron_barcode, "",
                std::move(disc));
}

/// Lends an item straight at the "library" (not through the outbox).
inline void lend(fake::FakeBackend& backend, const char* item, ils::PatronRef who,
                 std::optional<ils::Timestamp> at = std::nullopt) {
  ils::CheckoutRequest q;
  q.patron = std::move(who);
  q.item_barcode = item;
  q.loan_date = at;
  auto done = backend.checkout({"setup", soon(), 0ms}, q);
  BOOST_REQUIRE(done.has_value());
}

}  // namespace obtest
