// FOLIO patron operations over HTTP: PIN and password checks, the account of SIP 23/63,
// fee payment, block and enable, and capability flags.
#define BOOST_TEST_MODULE ils_folio_patron
#include <boost/test/unit_test.hpp>

#include "fake_folio.hpp"
#include "ils/folio/folio_json.hpp"

using fake::FakeFolio;
using fake::Json;

namespace {

const ils::PatronRef patron{fake::patron_id, "929074568588779"};
constexpr const char* fee_a = "8bd34ff2-f9f2-43b6-9bc8-6a8ac4e6e1f3";
constexpr const char* fee_b = "0c0ffee0-1111-4222-8333-944455556666";

ils::Patron folio_patron() {
  return ils::folio::patron_from_json(Json::parse(fake::fixture("user.json")));
}

/// Two open fees: A with 2.50 and B with 4.00 remaining; pay answers from the fixture.
void serve_fees(FakeFolio& folio) {
  folio.server().Get("/accounts", [](const httplib::Request&, httplib::Response& res) {
    Json a = Json::parse(fake::fixture("account.json"));
    Json b = a;
    b["id"] = fee_b;
    b["remaining"] = 4.0;
    res.set_content(Json{{"accounts", {a, b}}, {"totalRecords", 2}}.dump(), "application/json");
  });
  folio.server().Post(R"(/accounts/([-0-9a-f]+)/pay)",
                      [](const httplib::Request&, httplib::Response& res) {
                        res.status = 201;
                        res.set_content(fake::fixture("pay-response.json"), "application/json");
                      });
  folio.server().Post("/accounts-bulk/pay", [](const httplib::Request&, httplib::Response& res) {
    res.status = 201;
    res.set_content(R"({"amount":"5.00","remainingAmount":"1.50","feefineactions":[]})",
                    "application/json");
  });
}

/// Manual blocks kept in memory so that create and list agree.
struct BlockStore {
  std::mutex mutex;
  Json blocks = Json::parse(fake::fixture("manualblocks.json"))["manualblocks"];
  int created = 0;
};

void serve_blocks(FakeFolio& folio, BlockStore& store) {
  folio.server().Get("/manualblocks", [&store](const httplib::Request&, httplib::Response& res) {
    std::lock_guard lock(store.mutex);
    res.set_content(Json{{"manualblocks", store.blocks}}.dump(), "application/json");
  });
  folio.server().Post(
      "/manualblocks", [&store](const httplib::Request& req, httplib::Response& res) {
        std::lock_guard lock(store.mutex);
        Json block = Json::parse(req.body);
        block["id"] = "b10c0000-0000-4000-8000-00000000000" + std::to_string(++store.created);
        store.blocks.push_back(block);
        res.status = 201;
        res.set_content(block.dump(), "application/json");
      });
  folio.server().Delete(R"(/manualblocks/([-0-9a-f]+))",
                        [](const httplib::Request&, httplib::Response& res) { res.status = 204; });
  folio.server().Get(R"(/automated-patron-blocks/([-0-9a-f]+))", [](const httplib::Request&,
                                                                    httplib::Response& res) {
    res.set_content(fake::fixture("automated-patron-blocks.json"), "application/json");
  });
}

}  // namespace

BOOST_AUTO_TEST_CASE(verifies_a_pin_through_patron_pin_verify) {
  FakeFolio folio;
  folio.server().Post("/patron-pin/verify",
                      [](const httplib::Request& req, httplib::Response& res) {
                        res.status = Json::parse(req.body)["pin"] == "1234" ? 200 : 422;
                      });
  folio.start();
  auto backend = ils::folio::make_backend(folio.config());
  auto good = backend->verify_credential(fake::context(), folio_patron(), "1234");
  auto bad = backend->verify_credential(fake::context(), folio_patron(), "9999");
  auto empty = backend->verify_credential(fake::context(), folio_patron(), "");
  BOOST_TEST_REQUIRE(good.has_value());
  BOOST_TEST_REQUIRE(bad.has_value());
  BOOST_TEST_REQUIRE(empty.has_value());
  BOOST_TEST((*good == ils::CredentialCheck::valid));
  BOOST_TEST((*bad == ils::CredentialCheck::invalid));
  BOOST_TEST((*empty == ils::CredentialCheck::invalid));
  const auto seen = folio.seen("/patron-pin/verify");
  BOOST_TEST_REQUIRE(seen.size() == 2U);
  BOOST_TEST(seen[0].json()["id"] == fake::patron_id);
  BOOST_TEST(seen[0].header("accept") == "text/plain");
  BOOST_TEST(seen[0].header("X-Okapi-Token") == "access-1");
}

