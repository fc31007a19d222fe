// Handlers with the outbox: changes journalled on a real store, decided online, answered from
// local policy offline, the same transaction asked twice answered once, a kiosk's replay forced,
// a stopped clock detected, and the 98 while the circuit breaker is open.
#include <boost/test/unit_test.hpp>

#include "../support/temp_dir.hpp"
#include "crypto/key_ring.hpp"
#include "handlers/change.hpp"
#include "handlers/support.hpp"
#include "kiosk.hpp"
#include "outbox/breaker.hpp"
#include "outbox/forwarder.hpp"
#include "outbox/outbox.hpp"
#include "store/store.hpp"

namespace {

using namespace std::chrono_literals;
using fake::Op;

/// A kiosk whose changes go through an outbox on a real LMDB store in a temp dir.
struct OutboxKiosk : fake::Kiosk {
  test_support::TempDir dir{"outbox-handlers"};
  std::shared_ptr<const crypto::KeyRing> keys;
  std::unique_ptr<store::Env> env;
  std::unique_ptr<outbox::Outbox> journal;
  outbox::SteadyTime steady = outbox::SteadyTime{} + 1h;
  std::unique_ptr<outbox::Breaker> breaker;
  std::unique_ptr<outbox::Forwarder> forwarder;

  OutboxKiosk() {
    auto created = crypto::create_key_file(dir.path() / "keys.json");
    BOOST_REQUIRE_MESSAGE(created.has_value(), created.error());
    keys = std::make_shared<const crypto::KeyRing>(std::move(*created));
    store::Options o;
    o.dir = dir.path() / "store";
    o.durability = store::Durability::no_sync;
    const std::vector<std::string_view> dbs(outbox::Outbox::databases.begin(),
                                            outbox::Outbox::databases.end());
    auto e = store::Env::open(o, dbs);
    BOOST_REQUIRE_MESSAGE(e.has_value(), e.error());
    env = std::move(*e);
    outbox::Options options;
    options.min_mutation_budget = 0ms;
    options.breaker.min_calls = 2;
    journal = std::make_unique<outbox::Outbox>(*env, keys, options, [this] {
      return std::chrono::time_point_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::time_point(now));
    });
    breaker = std::make_unique<outbox::Breaker>(
        options.breaker, [this] { return steady; }, &journal->counters());
    forwarder =
        std::make_unique<outbox::Forwarder>(*journal, backend, *breaker, [] { return 0.5; });
    services.outbox = journal.get();
    services.forwarder = forwarder.get();
    services.breaker = breaker.get();
    services.settings.min_mutation_budget = 0ms;
    terminal.account->policy.offline_ok = true;
  }
  ~OutboxKiosk() {
    forwarder.reset();
    journal.reset();
    env.reset();
  }

  void mode(config::OutboxMode m) { terminal.account->outbox_mode = m; }

  /// The kiosk's SIP date `offset` from the gateway's clock (UTC, with its zone letter).
  [[nodiscard]] sip2::Timestamp date(std::chrono::seconds offset = 0s) const {
    return handlers::detail::stamp(now + offset, sip2::ZoneField::utc_z, zone::TimeZone());
  }

  [[nodiscard]] sip2::CheckoutRequest checkout(const char* item, sip2::Timestamp when) const {
    sip2::CheckoutRequest q;
    q.transaction_date = when;
    q.institution_id = "MAIN";
    q.patron_identifier = fake::patron_barcode;
    q.item_identifier = item;
    q.patron_password = fake::patron_pin;
    return q;
  }
  [[nodiscard]] sip2::CheckinRequest checkin(const char* item, sip2::Timestamp when) const {
    sip2::CheckinRequest q;
    q.transaction_date = when;
    q.return_date = when;
    q.institution_id = "MAIN";
    q.item_identifier = item;
    return q;
  }

