// Tests for PIN checks through the identity cache: verify-through, the verifier and the memo,
// wrong PINs and the lockout, offline answers, and a full crypto queue.
#include <boost/test/unit_test.hpp>

#include "identity_world.hpp"

namespace {

using namespace idtest;
using Found = identity::Validation::Found;
using fake::Op;

constexpr const char* wrong_pin = "9999";

/// A world where the patron has signed in once with the right PIN (verifier stored).
struct SignedIn : World {
  SignedIn() {
    const auto v = validate(barcode, pin);
    BOOST_REQUIRE(v.pin_ok == true);
  }
  /// Past the memo: the next check reads the verifier.
  void forget_memo() { now += policy.memo_ttl + std::chrono::seconds(1); }
};

BOOST_AUTO_TEST_SUITE(pin_checks)

BOOST_AUTO_TEST_CASE(a_first_right_pin_is_verified_through_and_remembered) {
  World w;
  const auto v = w.validate(barcode, pin);
  BOOST_TEST((v.found == Found::yes));
  BOOST_TEST((v.pin_ok == true));
  BOOST_TEST(w.backend.count(Op::verify_credential) == 1);
  BOOST_TEST(w.argon2_runs == 1);  // the new verifier
  const auto stored = w.verifier();
  BOOST_REQUIRE(stored.has_value());
  BOOST_TEST((stored->created == w.now));
  BOOST_TEST((stored->expires == w.now + w.policy.verifier_ttl));
  BOOST_TEST(crypto::argon2id_verify(pin, stored->hash));

  const auto again = w.validate(barcode, pin);  // the memo: no library system, no Argon2id
  BOOST_TEST((again.pin_ok == true));
  BOOST_TEST(w.backend.count(Op::verify_credential) == 1);
  BOOST_TEST(w.argon2_runs == 1);
}

BOOST_AUTO_TEST_CASE(past_the_memo_the_verifier_is_checked_locally) {
  SignedIn w;
  w.forget_memo();
  const auto v = w.validate(barcode, pin);
  BOOST_TEST((v.pin_ok == true));
  BOOST_TEST(!v.offline);
  BOOST_TEST(w.backend.count(Op::verify_credential) == 1);
  BOOST_TEST(w.argon2_runs == 2);
}

BOOST_AUTO_TEST_CASE(a_pin_changed_at_the_library_is_verified_through_and_replaces_the_verifier) {
  SignedIn w;
  const auto old_hash = w.verifier()->hash;
  w.backend.set_pin("p-1", "5678");
  w.forget_memo();
  const auto v = w.validate(barcode, "5678");
  BOOST_TEST((v.pin_ok == true));
  BOOST_TEST(w.backend.count(Op::verify_credential) == 2);
  BOOST_TEST(w.argon2_runs == 3);  // first hash, the old verifier's mismatch, the new hash
  const auto stored = w.verifier();
  BOOST_REQUIRE(stored.has_value());
  BOOST_TEST(stored->hash != old_hash);
  BOOST_TEST((stored->created == w.now));
  BOOST_TEST(crypto::argon2id_verify("5678", stored->hash));
  BOOST_TEST(w.lockout().failures == 0u);
}

BOOST_AUTO_TEST_CASE(a_wrong_pin_is_refused_and_counted) {
  World w;
  const auto v = w.validate(barcode, wrong_pin);
  BOOST_TEST((v.found == Found::yes));
  BOOST_TEST((v.pin_ok == false));
  BOOST_TEST(!v.locked);
  BOOST_TEST(!v.failure.has_value());
  BOOST_TEST(w.lockout().failures == 1u);
  BOOST_TEST(!w.verifier().has_value());
}

BOOST_AUTO_TEST_CASE(enough_wrong_pins_in_the_window_lock_without_asking_anyone) {
  World w;
  for (int i = 0; i < 3; ++i) {
    BOOST_TEST((w.validate(barcode, wrong_pin).pin_ok == false));
    w.now += std::chrono::seconds(30);
  }
  BOOST_TEST(w.lockout().locked(w.now));
  const int verifies = w.backend.count(Op::verify_credential);
  const auto v = w.validate(barcode, pin);  // even the right PIN
  BOOST_TEST(v.locked);
  BOOST_TEST((v.pin_ok == false));
  BOOST_TEST(w.backend.count(Op::verify_credential) == verifies);
  BOOST_TEST(w.argon2_runs == 0);
}

BOOST_AUTO_TEST_CASE(wrong_pins_spread_beyond_the_window_do_not_lock) {
  World w;
  for (int i = 0; i < 3; ++i) {
    (void)w.validate(barcode, wrong_pin);
    w.now += w.policy.lockout.window;
  }
  BOOST_TEST(!w.lockout().locked(w.now));
  BOOST_TEST((w.validate(barcode, pin).pin_ok == true));
}

BOOST_AUTO_TEST_CASE(a_lockout_survives_a_restart) {
  World w;
  for (int i = 0; i < 3; ++i)
    (void)w.validate(barcode, wrong_pin);
  w.restart();
  const auto v = w.validate(barcode, pin);
  BOOST_TEST(v.locked);
  BOOST_TEST((v.pin_ok == false));
}

BOOST_AUTO_TEST_CASE(a_lockout_ends_after_its_duration) {
  World w;
  for (int i = 0; i < 3; ++i)
    (void)w.validate(barcode, wrong_pin);
  w.now += w.policy.lockout.duration - std::chrono::seconds(1);
  BOOST_TEST(w.validate(barcode, pin).locked);
  w.now += std::chrono::seconds(1);
  const auto v = w.validate(barcode, pin);
  BOOST_TEST(!v.locked);
  BOOST_TEST((v.pin_ok == true));
  BOOST_TEST(w.lockout().failures == 0u);  // a right PIN clears them
}

BOOST_AUTO_TEST_CASE(one_wrong_pin_after_a_lapsed_lockout_does_not_lock_again) {
  World w;  // the window (10 min) outlasts the lock (5 min)
  for (int i = 0; i < 3; ++i)
    (void)w.validate(barcode, wrong_pin);
  w.now += w.policy.lockout.duration;
  const auto v = w.validate(barcode, wrong_pin);
  BOOST_TEST((v.pin_ok == false));
  BOOST_TEST(!w.lockout().locked(w.now));
  BOOST_TEST(w.lockout().failures == 1u);
}

BOOST_AUTO_TEST_CASE(a_right_pin_against_the_verifier_clears_earlier_failures) {
  SignedIn w;
  (void)w.validate(barcode, wrong_pin);
  (void)w.validate(barcode, wrong_pin);
  BOOST_TEST(w.lockout().failures == 2u);
  w.forget_memo();
  BOOST_TEST((w.validate(barcode, pin).pin_ok == true));
  BOOST_TEST(w.lockout().failures == 0u);
  BOOST_TEST(!w.validate(barcode, wrong_pin).locked);  // a fresh count
}

BOOST_AUTO_TEST_CASE(offline_a_matching_verifier_is_accepted) {
  SignedIn w;
  w.restart();  // no memo
  // The library is down: any call would fail (and none is made).
  w.backend.script(Op::verify_credential, fake::Outcome::fail(ils::errc::unavailable), 2);
  w.backend.script(Op::lookup_patron, fake::Outcome::fail(ils::errc::unavailable), 2);
  w.backend.script(Op::patron_summary, fake::Outcome::fail(ils::errc::unavailable), 2);
  const int calls = w.backend_calls();
  const auto v = w.validate(barcode, pin);
  BOOST_TEST((v.pin_ok == true));
  BOOST_TEST(w.backend_calls() == calls);
  BOOST_TEST(w.argon2_runs == 2);  // the first hash, then this check against it
}

BOOST_AUTO_TEST_CASE(offline_without_a_verifier_the_pin_cannot_be_checked) {
  World w;
  (void)w.validate(barcode);  // cached, no PIN ever checked
  w.backend.script(Op::verify_credential, fake::Outcome::fail(ils::errc::unavailable));
  const auto v = w.validate(barcode, pin);
  BOOST_TEST((v.found == Found::yes));
  BOOST_TEST((v.pin_ok == false));
  BOOST_TEST(v.offline);
  BOOST_REQUIRE(v.failure.has_value());
  BOOST_TEST((v.failure->code == ils::errc::unavailable));
  BOOST_TEST(w.lockout().failures == 0u);  // not a wrong PIN, as far as anyone knows
}

BOOST_AUTO_TEST_CASE(offline_a_mismatching_verifier_is_refused_and_counted) {
  SignedIn w;
  w.backend.script(Op::verify_credential, fake::Outcome::fail(ils::errc::timeout), 2);
  const auto v = w.validate(barcode, wrong_pin);
  BOOST_TEST((v.pin_ok == false));
  BOOST_TEST(v.offline);
  BOOST_TEST(w.lockout().failures == 1u);
}

BOOST_AUTO_TEST_CASE(offline_an_expired_verifier_is_not_accepted) {
  SignedIn w;
  w.restart();
  w.now += w.policy.verifier_ttl;  // also past the hard age: the record must be read again
  w.backend.script(Op::verify_credential, fake::Outcome::fail(ils::errc::unavailable), 2);
  const auto v = w.validate(barcode, pin);  // the lookup works: a fresh record
  BOOST_TEST((v.found == Found::yes));
  BOOST_TEST((v.pin_ok == false));
  BOOST_TEST(v.failure.has_value());
}

BOOST_AUTO_TEST_CASE(a_full_crypto_queue_refuses_with_a_failure) {
  SignedIn w;
  w.forget_memo();
  w.crypto_full = true;
  const auto v = w.validate(barcode, pin);
  BOOST_TEST((v.pin_ok == false));
  BOOST_REQUIRE(v.failure.has_value());
  BOOST_TEST((v.failure->code == ils::errc::unavailable));
  BOOST_TEST(w.argon2_runs == 1);
  BOOST_TEST(w.backend.count(Op::verify_credential) == 1);
  BOOST_TEST(w.lockout().failures == 0u);
}

BOOST_AUTO_TEST_CASE(a_pin_the_library_does_not_check_leaves_no_verifier_behind) {
  World w;
  w.backend.pin_not_required("p-1");
  BOOST_TEST((w.validate(barcode, wrong_pin).pin_ok == true));
  BOOST_TEST(!w.verifier().has_value());
  BOOST_TEST(w.argon2_runs == 0);
  // The patron sets a PIN at the library: the PIN typed before passes no more.
  w.backend.set_pin("p-1", pin);
  const auto v = w.validate(barcode, wrong_pin);
  BOOST_TEST((v.pin_ok == false));
  BOOST_TEST(w.backend.count(Op::verify_credential) == 2);
}

BOOST_AUTO_TEST_CASE(an_argon2id_failure_neither_escapes_nor_stores_a_verifier) {
  World w;
  w.policy.argon2 = {1, 1, 1};  // less memory than Argon2id allows: hashing throws
  w.restart();
  const auto v = w.validate(barcode, pin);
  BOOST_TEST((v.pin_ok == true));  // the library said so
  BOOST_TEST(!w.verifier().has_value());
}

BOOST_AUTO_TEST_CASE(local_answers_a_pin_only_while_the_memo_is_warm) {
  SignedIn w;
  const int calls = w.backend_calls();
  const auto warm = w.local(barcode, pin);
  BOOST_REQUIRE(warm.has_value());
  BOOST_TEST((warm->pin_ok == true));
  BOOST_TEST(!w.local(barcode, wrong_pin).has_value());
  BOOST_TEST(w.backend_calls() == calls);
  BOOST_TEST(w.argon2_runs == 1);
  w.forget_memo();
  BOOST_TEST(!w.local(barcode, pin).has_value());
}

BOOST_AUTO_TEST_CASE(local_never_answers_a_locked_patron) {
  SignedIn w;
  for (int i = 0; i < 3; ++i)
    (void)w.validate(barcode, wrong_pin);
  BOOST_TEST(!w.local(barcode, pin).has_value());  // the memo is warm, the lock wins
  BOOST_TEST(w.local(barcode).has_value());        // without a PIN, no lock applies
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
