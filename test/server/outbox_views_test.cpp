// What staff see of outbox jobs: list lines, details, CSV fields and JSON hold pseudonyms but no
// identifier unless revealed; local times; reasons staff may give; the admin hooks' answers
// (exceptions queue, counts, retry, drop) on a real journal.
#define BOOST_TEST_MODULE outbox_views
#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

#include "../support/temp_dir.hpp"
#include "crypto/key_ring.hpp"
#include "outbox/ils_json.hpp"
#include "outbox/outbox.hpp"
#include "server/outbox_admin_hooks.hpp"
#include "server/outbox_views.hpp"
#include "store/store.hpp"

namespace {

using namespace std::chrono_literals;
using outbox::Job;
using outbox::State;
using outbox::Time;

constexpr const char* patron_barcode = "21234000000018";
constexpr const char* item_barcode = "31234000000016";

/// 2026-12-06 18:00:01.250 UTC.
Time start_time() {
  return std::chrono::sys_days{std::chrono::year{2026} / 12 / 6} + 18h + 1s + 250ms;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// A journal on a real store and key file, with a wall clock the test sets.
struct Journal {
  test_support::TempDir dir{"outbox-views"};
  Time now = start_time();
  std::unique_ptr<store::Env> env;
  std::unique_ptr<outbox::Outbox> box;

  Journal() {
    auto keys = crypto::create_key_file(dir.path() / "keys.json");
    BOOST_REQUIRE_MESSAGE(keys.has_value(), (keys ? "" : keys.error()));
    store::Options o;
    o.dir = dir.path() / "store";
    o.durability = store::Durability::no_sync;
    const std::vector<std::string_view> dbs(outbox::Outbox::databases.begin(),
                                            outbox::Outbox::databases.end());
    auto e = store::Env::open(o, dbs);
    BOOST_REQUIRE_MESSAGE(e.has_value(), (e ? "" : e.error()));
    env = std::move(*e);
    box = std::make_unique<outbox::Outbox>(
        *env, std::make_shared<const crypto::KeyRing>(std::move(*keys)), outbox::Options{},
        [this] { return now; });
  }

  /// A check-out of the demo book by the demo patron, journalled; `n` tells transactions apart.
  Job checkout(int n = 0) {
    ils::CheckoutRequest q;
    q.patron = {"P1", patron_barcode};
    q.item_barcode = item_barcode;
    outbox::NewJob j;
    j.op = outbox::Op::checkout;
    j.institution = "MAIN";
    j.patron_identifier = patron_barcode;
    j.item_identifier = item_barcode;
    j.discriminator = "20261206    19000" + std::to_string(n);
    j.args = q;
    j.acknowledged = true;
    auto s = box->submit(j);
    BOOST_REQUIRE(s.has_value());
    return s->job;
  }

  /// The job moved to the exceptions queue as the forwarder would after a refusal.
  Job to_exception(Job job, std::string reason) {
    job.state = State::exception;
    job.attempts = 1;
    job.finished = now + 2s;
    job.reason = std::move(reason);
    job.read_backs.push_back({now + 1s, outbox::Finding::not_applied});
    BOOST_REQUIRE(box->save(job, State::queued).has_value());
    auto found = box->find(job.id);
    BOOST_REQUIRE(found.has_value() && found->has_value());
    return **found;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(times_are_shown_on_the_wall_clock_of_the_zone) {
  BOOST_TEST(server::local_time(start_time(), zone::TimeZone()) == "2026-12-06 18:00:01");
  const auto berlin = zone::TimeZone::locate("Europe/Berlin");
  BOOST_TEST_REQUIRE(berlin.has_value());
  BOOST_TEST(server::local_time(start_time(), *berlin) == "2026-12-06 19:00:01");
  BOOST_TEST(server::local_time(Time{}, *berlin) == "-");
  BOOST_TEST(server::utc_time(start_time()) == "2026-12-06T18:00:01.250Z");
}

BOOST_AUTO_TEST_CASE(reasons_staff_give_must_be_one_short_line) {
  BOOST_TEST(server::reason_problem("returned, see desk note").empty());
  BOOST_TEST(!server::reason_problem("").empty());
  BOOST_TEST(!server::reason_problem("  ").empty());
  BOOST_TEST(!server::reason_problem("two\nlines").empty());
  BOOST_TEST(!server::reason_problem(std::string(501, 'x')).empty());
  BOOST_TEST(server::reason_problem(std::string(500, 'x')).empty());
}

BOOST_AUTO_TEST_CASE(list_details_csv_and_json_show_pseudonyms_never_identifiers) {
  Journal j;
  const Job job = j.to_exception(j.checkout(), "refused after the kiosk was told yes: no loan");
  const zone::TimeZone utc;
  const std::string line = server::job_line(job, utc);
  BOOST_TEST(contains(line, std::to_string(job.id) + " "), line);
  BOOST_TEST(contains(line, "checkout"), line);
  BOOST_TEST(contains(line, "exception"), line);
  BOOST_TEST(contains(line, "2026-12-06 18:00:01  2026-12-06 18:00:03"), line);
  BOOST_TEST(contains(line, job.patron), line);
  BOOST_TEST(contains(line, job.item), line);
  BOOST_TEST(contains(line, "no loan"), line);
  BOOST_TEST(job.patron.rfind("p:", 0) == 0);

  const std::string details = server::job_details(job, utc, false);
  for (const char* part : {"op             checkout", "state          exception",
                           "institution    MAIN", "attempts       1", "not_applied", "acknowledged",
                           "request        sealed", "result         none yet"})
    BOOST_TEST(contains(details, part), part << " in " << details);
  BOOST_TEST(contains(details, job.reference()), details);

  const std::string json = server::json_text(server::job_json(job));
  const auto fields = server::csv_fields(job, utc);
  BOOST_TEST(fields.size() == server::csv_header().size());
  BOOST_TEST(fields[3] == "exception");
  BOOST_TEST(fields[9] == "not_applied 2026-12-06 18:00:02");
  for (const std::string& text :
       {line, details, json, fields[0] + fields[5] + fields[6] + fields[7] + fields[9]}) {
    BOOST_TEST(!contains(text, patron_barcode), text);
    BOOST_TEST(!contains(text, item_barcode), text);
  }
  BOOST_TEST(!contains(json, "args"), json);
}

BOOST_AUTO_TEST_CASE(details_reveal_the_request_only_when_asked) {
  Journal j;
  const Job job = j.checkout();
  const std::string revealed = server::job_details(job, zone::TimeZone(), true);
  BOOST_TEST(contains(revealed, item_barcode), revealed);
  BOOST_TEST(contains(revealed, patron_barcode), revealed);
  BOOST_TEST(!contains(server::job_details(job, zone::TimeZone(), false), item_barcode));
}

BOOST_AUTO_TEST_CASE(admin_hooks_list_the_exceptions_and_count) {
  Journal j;
  const Job delivered_later = j.checkout(1);
  const Job first = j.to_exception(j.checkout(2), "first");
  const Job second = j.to_exception(j.checkout(3), "second");
  auto hooks = server::outbox_admin_hooks(*j.box);
  auto reply = hooks.exceptions(0, 100);
  BOOST_TEST(reply.status == 200);
  auto body = nlohmann::json::parse(reply.json);
  BOOST_TEST_REQUIRE(body["jobs"].size() == 2u);
  BOOST_TEST(body["jobs"][0]["id"] == first.id);
  BOOST_TEST(body["jobs"][1]["reason"] == "second");
  BOOST_TEST(body["next_after"].is_null());
  BOOST_TEST(!contains(reply.json, item_barcode), reply.json);
  // A page of one says where the next begins.
  body = nlohmann::json::parse(hooks.exceptions(0, 1).json);
  BOOST_TEST(body["jobs"].size() == 1u);
  BOOST_TEST(body["next_after"] == first.id);
  body = nlohmann::json::parse(hooks.exceptions(first.id, 100).json);
  BOOST_TEST_REQUIRE(body["jobs"].size() == 1u);
  BOOST_TEST(body["jobs"][0]["id"] == second.id);

  reply = hooks.stats();
  BOOST_TEST(reply.status == 200);
  body = nlohmann::json::parse(reply.json);
  BOOST_TEST(body["by_state"]["exception"] == 2);
  BOOST_TEST(body["by_state"]["queued"] == 1);
  BOOST_TEST(body["depth"] == 1);
  BOOST_TEST(body["oldest_unfinished_age_seconds"].is_number());
  BOOST_TEST(outbox::name_of(delivered_later.state) == "queued");
}

BOOST_AUTO_TEST_CASE(admin_hooks_retry_and_drop_say_why_they_refuse) {
  Journal j;
  const Job job = j.to_exception(j.checkout(), "refused");
  auto hooks = server::outbox_admin_hooks(*j.box);

  auto reply = hooks.drop(job.id, "");
  BOOST_TEST(reply.status == 400, reply.json);
  reply = hooks.drop(job.id + 100, "gone");
  BOOST_TEST(reply.status == 404, reply.json);
  reply = hooks.retry(job.id + 100);
  BOOST_TEST(reply.status == 404, reply.json);

  reply = hooks.retry(job.id);
  BOOST_TEST_REQUIRE(reply.status == 200, reply.json);
  auto body = nlohmann::json::parse(reply.json);
  BOOST_TEST(body["job"]["state"] == "queued");
  BOOST_TEST(contains(body["job"]["reason"].get<std::string>(), "retried by staff"));
  // Queued jobs may be retried (due now) and dropped.
  reply = hooks.drop(job.id, "returned at the desk, see note");
  BOOST_TEST_REQUIRE(reply.status == 200, reply.json);
  body = nlohmann::json::parse(reply.json);
  BOOST_TEST(body["job"]["state"] == "dropped");
  BOOST_TEST(body["job"]["reason"] == "dropped by staff: returned at the desk, see note");
  BOOST_TEST(!body["job"]["finished"].is_null());

  reply = hooks.drop(job.id, "again");
  BOOST_TEST(reply.status == 409, reply.json);
  BOOST_TEST(contains(reply.json, "is dropped"), reply.json);
  reply = hooks.retry(job.id);
  BOOST_TEST(reply.status == 409, reply.json);
  auto found = j.box->find(job.id);
  BOOST_TEST_REQUIRE((found.has_value() && found->has_value()));
  BOOST_TEST(outbox::name_of((*found)->state) == "dropped");
}