  [[nodiscard]] std::uint64_t jobs_in(outbox::State s) const {
    auto st = journal->stats();
    BOOST_REQUIRE(st.has_value());
    return st->by_state[static_cast<std::size_t>(s)];
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(outbox_handlers, OutboxKiosk)

BOOST_AUTO_TEST_CASE(an_online_checkout_is_journalled_and_decided_by_the_library_system) {
  mode(config::OutboxMode::online);
  auto a = ask<sip2::CheckoutResponse>(checkout(fake::book_barcode, date()));
  BOOST_TEST(a.ok);
  BOOST_TEST(a.title_identifier == "The Hidden Orchard");
  BOOST_TEST(backend.count(Op::checkout) == 1);
  BOOST_TEST(jobs_in(outbox::State::delivered) == 1u);
  // The kiosk's transaction time went as the loan date.
  BOOST_REQUIRE(backend.checkouts().size() == 1u);
  BOOST_TEST(backend.checkouts()[0].loan_date.has_value());
}

BOOST_AUTO_TEST_CASE(the_same_transaction_asked_again_gets_the_first_outcome_and_no_second_call) {
  mode(config::OutboxMode::online);
  const auto when = date();
  auto first = ask<sip2::CheckoutResponse>(checkout(fake::book_barcode, when));
  // The kiosk lost the answer and reconnected: a new terminal state, the same request.
  terminal.last_change_date.clear();
  auto again = ask<sip2::CheckoutResponse>(checkout(fake::book_barcode, when));
  BOOST_TEST(first.ok);
  BOOST_TEST(again.ok);
  BOOST_TEST(again.due_date == first.due_date);
  BOOST_TEST(backend.count(Op::checkout) == 1);
  BOOST_TEST(jobs_in(outbox::State::delivered) == 1u);
}

BOOST_AUTO_TEST_CASE(a_refusal_is_the_library_systems_own_and_final) {
  mode(config::OutboxMode::online);
  backend.script(Op::checkout, fake::Outcome::fail(ils::errc::rejected, "Item is not loanable"));
  auto a = ask<sip2::CheckoutResponse>(checkout(fake::book_barcode, date()));
  BOOST_TEST(!a.ok);
  BOOST_TEST(fake::screen_of(a).find("Item is not loanable") != std::string::npos,
             fake::screen_of(a));
  BOOST_TEST(jobs_in(outbox::State::refused) == 1u);
}

BOOST_AUTO_TEST_CASE(an_answer_lost_after_the_checkout_is_read_back_not_repeated) {
  mode(config::OutboxMode::online);
  backend.script(Op::checkout, fake::Outcome::apply_then_lose());
  auto a = ask<sip2::CheckoutResponse>(checkout(fake::book_barcode, date()));
  BOOST_TEST(a.ok, fake::screen_of(a));
  BOOST_TEST((a.desensitize == sip2::Tristate::yes));
  BOOST_TEST(backend.checkouts().size() == 1u, "applied once, found by the read-back");
}

BOOST_AUTO_TEST_CASE(offline_a_loanable_item_is_lent_by_local_policy_and_forwarded_later) {
  mode(config::OutboxMode::offline);
  auto o = services.settings.outbox;
  o.offline.loan_days = 21;
  o.offline.items = {{"^31234000000024$", false, 7, "dvd"}};
  services.settings.set_outbox(o);
  auto book = ask<sip2::CheckoutResponse>(checkout(fake::book_barcode, date()));
  BOOST_TEST(book.ok);
  BOOST_TEST((book.desensitize == sip2::Tristate::yes));
  BOOST_TEST(fake::screen_of(book).find("(offline)") != std::string::npos, fake::screen_of(book));
  BOOST_TEST(book.due_date.find("20250404") != std::string::npos,
             "today + 21 days: " << book.due_date);
  auto dvd = ask<sip2::CheckoutResponse>(checkout(fake::dvd_barcode, date(1s)));
  BOOST_TEST(!dvd.ok, "the site's rule: not loanable offline");
  BOOST_TEST(backend.count(Op::checkout) == 0, "nothing reached the library system yet");
  BOOST_TEST(jobs_in(outbox::State::queued) == 1u, "only the yes became a job");
  BOOST_TEST(forwarder->run_due() == 1u);
  BOOST_TEST(backend.count(Op::checkout) == 1);
  BOOST_TEST(jobs_in(outbox::State::delivered) == 1u);
}

BOOST_AUTO_TEST_CASE(offline_returns_are_always_taken_and_renew_all_never) {
  mode(config::OutboxMode::offline);
  auto in = ask<sip2::CheckinResponse>(checkin(fake::book_barcode, date()));
  BOOST_TEST(in.ok);
  BOOST_TEST((in.resensitize == sip2::Tristate::yes));
  sip2::RenewAllRequest all;
  all.transaction_date = date();
  all.institution_id = "MAIN";
  all.patron_identifier = fake::patron_barcode;
  all.patron_password = fake::patron_pin;
  auto r = ask<sip2::RenewAllResponse>(all);
  BOOST_TEST(!r.ok);
  BOOST_TEST(fake::screen_of(r).find("offline") != std::string::npos, fake::screen_of(r));
  BOOST_TEST(backend.count(Op::renew_all) == 0);
}

BOOST_AUTO_TEST_CASE(a_no_block_replay_is_accepted_at_once_and_forced_through_blocks) {
  mode(config::OutboxMode::online);
  auto q = checkout(fake::book_barcode, date(-2h));
  q.no_block = true;
  auto a = ask<sip2::CheckoutResponse>(q);
  BOOST_TEST(a.ok, fake::screen_of(a));
  BOOST_TEST(backend.count(Op::checkout) == 0, "replays go through the forwarder");
  BOOST_TEST(forwarder->run_due() == 1u);
  BOOST_REQUIRE(backend.checkouts().size() == 1u);
  BOOST_TEST(backend.checkouts()[0].override_blocks);
}

BOOST_AUTO_TEST_CASE(a_kiosk_whose_clock_stands_still_does_not_merge_two_transactions) {
  mode(config::OutboxMode::online);
  const auto frozen = date();
  auto out = ask<sip2::CheckoutResponse>(checkout(fake::book_barcode, frozen));
  now += 5s;
  auto back = ask<sip2::CheckinResponse>(checkin(fake::book_barcode, frozen));
  now += 5s;
  // The same check-out again, with the same (stuck) date: a new loan, not the first outcome.
  auto again = ask<sip2::CheckoutResponse>(checkout(fake::book_barcode, frozen));
  BOOST_TEST(out.ok);
  BOOST_TEST(back.ok);
  BOOST_TEST(again.ok);
  BOOST_TEST(backend.count(Op::checkout) == 2, "two real loans");
  BOOST_TEST(terminal.frozen_clock);
}

BOOST_AUTO_TEST_CASE(while_the_breaker_is_open_auto_mode_answers_offline_and_98_says_so) {
  mode(config::OutboxMode::automatic);
  for (int i = 0; i < 4; ++i)
    breaker->record(false, 10ms);
  BOOST_REQUIRE(breaker->state() == outbox::BreakerState::open);
  auto status = handlers::acs_status(terminal, services, true);
  BOOST_TEST(!status.online_status);
  BOOST_TEST(!status.screen_message.empty());
  auto a = ask<sip2::CheckoutResponse>(checkout(fake::book_barcode, date()));
  BOOST_TEST(a.ok);
  BOOST_TEST(backend.count(Op::checkout) == 0);
  BOOST_TEST(fake::screen_of(a).find("(offline)") != std::string::npos, fake::screen_of(a));
}

BOOST_AUTO_TEST_CASE(
    auto_mode_stays_offline_while_the_breaker_tests_and_goes_online_once_it_closed) {
  mode(config::OutboxMode::automatic);
  for (int i = 0; i < 4; ++i)
    breaker->record(false, 10ms);
  steady += outbox::BreakerOptions{}.open_for + 1s;
  BOOST_REQUIRE(breaker->state() == outbox::BreakerState::half_open);
  // Nothing has shown yet that the library system is back: still store-and-forward.
  BOOST_TEST(!handlers::acs_status(terminal, services, true).online_status);
  auto a = ask<sip2::CheckoutResponse>(checkout(fake::book_barcode, date()));
  BOOST_TEST(a.ok);
  BOOST_TEST(backend.count(Op::checkout) == 0, "answered offline, not sent as a trial call");
  BOOST_TEST(fake::screen_of(a).find("(offline)") != std::string::npos, fake::screen_of(a));
  // The trial calls (the forwarder's deliveries) answered: closed, on-line again.
  for (std::uint32_t i = 0; i < outbox::BreakerOptions{}.probes; ++i)
    breaker->record(true, 10ms);
  BOOST_REQUIRE(breaker->state() == outbox::BreakerState::closed);
  BOOST_TEST(handlers::acs_status(terminal, services, true).online_status);
}

BOOST_AUTO_TEST_CASE(the_profile_says_which_no_block_requests_are_replays) {
  mode(config::OutboxMode::online);
  // Baseline: a no-block check-in is a replay (journalled, delivered by the forwarder).
  auto in = checkin(fake::book_barcode, date());
  in.no_block = true;
  BOOST_TEST(ask<sip2::CheckinResponse>(in).ok);
  BOOST_TEST(backend.count(Op::checkin) == 0);
  BOOST_TEST(forwarder->run_due() == 1u);
  // offline.checkin_no_block "normal": the same request is a live check-in.
  terminal.behaviour.offline.checkin_force = false;
  now += 1min;
  auto live = checkin(fake::book_barcode, date());
  live.no_block = true;
  BOOST_TEST(ask<sip2::CheckinResponse>(live).ok);
  BOOST_TEST(backend.count(Op::checkin) == 2, "the handler's own attempt");
  // offline.device_store_and_forward "checkin_only": a no-block check-out is a live one.
  terminal.behaviour.offline.checkout_replays = false;
  auto out = checkout(fake::book_barcode, date(-2h));
  out.no_block = true;
  BOOST_TEST(ask<sip2::CheckoutResponse>(out).ok);
  BOOST_TEST(backend.count(Op::checkout) == 1);
  BOOST_REQUIRE(backend.checkouts().size() == 1u);
  BOOST_TEST(!backend.checkouts()[0].override_blocks);
}

BOOST_AUTO_TEST_CASE(unflagged_replays_follow_the_profiles_age_or_are_not_looked_for) {
  mode(config::OutboxMode::online);
  // 200 s old: a live request for the config's 300 s, a replay for the profile's 120 s.
  BOOST_TEST(ask<sip2::CheckinResponse>(checkin(fake::book_barcode, date(-200s))).ok);
  BOOST_TEST(backend.count(Op::checkin) == 1);
  terminal.behaviour.offline.unflagged_min_age = 120s;
  now += 1min;
  BOOST_TEST(ask<sip2::CheckinResponse>(checkin(fake::book_barcode, date(-200s))).ok);
  BOOST_TEST(backend.count(Op::checkin) == 1, "a replay: left to the forwarder");
  BOOST_TEST(forwarder->run_due() == 1u);
  terminal.behaviour.offline.detect_unflagged = false;
  now += 1min;
  BOOST_TEST(ask<sip2::CheckinResponse>(checkin(fake::book_barcode, date(-2h))).ok);
  BOOST_TEST(backend.count(Op::checkin) == 3, "old, but live: detection is off");
}

BOOST_AUTO_TEST_CASE(a_replayed_checkout_applies_blocks_or_forces_them_as_the_profile_says) {
  mode(config::OutboxMode::online);
  backend.refuse_blocked_checkouts = true;
  ils::PatronAccount blocked;
  ils::Block b;
  b.borrowing = true;
  b.message = "Owes too much";
  blocked.blocks.push_back(b);
  blocked.borrowing_blocked = true;
  backend.set_account("p-1", blocked);
  auto replay_of = [&](const char* item) {
    auto q = checkout(item, date(-2h));
    q.no_block = true;
    return q;
  };
  // apply_blocks: no override; the library system's block refuses it later, and as the kiosk
  // had lent it already, that is an exception for staff.
  terminal.behaviour.offline.checkout_force = false;
  BOOST_TEST(ask<sip2::CheckoutResponse>(replay_of(fake::book_barcode)).ok);
  BOOST_TEST(forwarder->run_due() == 1u);
  BOOST_TEST(backend.count(Op::checkout) == 1);
  BOOST_TEST(backend.checkouts().empty(), "refused: the block applied");
  BOOST_TEST(jobs_in(outbox::State::exception) == 1u);
  // force (and the baseline's force_and_report): the block is overridden.
  terminal.behaviour.offline.checkout_force = true;
  BOOST_TEST(ask<sip2::CheckoutResponse>(replay_of(fake::dvd_barcode)).ok);
  BOOST_TEST(forwarder->run_due() == 1u);
  BOOST_REQUIRE(backend.checkouts().size() == 1u);
  BOOST_TEST(backend.checkouts()[0].override_blocks);
  BOOST_TEST(jobs_in(outbox::State::delivered) == 1u);
}

BOOST_AUTO_TEST_CASE(a_replay_forced_past_what_the_gateway_knows_is_reported_or_refused) {
  mode(config::OutboxMode::online);
  auto expired = fake::patron("p-1", fake::patron_barcode, "Ada Reader");
  expired.active = false;
  backend.update_patron(expired);
  auto q = checkout(fake::book_barcode, date(-2h));
  q.no_block = true;
  terminal.behaviour.offline.checkout_force = false;  // apply_blocks: refused like a live one
  const auto refused = handle(q);
  BOOST_TEST(!std::get<sip2::CheckoutResponse>(refused.response).ok);
  BOOST_TEST(jobs_in(outbox::State::queued) == 0u);
  terminal.behaviour.offline.checkout_force = true;  // force_and_report (the baseline)
  const auto reported = handle(q);
  BOOST_TEST(std::get<sip2::CheckoutResponse>(reported.response).ok);
  BOOST_TEST(reported.detail.find("forced past the patron's block") != std::string::npos,
             reported.detail);
  terminal.behaviour.offline.checkout_report = false;  // force
  auto other = checkout(fake::dvd_barcode, date(-2h));
  other.no_block = true;
  const auto quiet = handle(other);
  BOOST_TEST(std::get<sip2::CheckoutResponse>(quiet.response).ok);
  BOOST_TEST(quiet.detail.find("forced") == std::string::npos, quiet.detail);
}

BOOST_AUTO_TEST_CASE(a_replays_due_date_and_event_time_follow_the_profile) {
  mode(config::OutboxMode::online);
  auto q = checkout(fake::book_barcode, date(-2h));
  q.no_block = true;
  q.nb_due_date = date(14 * 24h);
  BOOST_TEST(ask<sip2::CheckoutResponse>(q).ok);
  terminal.behaviour.offline.trust_nb_due = false;      // recompute
  terminal.behaviour.offline.kiosk_event_time = false;  // receive_time
  auto r = checkout(fake::dvd_barcode, date(-2h));
  r.no_block = true;
  r.nb_due_date = date(14 * 24h);
  BOOST_TEST(ask<sip2::CheckoutResponse>(r).ok);
  BOOST_TEST(forwarder->run_due() == 2u);
  const auto sent = backend.checkouts();
  BOOST_REQUIRE(sent.size() == 2u);
  const auto& trusted = sent[0].item_barcode == fake::book_barcode ? sent[0] : sent[1];
  const auto& own = sent[0].item_barcode == fake::book_barcode ? sent[1] : sent[0];
  BOOST_TEST(trusted.due_date.has_value());
  BOOST_TEST((trusted.loan_date == std::optional<ils::Timestamp>(now - 2h)));
  BOOST_TEST(!own.due_date.has_value(), "the library system computes it");
  BOOST_TEST(!own.loan_date.has_value(), "the library system's clock dates it");
}

BOOST_AUTO_TEST_CASE(a_stale_replay_is_skipped_applied_and_flagged_or_applied) {
  using Guard = profiles::Behaviour::Offline::StaleGuard;
  mode(config::OutboxMode::online);
  // The item is lent now; a check-in the kiosk stored two hours ago comes later.
  auto stale_checkin = [&](Guard guard) {
    terminal.behaviour.offline.stale_guard = guard;
    BOOST_REQUIRE(ask<sip2::CheckoutResponse>(checkout(fake::book_barcode, date())).ok);
    auto q = checkin(fake::book_barcode, date(-2h));
    q.no_block = true;
    BOOST_REQUIRE(ask<sip2::CheckinResponse>(q).ok);
    BOOST_REQUIRE(forwarder->run_due() == 1u);
    now += 1min;
  };
  stale_checkin(Guard::skip);
  BOOST_TEST(jobs_in(outbox::State::exception) == 1u);
  BOOST_TEST(backend.count(Op::checkin) == 0, "the newer loan was left as it is");
  BOOST_TEST(journal->counters().stale_events.load() == 1u);
  BOOST_TEST(ask<sip2::CheckinResponse>(checkin(fake::book_barcode, date())).ok);  // live
  now += 1min;
  stale_checkin(Guard::apply_and_flag);
  BOOST_TEST(backend.count(Op::checkin) == 2);
  BOOST_TEST(journal->counters().stale_events.load() == 2u);
  BOOST_TEST(jobs_in(outbox::State::exception) == 1u);
  outbox::Filter delivered_checkins;
  delivered_checkins.state = outbox::State::delivered;
  delivered_checkins.op = outbox::Op::checkin;
  const auto flagged = journal->list(delivered_checkins);
  BOOST_TEST_REQUIRE(flagged.has_value());
  BOOST_TEST(std::any_of(flagged->begin(), flagged->end(), [](const outbox::Job& j) {
    return j.reason.find("stale replay applied") != std::string::npos;
  }));
  stale_checkin(Guard::none);
  BOOST_TEST(backend.count(Op::checkin) == 3);
  BOOST_TEST(journal->counters().stale_events.load() == 2u, "not even counted");
}

BOOST_AUTO_TEST_CASE(exceptions_go_to_the_log_only_when_the_profile_says_the_device_keeps_them) {
  mode(config::OutboxMode::online);
  terminal.behaviour.offline.exceptions = profiles::Behaviour::Offline::Exceptions::log;
  BOOST_REQUIRE(ask<sip2::CheckoutResponse>(checkout(fake::book_barcode, date())).ok);
  auto q = checkin(fake::book_barcode, date(-2h));
  q.no_block = true;
  BOOST_REQUIRE(ask<sip2::CheckinResponse>(q).ok);
  BOOST_REQUIRE(forwarder->run_due() == 1u);  // stale: cannot succeed
  BOOST_TEST(jobs_in(outbox::State::exception) == 0u);
  BOOST_TEST(jobs_in(outbox::State::dropped) == 1u);
  // A live request's refusal is the kiosk's own answer, not a logged-and-dropped exception.
  backend.script(Op::checkout, fake::Outcome::fail(ils::errc::rejected),
                 static_cast<int>(backend.count(Op::checkout)) + 1);
  const auto refused = ask<sip2::CheckoutResponse>(checkout(fake::dvd_barcode, date()));
  BOOST_TEST(!refused.ok);
  BOOST_TEST(jobs_in(outbox::State::refused) == 1u);
  BOOST_TEST(jobs_in(outbox::State::dropped) == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