BOOST_AUTO_TEST_CASE(verifies_a_password_with_the_patrons_own_login) {
  FakeFolio folio;
  folio.start();
  auto config = folio.config();
  config.patron_verification = ils::CredentialMode::password;
  auto backend = ils::folio::make_backend(config);
  BOOST_TEST((backend->capabilities().credential == ils::CredentialMode::password));
  auto good = backend->verify_credential(fake::context(), folio_patron(), "secret");
  auto bad = backend->verify_credential(fake::context(), folio_patron(), "nope");
  BOOST_TEST_REQUIRE(good.has_value());
  BOOST_TEST_REQUIRE(bad.has_value());
  BOOST_TEST((*good == ils::CredentialCheck::valid));
  BOOST_TEST((*bad == ils::CredentialCheck::invalid));
  const auto logins = folio.seen("/authn/login-with-expiry");
  BOOST_TEST_REQUIRE(logins.size() == 2U);
  BOOST_TEST(logins[0].json()["username"] == "jhandey");
  BOOST_TEST(logins[0].header("X-Okapi-Token").empty());
  BOOST_TEST(logins[0].header("X-Okapi-Tenant") == "diku");
}

BOOST_AUTO_TEST_CASE(patron_account_combines_blocks_fees_loans_and_holds) {
  FakeFolio folio;
  BlockStore store;
  serve_blocks(folio, store);
  serve_fees(folio);
  folio.server().Get("/circulation/loans", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"loans":[)" + fake::fixture("loan.json") + "]}", "application/json");
  });
  folio.server().Get(
      "/circulation/requests", [](const httplib::Request& req, httplib::Response& res) {
        const bool holds = req.get_param_value("query").starts_with("requesterId");
        res.set_content(holds ? R"({"requests":[)" + fake::fixture("request.json") + "]}"
                              : std::string(R"({"requests":[]})"),
                        "application/json");
      });
  folio.start();
  auto backend = ils::folio::make_backend(folio.config());
  auto account = backend->patron_account(fake::context(), patron, {});
  BOOST_TEST_REQUIRE(account.has_value());
  BOOST_TEST(account->blocks.size() == 3U);
  BOOST_TEST(account->borrowing_blocked);
  BOOST_TEST(account->renewals_blocked);
  BOOST_TEST(account->requests_blocked);
  BOOST_TEST(account->fee_total == 650);
  BOOST_TEST(account->loans.size() == 1U);
  BOOST_TEST(account->overdue_count == 1U);
  BOOST_TEST(account->holds_available.size() == 1U);
  BOOST_TEST(account->holds_unavailable.empty());
  BOOST_TEST(account->recalls.empty());
  BOOST_TEST(folio.seen("/accounts").at(0).param("query") ==
             R"(userId=="4f0e711c-d583-41e0-9555-b62f1725023f" and status.name=="Open")");
  BOOST_TEST(folio.seen("/accounts").at(0).param("limit") == "1000");
}

BOOST_AUTO_TEST_CASE(pays_part_of_one_fee_named_by_an_id_prefix) {
  FakeFolio folio;
  serve_fees(folio);
  folio.start();
  auto backend = ils::folio::make_backend(folio.config());
  auto paid = backend->pay_fee(fake::context(), {patron, "8bd34ff2", 150, "", "job-42", "", ""});
  BOOST_TEST_REQUIRE(paid.has_value());
  BOOST_TEST(paid->paid == 150);
  BOOST_TEST(paid->remaining == 100);
  BOOST_TEST_REQUIRE(paid->fees.size() == 1U);
  BOOST_TEST(paid->fees[0].fee_id == fee_a);
  BOOST_TEST(paid->fees[0].remaining == 100);
  const auto seen = folio.seen("/accounts/" + std::string(fee_a) + "/pay");
  BOOST_TEST_REQUIRE(seen.size() == 1U);
  const Json body = seen[0].json();
  BOOST_TEST(body["amount"] == "1.50");
  BOOST_TEST(body["paymentMethod"] == "Credit Card");
  BOOST_TEST(body["notifyPatron"] == true);
  BOOST_TEST(body["servicePointId"] == fake::service_point);
  BOOST_TEST(body["userName"] == "sip2gw");
  BOOST_TEST(body["transactionInfo"] == "job-42");
}

BOOST_AUTO_TEST_CASE(pays_open_fees_in_bulk_without_a_fee_id) {
  FakeFolio folio;
  serve_fees(folio);
  folio.start();
  auto backend = ils::folio::make_backend(folio.config());
  auto paid = backend->pay_fee(fake::context(), {patron, "", 500, "Cash", "", "kiosk-3", ""});
  BOOST_TEST_REQUIRE(paid.has_value());
  BOOST_TEST(paid->remaining == 150);
  const Json body = folio.seen("/accounts-bulk/pay").at(0).json();
  BOOST_TEST((body["accountIds"] == Json{fee_a, fee_b}));
  BOOST_TEST(body["amount"] == "5.00");
  BOOST_TEST(body["paymentMethod"] == "Cash");
  BOOST_TEST(body["userName"] == "kiosk-3");
}

