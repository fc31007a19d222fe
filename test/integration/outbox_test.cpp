// The outbox through the real gateway and emulator: a transaction retried from another connection
// gets its first outcome; an answer lost after the library system applied the change is read back,
// never repeated; the library system down in auto mode (kiosks answered offline, the backlog
// delivered in order when it is back); a kiosk's no-block replay; and the crash test: the gateway
// killed with SIGKILL twenty times under a closed-loop load of check-outs, check-ins, renewals and
// payments, reconciled against the emulator's ledger.
#define BOOST_TEST_MODULE integration_outbox
#include <boost/test/unit_test.hpp>

#include <sys/resource.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include "checks.hpp"
#include "gateway_stack.hpp"
#include "requests.hpp"

namespace integration {
namespace {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;
using Wall = std::chrono::system_clock;

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

/// `t` as a kiosk's SIP date in UTC: "YYYYMMDD   ZHHMMSS".
std::string sip_date(Wall::time_point t) {
  const std::time_t s = Wall::to_time_t(t);
  std::tm tm{};
  ::gmtime_r(&s, &tm);
  char buf[80];  // room for any value GCC's format check can imagine
  std::snprintf(buf, sizeof buf, "%04d%02d%02d   Z%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string f(std::string_view code, std::string_view value) {
  return std::string(code) + std::string(value) + "|";
}

const std::string kNoDate(18, ' ');

// Requests dated by the kiosk's own clock (`date`), as a retry repeats them.
std::string checkout_at(std::string_view date, std::string_view patron, std::string_view item,
                        std::string_view pin, bool no_block = false) {
  return std::string("11N") + (no_block ? "Y" : "N") + std::string(date) + kNoDate +
         f("AO", req::kInstitution) + f("AA", patron) + f("AB", item) + f("AC", "") + f("AD", pin);
}
std::string checkin_at(std::string_view date, std::string_view item, bool no_block = false) {
  return std::string("09") + (no_block ? "Y" : "N") + std::string(date) + std::string(date) +
         f("AP", req::kInstitution) + f("AO", req::kInstitution) + f("AB", item) + f("AC", "");
}
std::string renew_at(std::string_view date, std::string_view patron, std::string_view item,
                     std::string_view pin) {
  return "29NN" + std::string(date) + kNoDate + f("AO", req::kInstitution) + f("AA", patron) +
         f("AD", pin) + f("AB", item);
}
std::string pay_at(std::string_view date, std::string_view patron, std::string_view pin,
                   std::string_view amount) {
  return "37" + std::string(date) + "0100USD" + f("BV", amount) + f("AO", req::kInstitution) +
         f("AA", patron) + f("AD", pin);
}

/// Ledger entries of `action` (for `item` when not empty).
int ledger_count(const nlohmann::json& ledger, std::string_view action,
                 std::string_view item = {}) {
  int n = 0;
  for (const auto& e : ledger)
    if (e.value("action", "") == action && (item.empty() || e.value("item_barcode", "") == item))
      ++n;
  return n;
}

/// sip2gw_outbox_jobs{state="STATE"} or another one-label outbox series (0 when absent).
double metric(const std::string& metrics, const std::string& series) {
  const std::string line = "\n" + series + " ";  // a sample, not its # HELP or # TYPE line
  const auto at = metrics.find(line);
  return at == std::string::npos ? 0 : std::stod(metrics.substr(at + line.size()));
}

/// Waits until the gateway's metrics say the outbox holds no queued or in-flight job (they are
/// published every 5 s); the last metrics page.
std::string drained(GatewayStack& stack, std::chrono::seconds timeout) {
  const auto deadline = Steady::now() + timeout;
  std::string page;
  while (Steady::now() < deadline) {
    page = stack.admin_get("/metrics").second;
    if (contains(page, "\nsip2gw_outbox_depth ") && metric(page, "sip2gw_outbox_depth") == 0)
      return page;
    std::this_thread::sleep_for(200ms);
  }
  BOOST_FAIL("the outbox did not drain within " << timeout.count() << " s: " << page);
  return page;
}

/// Outbox mode online, the demo otherwise; kiosk dates up to a day old are not replays.
StackOptions online() {
  return {[](nlohmann::json& c) {
            c["outbox"]["mode"] = "online";
            c["outbox"]["offline"]["replay_min_age_seconds"] = 86400;
          },
          true};
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_retried_checkout_from_another_connection_gets_the_first_outcome) {
  GatewayStack stack(online());
  const std::string date = sip_date(Wall::now());
  const auto request = checkout_at(date, req::kAda, req::kAvailableBook, req::kAdaPin);
  auto first = stack.login();
  auto a = first.exchange(request, 15s);
  BOOST_REQUIRE(a.has_value());
  BOOST_TEST(fixed(*a, "ok") == "1");
  // The kiosk lost the answer and asks again on a new connection: same transaction date.
  auto second = stack.login();
  auto b = second.exchange(request, 15s);
  BOOST_REQUIRE(b.has_value());
  BOOST_TEST(fixed(*b, "ok") == "1", "the retry is the same transaction, not a refusal");
  BOOST_TEST(field(*b, "AH") == field(*a, "AH"));
  BOOST_TEST(ledger_count(stack.emulator_state("ledger"), "checkout", req::kAvailableBook) == 1);
  // A new transaction (a later date) is a new job: the library system refuses a second loan.
  auto c = second.exchange(
      checkout_at(sip_date(Wall::now() + 2s), req::kAda, req::kAvailableBook, req::kAdaPin), 15s);
  BOOST_REQUIRE(c.has_value());
  BOOST_TEST(ledger_count(stack.emulator_state("ledger"), "checkout", req::kAvailableBook) == 1);
}

BOOST_AUTO_TEST_CASE(answers_lost_after_the_change_are_read_back_never_repeated) {
  GatewayStack stack(online());
  auto kiosk = stack.login();
  struct Case {
    std::string prefix;
    std::string request;
    std::string action;
    std::string item;
  };
  const auto date = [](int s) { return sip_date(Wall::now() + std::chrono::seconds(s)); };
  const std::vector<Case> cases = {
      {"/circulation/check-out-by-barcode",
       checkout_at(date(0), req::kAda, req::kAvailableBook, req::kAdaPin), "checkout",
       std::string(req::kAvailableBook)},
      {"/circulation/renew-by-barcode",
       renew_at(date(1), req::kAda, req::kAvailableBook, req::kAdaPin), "renew",
       std::string(req::kAvailableBook)},
      {"/circulation/check-in-by-barcode", checkin_at(date(2), req::kAvailableBook), "checkin",
       std::string(req::kAvailableBook)},
      {"/accounts/", pay_at(date(3), req::kFarah, req::kFarahPin, "1.00"), "pay", ""},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.action) {
      const int before = ledger_count(stack.emulator_state("ledger"), c.action, c.item);
      BOOST_REQUIRE(stack.control("lose-answer", {{"prefix", c.prefix}, {"count", 1}}) == 200);
      auto a = kiosk.exchange(c.request, 30s);
      BOOST_REQUIRE(a.has_value());
      const std::string ok = a->command == "38" ? fixed(*a, "payment_accepted") : fixed(*a, "ok");
      BOOST_TEST((ok == "1" || ok == "Y"),
                 "applied, then found by the read-back: " << screen(*a) << "\n"
                                                          << stack.gateway_log());
      BOOST_TEST(ledger_count(stack.emulator_state("ledger"), c.action, c.item) == before + 1,
                 "applied once, not sent again");
    }
  }
}

BOOST_AUTO_TEST_CASE(an_outage_in_auto_mode_is_answered_offline_and_drained_in_order) {
  GatewayStack stack(
      {[](nlohmann::json& c) {
         c["outbox"]["mode"] = "auto";
         c["outbox"]["breaker"] = {
             {"min_calls", 2}, {"error_percent", 50}, {"window_seconds", 30}, {"open_seconds", 2}};
         c["outbox"]["forwarder"] = {{"backoff_base_ms", 200}, {"backoff_cap_seconds", 1}};
       },
       true});
  BOOST_REQUIRE_MESSAGE(stack.wait_for_full_pass(), stack.gateway_log());
  auto kiosk = stack.login();
  // The patron is validated once while the library system is up: the cache has her PIN.
  BOOST_REQUIRE(kiosk.exchange(req::patron_status(req::kAda, req::kAdaPin), 15s).has_value());
  BOOST_REQUIRE(stack.control("outage", {{"on", true}}) == 200);
  const std::vector<std::string> items = {"31234000000149", "31234000000156", "31234000000164"};
  int offline_answers = 0;
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto a = kiosk.exchange(checkout_at(sip_date(Wall::now() + std::chrono::seconds(i)), req::kAda,
                                        items[i], req::kAdaPin),
                            30s);
    BOOST_REQUIRE(a.has_value());
    BOOST_TEST(fixed(*a, "ok") == "1", "answered from local policy: " << screen(*a));
    if (contains(screen(*a), "offline")) ++offline_answers;
  }
  BOOST_TEST(offline_answers >= 2, "once the breaker opened, answers say they are offline");
  auto status = kiosk.exchange(req::sc_status(), 15s);
  BOOST_REQUIRE(status.has_value());
  BOOST_TEST(fixed(*status, "online_status") == "N", "98 says the gateway is forwarding");
  BOOST_TEST(ledger_count(stack.emulator_state("ledger"), "checkout") == 0);
  BOOST_REQUIRE(stack.control("outage", {{"on", false}}) == 200);
  drained(stack, 60s);
  const auto ledger = stack.emulator_state("ledger");
  std::vector<std::string> order;
  for (const auto& e : ledger)
    if (e.value("action", "") == "checkout") order.push_back(e.value("item_barcode", ""));
  BOOST_TEST(order == items, "delivered once each, in the order the kiosk lent them");
}

BOOST_AUTO_TEST_CASE(a_no_block_replay_of_a_blocked_patron_is_forced) {
  GatewayStack stack(online());
  auto kiosk = stack.login();
  // Boris's card was blocked at the library after the kiosk lent him a book offline.
  auto a = kiosk.exchange(
      checkout_at(sip_date(Wall::now() - 1h), req::kBoris, "31234000000172", "2222", true), 15s);
  BOOST_REQUIRE(a.has_value());
  BOOST_TEST(fixed(*a, "ok") == "1", screen(*a));
  const auto page = drained(stack, 60s);
  const auto ledger = stack.emulator_state("ledger");
  BOOST_TEST(metric(page, "sip2gw_outbox_jobs{state=\"delivered\"}") == 1, page);
  bool overridden = false;
  for (const auto& e : ledger)
    if (e.value("action", "") == "checkout" && e.value("item_barcode", "") == "31234000000172")
      overridden = e.contains("overridden");
  BOOST_TEST(overridden, "the loan went through the library's override: " << ledger.dump());
}

// Offline, a kiosk takes the patron's money up to what the identity cache says is owed. Each
// payment it took comes off that balance at once: 5.00 and then 4.50 of Farah's 9.50 are taken,
// a third payment is refused, and a retry of the second takes nothing more. Once the library
// system is back, the two payments are delivered once each.
BOOST_AUTO_TEST_CASE(offline_payments_are_taken_only_up_to_what_is_still_owed) {
  GatewayStack stack({[](nlohmann::json& c) {
                        c["outbox"]["mode"] = "offline";
                        c["outbox"]["offline"]["replay_min_age_seconds"] = 86400;
                      },
                      true});
  BOOST_REQUIRE_MESSAGE(stack.wait_for_full_pass(), stack.gateway_log());
  auto kiosk = stack.login();
  // Farah is validated while the library system is up: the cache has her PIN's verifier.
  BOOST_REQUIRE(kiosk.exchange(req::patron_status(req::kFarah, req::kFarahPin), 15s).has_value());
  BOOST_REQUIRE(stack.control("outage", {{"on", true}}) == 200);
  const auto date = [](int s) { return sip_date(Wall::now() + std::chrono::seconds(s)); };
  const auto accepted = [](const sip2::Message& m) { return fixed(m, "payment_accepted"); };

  auto first = kiosk.exchange(pay_at(date(0), req::kFarah, req::kFarahPin, "5.00"), 15s);
  BOOST_REQUIRE(first.has_value());
  BOOST_TEST(accepted(*first) == "Y", screen(*first));
  const auto second_request = pay_at(date(1), req::kFarah, req::kFarahPin, "4.50");
  auto second = kiosk.exchange(second_request, 15s);
  BOOST_REQUIRE(second.has_value());
  BOOST_TEST(accepted(*second) == "Y", "4.50 of 9.50 is still owed: " << screen(*second));
  auto third = kiosk.exchange(pay_at(date(2), req::kFarah, req::kFarahPin, "0.50"), 15s);
  BOOST_REQUIRE(third.has_value());
  BOOST_TEST(accepted(*third) == "N", "nothing is owed any more: " << screen(*third));
  auto retry = kiosk.exchange(second_request, 15s);
  BOOST_REQUIRE(retry.has_value());
  BOOST_TEST(accepted(*retry) == "Y", "a retry gets the first outcome: " << screen(*retry));

  BOOST_REQUIRE(stack.control("outage", {{"on", false}}) == 200);
  drained(stack, 60s);
  // A payment is booked on the fees it covers, one ledger entry each, all carrying its job.
  const auto ledger = stack.emulator_state("ledger");
  std::set<std::string> payments;
  long cents = 0;
  for (const auto& e : ledger)
    if (e.value("action", "") == "pay") {
      payments.insert(e.value("transaction_information", ""));
      cents += std::lround(std::stod(e.value("amount", "0")) * 100);
    }
  BOOST_TEST(payments.size() == 2u, ledger.dump());
  BOOST_TEST(cents == 950, ledger.dump());
}

/// Sets the running gateway's file size limit (RLIMIT_FSIZE, soft only): past it the kernel
/// refuses a write with EFBIG, as a full file system refuses one with ENOSPC.
bool limit_file_size(pid_t pid, rlim_t bytes) {
  struct rlimit now {};
  if (::prlimit(pid, RLIMIT_FSIZE, nullptr, &now) != 0) return false;
  struct rlimit next = now;
  next.rlim_cur = bytes;
  return ::prlimit(pid, RLIMIT_FSIZE, &next, nullptr) == 0;
}

/// Polls the metrics page (published every 5 s) until `series` has `value`; the last page.
std::string metric_reaches(GatewayStack& stack, const std::string& series, double value) {
  const auto deadline = Steady::now() + 20s;
  std::string page;
  while (Steady::now() < deadline) {
    page = stack.admin_get("/metrics").second;
    if (contains(page, "\n" + series + " ") && metric(page, series) == value) return page;
    std::this_thread::sleep_for(200ms);
  }
  BOOST_ERROR(series << " did not reach " << value << " within 20 s: " << page);
  return page;
}

// The store's file may not grow past its two LMDB meta pages (8 KiB): every commit fails as on
// a full disk. A check-out is then refused with a screen message, never acknowledged; the alert
// fires; the gateway stays up; and once there is room again the kiosk's retry goes through.
BOOST_AUTO_TEST_CASE(a_journal_that_cannot_be_written_refuses_the_change_and_raises_the_alert) {
  GatewayStack stack(online());
  BOOST_REQUIRE_MESSAGE(stack.wait_for_full_pass(), stack.gateway_log());
  auto kiosk = stack.login();
  const auto request =
      checkout_at(sip_date(Wall::now()), req::kAda, req::kAvailableBook, req::kAdaPin);
  BOOST_REQUIRE(limit_file_size(stack.gateway().pid(), 8192));

  auto refused = kiosk.exchange(request, 30s);
  BOOST_REQUIRE(refused.has_value());
  BOOST_TEST(refused->command == "12");
  BOOST_TEST(fixed(*refused, "ok") == "0");
  BOOST_TEST(contains(screen(*refused), "could not be recorded"), screen(*refused));
  BOOST_TEST(ledger_count(stack.emulator_state("ledger"), "checkout", req::kAvailableBook) == 0,
             "nothing reached the library system");
  const auto page = metric_reaches(stack, "sip2gw_store_write_fault", 1);
  BOOST_TEST(metric(page, "sip2gw_outbox_events_total{event=\"submit_failed\"}") >= 1, page);
  const auto [ready, why] = stack.admin_get("/readyz");
  BOOST_TEST(ready == 503);
  BOOST_TEST(contains(why, "disk is full"), why);
  BOOST_TEST(kiosk.exchange(req::sc_status(), 15s).has_value(), "the gateway is still up");

  BOOST_REQUIRE(limit_file_size(stack.gateway().pid(), RLIM_INFINITY));
  auto retried = kiosk.exchange(request, 30s);
  BOOST_REQUIRE(retried.has_value());
  BOOST_TEST(fixed(*retried, "ok") == "1", screen(*retried) << "\n" << stack.gateway_log());
  BOOST_TEST(ledger_count(stack.emulator_state("ledger"), "checkout", req::kAvailableBook) == 1);
  (void)metric_reaches(stack, "sip2gw_store_write_fault", 0);
  BOOST_TEST(stack.admin_get("/readyz").first == 200);
}

// The crash test. Four kiosks, each with its own patron and items, run check-out → renew →
// check-in cycles and one of them small payments, with transaction dates from a clock of their
// own (one second per request, so every real transaction has its own key). A kiosk that loses
// its connection reconnects and sends the same request again, as kiosks do. Meanwhile the
// gateway is killed with SIGKILL twenty times at random moments and restarted on the same data.
BOOST_AUTO_TEST_CASE(kill_nine_under_load_loses_nothing_and_duplicates_nothing) {
  GatewayStack stack(online());
  std::atomic<std::uint16_t> port{stack.sip_port()};
  std::atomic<bool> stop{false};
  struct Kiosk {
    std::string patron, pin;
    std::vector<std::string> items;
    bool pays = false;
  };
  const std::vector<Kiosk> kiosks = {
      {"21234000000133", "0133", {"31234000000180", "31234000000198"}, false},
      {"21234000000141", "0141", {"31234000000206", "31234000000214"}, false},
      {"21234000000158", "0158", {"31234000000222", "31234000000230"}, false},
      {std::string(req::kFarah), std::string(req::kFarahPin), {"31234000000248"}, true},
  };
  struct Tally {
    std::map<std::string, int> checkouts, checkins, renewals;
    int payments = 0;
    int requests = 0;
    int retried = 0;  ///< requests sent again after a lost connection
  };
  std::vector<Tally> tallies(kiosks.size());
  std::mutex failures_mutex;
  std::vector<std::string> failures;

  auto run_kiosk = [&](std::size_t k) {
    const auto& me = kiosks[k];
    auto& tally = tallies[k];
    // Each kiosk's clock: an hour ago, one second per request (kept inside the day).
    auto clock = Wall::now() - 1h + std::chrono::minutes(10 * k);
    std::optional<SipClient> conn;
    // Sends `body` until it gets an answer, reconnecting (and logging in) across restarts.
    auto answer = [&](const std::string& body) -> std::optional<sip2::Message> {
      bool resent = false;
      const auto give_up = Steady::now() + 120s;
      while (Steady::now() < give_up) {
        if (!conn) {
          auto c = SipClient::connect(port.load());
          if (!c) {
            std::this_thread::sleep_for(50ms);
            continue;
          }
          auto in = c->exchange(req::login("kiosk1", req::kTerminalPassword), 10s);
          if (!in || fixed(*in, "ok") != "1") {
            std::this_thread::sleep_for(50ms);
            continue;
          }
          conn = std::move(*c);
        }
        if (resent) ++tally.retried;
        auto a = conn->exchange(body, 30s);
        if (a) return std::move(*a);
        conn.reset();  // killed under us: the same request again
        resent = true;
      }
      return std::nullopt;
    };
    auto ok_of = [](const sip2::Message& m) {
      return m.command == "38" ? fixed(m, "payment_accepted") == "Y" : fixed(m, "ok") == "1";
    };
    std::map<std::string, int> state;  // item → renewals of its current loan, -1 when on shelf
    for (const auto& i : me.items)
      state[i] = -1;
    std::size_t turn = 0;
    int unpaid = 900;  // Farah owes 9.50: at most 900 payments of 0.01
    while (!stop.load()) {
      const std::string& item = me.items[turn++ % me.items.size()];
      clock += 1s;
      const std::string date = sip_date(clock);
      std::string body;
      std::string op;
      if (me.pays && unpaid > 0 && turn % 2 == 0) {
        body = pay_at(date, me.patron, me.pin, "0.01");
        op = "pay";
      } else if (state[item] < 0) {
        body = checkout_at(date, me.patron, item, me.pin);
        op = "checkout";
      } else if (state[item] < 2 && turn % 3 == 0) {
        body = renew_at(date, me.patron, item, me.pin);
        op = "renew";
      } else {
        body = checkin_at(date, item);
        op = "checkin";
      }
      ++tally.requests;
      auto a = answer(body);
      if (!a) {
        const std::lock_guard lock(failures_mutex);
        failures.push_back(op + " " + item + ": no answer within 120 s");
        return;
      }
      if (!ok_of(*a)) continue;  // refused or "try again": a new transaction next turn
      if (op == "pay") {
        ++tally.payments;
        --unpaid;
      } else if (op == "checkout") {
        ++tally.checkouts[item];
        state[item] = 0;
      } else if (op == "renew") {
        ++tally.renewals[item];
        ++state[item];
      } else {
        ++tally.checkins[item];
        state[item] = -1;
      }
    }
  };

  std::vector<std::thread> threads;
  for (std::size_t k = 0; k < kiosks.size(); ++k)
    threads.emplace_back(run_kiosk, k);
  std::mt19937 rng(20261206);
  std::uniform_int_distribution<int> pause(150, 700);
  int kills = 0;
  for (; kills < 20; ++kills) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pause(rng)));
    stack.gateway().kill_now();
    stack.start_gateway();
    port = stack.sip_port();
  }
  std::this_thread::sleep_for(1s);
  stop = true;
  for (auto& t : threads)
    t.join();
  for (const auto& f : failures)
    BOOST_ERROR(f);

  const auto page = drained(stack, 120s);
  const auto ledger = stack.emulator_state("ledger");
  Tally all;
  for (const auto& t : tallies) {
    all.requests += t.requests;
    all.retried += t.retried;
    all.payments += t.payments;
    for (const auto& [i, n] : t.checkouts)
      all.checkouts[i] += n;
    for (const auto& [i, n] : t.checkins)
      all.checkins[i] += n;
    for (const auto& [i, n] : t.renewals)
      all.renewals[i] += n;
  }
  int acknowledged = all.payments, delivered = 0, duplicates = 0, lost = 0;
  for (const auto& k : kiosks)
    for (const auto& item : k.items) {
      for (const auto& [action, seen] :
           {std::pair{"checkout", all.checkouts[item]}, std::pair{"checkin", all.checkins[item]},
            std::pair{"renew", all.renewals[item]}}) {
        const int applied = ledger_count(ledger, action, item);
        acknowledged += seen;
        delivered += applied;
        if (applied > seen) duplicates += applied - seen;
        if (applied < seen) lost += seen - applied;
        BOOST_TEST(applied == seen, action << " " << item << ": kiosk saw " << seen
                                           << " acknowledged, the library applied " << applied);
      }
    }
  int paid = 0;
  for (const auto& e : ledger)
    if (e.value("action", "") == "pay" && e.value("user_barcode", "") == req::kFarah) ++paid;
  delivered += paid;
  BOOST_TEST(paid == all.payments, "payments: kiosk saw " << all.payments << ", library " << paid);
  if (paid > all.payments) duplicates += paid - all.payments;
  if (paid < all.payments) lost += all.payments - paid;
  // The outbox's own view: nothing left to deliver, nothing for staff.
  BOOST_TEST(metric(page, "sip2gw_outbox_jobs{state=\"exception\"}") == 0);
  BOOST_TEST(metric(page, "sip2gw_outbox_jobs{state=\"queued\"}") == 0);
  BOOST_TEST(metric(page, "sip2gw_outbox_jobs{state=\"in_flight\"}") == 0);
  BOOST_TEST(kills == 20);
  BOOST_TEST(all.retried > 0, "no request was ever cut off by a kill: the test proves nothing");
  BOOST_TEST_MESSAGE("crash test: " << kills << " kills, " << all.requests << " transactions, "
                                    << all.retried << " sent again after a kill, " << acknowledged
                                    << " acknowledged, " << delivered << " delivered, "
                                    << duplicates << " duplicates, " << lost << " lost");
  std::printf(
      "crash test: %d kills, %d transactions, %d sent again after a kill, %d acknowledged, "
      "%d delivered, %d duplicates, %d lost\n",
      kills, all.requests, all.retried, acknowledged, delivered, duplicates, lost);
}

}  // namespace integration