BOOST_AUTO_TEST_CASE(refuses_overpayment_before_calling_folio_pay) {
  FakeFolio folio;
  serve_fees(folio);
  folio.start();
  auto backend = ils::folio::make_backend(folio.config());
  auto one = backend->pay_fee(fake::context(), {patron, fee_a, 251, "", "", "", ""});
  auto all = backend->pay_fee(fake::context(), {patron, "", 651, "", "", "", ""});
  auto zero = backend->pay_fee(fake::context(), {patron, "", 0, "", "", "", ""});
  auto unknown = backend->pay_fee(fake::context(), {patron, "ffff", 100, "", "", "", ""});
  for (const auto* result : {&one, &all, &zero}) {
    BOOST_TEST_REQUIRE(!result->has_value());
    BOOST_TEST((result->error().code == ils::errc::rejected));
  }
  BOOST_TEST(one.error().message == "Requested amount exceeds remaining amount");
  BOOST_TEST_REQUIRE(!unknown.has_value());
  BOOST_TEST((unknown.error().code == ils::errc::not_found));
  BOOST_TEST(folio.count("/accounts-bulk/pay") == 0U);
  BOOST_TEST(folio.count("/accounts/" + std::string(fee_a) + "/pay") == 0U);
}

BOOST_AUTO_TEST_CASE(block_patron_creates_one_marked_manual_block) {
  FakeFolio folio;
  BlockStore store;
  store.blocks = Json::array();
  serve_blocks(folio, store);
  folio.start();
  auto backend = ils::folio::make_backend(folio.config());
  auto first = backend->block_patron(fake::context(), {patron, "Card reported stolen", true});
  auto second = backend->block_patron(fake::context(), {patron, "Card reported stolen", true});
  BOOST_TEST_REQUIRE(first.has_value());
  BOOST_TEST_REQUIRE(second.has_value());
  BOOST_TEST(first->created_by_gateway);
  BOOST_TEST(first->borrowing);
  BOOST_TEST(first->message == "Card reported stolen");
  BOOST_TEST(second->id == first->id);
  const auto posts = folio.seen("/manualblocks");
  std::size_t created = 0;
  for (const auto& seen : posts) {
    if (seen.method != "POST") continue;
    ++created;
    const Json body = seen.json();
    BOOST_TEST(body["desc"] == "[sip2gw] Card reported stolen");
    BOOST_TEST(body["userId"] == fake::patron_id);
    BOOST_TEST(body["requests"] == true);
  }
  BOOST_TEST(created == 1U);
}

BOOST_AUTO_TEST_CASE(enable_patron_lifts_only_the_gateways_own_blocks) {
  FakeFolio folio;
  BlockStore store;
  serve_blocks(folio, store);
  folio.start();
  auto backend = ils::folio::make_backend(folio.config());
  auto result = backend->enable_patron(fake::context(), patron);
  BOOST_TEST_REQUIRE(result.has_value());
  BOOST_TEST(result->removed == 1U);
  BOOST_TEST_REQUIRE(result->remaining.size() == 2U);
  BOOST_TEST(result->remaining[0].id == "46399627-08a9-414f-b91c-a8a7ec850d03");
  BOOST_TEST((result->remaining[1].source == ils::BlockSource::automated));
  std::vector<std::string> deleted;
  for (const auto& seen : folio.seen())
    if (seen.method == "DELETE") deleted.push_back(seen.path);
  BOOST_TEST(
      (deleted == std::vector<std::string>{"/manualblocks/a1b1c1d1-1111-4222-8333-944455556666"}));
}

BOOST_AUTO_TEST_CASE(capabilities_follow_the_configuration) {
  FakeFolio folio;
  folio.start();
  auto config = folio.config();
  config.cancellation_reason_id.clear();
  BOOST_TEST(!ils::folio::make_backend(config)->capabilities().cancel_hold);
  config.cancellation_reason_id = "75187e8d-e25a-47a7-89ad-23ba612338de";
  const ils::Capabilities defaults = ils::folio::make_backend(config)->capabilities();
  BOOST_TEST(defaults.hold);
  BOOST_TEST(defaults.cancel_hold);
  BOOST_TEST(defaults.fee_paid);
  BOOST_TEST(defaults.block_patron);
  BOOST_TEST(defaults.enable_patron);
  BOOST_TEST(defaults.renew_all);
  BOOST_TEST(!defaults.item_status_update);
  BOOST_TEST((defaults.credential == ils::CredentialMode::pin));

  config.enabled.hold = false;
  config.enabled.fee_paid = false;
  config.enabled.block_patron = false;
  config.enabled.item_status_update = true;
  auto backend = ils::folio::make_backend(config);
  const ils::Capabilities caps = backend->capabilities();
  BOOST_TEST(!caps.hold);
  BOOST_TEST(!caps.fee_paid);
  BOOST_TEST(!caps.item_status_update);
  auto hold = backend->place_hold(fake::context(), {patron, "10101", "", std::nullopt});
  auto paid = backend->pay_fee(fake::context(), {patron, "", 100, "", "", "", ""});
  auto blocked = backend->block_patron(fake::context(), {patron, "", false});
  auto status = backend->update_item_status(fake::context(), "10101", "");
  for (const ils::Failure& failure : {hold.error(), paid.error(), blocked.error(), status.error()})
    BOOST_TEST((failure.code == ils::errc::not_supported));
  BOOST_TEST(folio.seen().empty());
}
