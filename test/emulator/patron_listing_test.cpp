// Users listing over generated patrons: keyset CQL, value lists, updatedDate, determinism, and
// the control API's patron changes.
#define BOOST_TEST_MODULE emulator_patron_listing
#include <boost/test/unit_test.hpp>

#include <set>

#include "cli_options.hpp"
#include "small_library.hpp"

namespace {

using emulator_test::json;
using emulator_test::small_library;
using ils_emulator::Collection;
using ils_emulator::Paging;
using ils_emulator::SyntheticPatrons;

json query(ils_emulator::Library& library, Collection c, const std::string& cql,
           std::size_t limit = 1000) {
  auto result = library.query(c, cql, Paging{0, limit});
  BOOST_TEST_REQUIRE(result.has_value(), cql << ": " << result.error().text);
  return *result;
}

std::unique_ptr<ils_emulator::Library> generated(std::size_t n) {
  auto library = small_library();
  library->generate_patrons(n);
  return library;
}

json by_barcode(ils_emulator::Library& library, const std::string& barcode) {
  const json found = query(library, Collection::users, "barcode==\"" + barcode + "\"");
  BOOST_TEST_REQUIRE(found["totalRecords"] == 1);
  return found["users"][0];
}

}  // namespace

BOOST_AUTO_TEST_CASE(generates_the_documented_patrons_deterministically) {
  auto a = generated(3000);
  auto b = generated(3000);
  const json all = query(*a, Collection::users, "cql.allRecords=1", 0);
  const auto seeded = query(*small_library(), Collection::users, "cql.allRecords=1", 0);
  BOOST_TEST(all["totalRecords"].get<int>() == seeded["totalRecords"].get<int>() + 3000);

  const auto p = SyntheticPatrons::profile(7);
  BOOST_TEST(p.barcode == "29000000000072");  // "29", 7 in eleven digits, Luhn digit 2
  BOOST_TEST(p.pin == "0072");
  const json user = by_barcode(*a, p.barcode);
  const json again = by_barcode(*b, p.barcode);
  for (const char* key : {"id", "username", "barcode", "patronGroup", "personal", "active"})
    BOOST_TEST(user[key] == again[key]);
  BOOST_TEST(user["id"] == SyntheticPatrons::id_of(7));
  BOOST_TEST(user["username"] == "gen7");
  BOOST_TEST(user["externalSystemId"] == "gen-ext-7");
  BOOST_TEST(user["type"] == "patron");
  BOOST_TEST(!user["personal"]["lastName"].get<std::string>().empty());
  BOOST_TEST(user["metadata"]["updatedDate"].is_string());
  BOOST_TEST(user["expirationDate"].is_string());
  BOOST_TEST(a->verify_pin({{"id", user["id"]}, {"pin", "0072"}}).has_value());
  BOOST_TEST(!a->verify_pin({{"id", user["id"]}, {"pin", "0000"}}).has_value());

  std::size_t blocked = 0, owing = 0;
  for (std::size_t n = 0; n < 3000; ++n) {
    blocked += SyntheticPatrons::profile(n).blocked ? 1 : 0;
    owing += SyntheticPatrons::profile(n).fee_cents > 0 ? 1 : 0;
  }
  BOOST_TEST(blocked > 15u);
  BOOST_TEST(blocked < 150u);
  BOOST_TEST(owing > 30u);
  BOOST_TEST(owing < 200u);
  BOOST_TEST(query(*a, Collection::manualblocks, "cql.allRecords=1", 0)["totalRecords"] ==
             blocked + 1);  // the seed has one block of its own
}

BOOST_AUTO_TEST_CASE(pages_users_in_id_order_with_keyset_queries) {
  auto library = generated(1000);
  std::vector<std::string> ids;
  std::string last;
  for (;;) {
    const std::string cql =
        last.empty() ? "(cql.allRecords=1) sortby id" : "id>\"" + last + "\" sortby id";
    const json page = query(*library, Collection::users, cql, 150);
    for (const auto& user : page["users"])
      ids.push_back(user["id"]);
    if (page["users"].size() < 150) break;
    last = ids.back();
  }
  const json all = query(*library, Collection::users, "cql.allRecords=1", 0);
  BOOST_TEST(ids.size() == all["totalRecords"].get<std::size_t>());
  BOOST_TEST(std::is_sorted(ids.begin(), ids.end()));
  BOOST_TEST(std::set<std::string>(ids.begin(), ids.end()).size() == ids.size());

  const json rest = query(*library, Collection::users, "id>\"" + ids[499] + "\" sortby id", 10);
  BOOST_TEST(rest["totalRecords"].get<std::size_t>() == ids.size() - 500);
  BOOST_TEST(rest["users"][0]["id"] == ids[500]);
  const json upto = query(*library, Collection::users, "id<=\"" + ids[9] + "\"", 0);
  BOOST_TEST(upto["totalRecords"] == 10);
}

BOOST_AUTO_TEST_CASE(finds_users_by_id_lists_and_updated_date) {
  auto library = generated(500);
  const std::string a = SyntheticPatrons::id_of(3), b = SyntheticPatrons::id_of(400);
  const json both = query(*library, Collection::users,
                          "id==(\"" + a + "\" or \"" + b + "\" or \"nope\") sortby id");
  BOOST_TEST(both["totalRecords"] == 2);
  BOOST_TEST(query(*library, Collection::users, "metadata.updatedDate>=\"2200-01-01\"",
                   0)["totalRecords"] == 0);
  BOOST_TEST(query(*library, Collection::users,
                   "metadata.updatedDate>=\"2000-01-01\" and id>\"" + a + "\" sortby id",
                   0)["totalRecords"]
                 .get<int>() > 0);
  // Other indexes are evaluated on each generated record.
  const json gen7 = query(*library, Collection::users, "username==\"GEN7\" and active==true");
  BOOST_TEST(gen7["totalRecords"].get<int>() <= 1);
  BOOST_TEST(query(*library, Collection::users,
                   "personal.email==\"gen42@example.org\"")["totalRecords"] == 1);
}

BOOST_AUTO_TEST_CASE(finds_blocks_and_open_fees_of_a_list_of_users) {
  auto library = generated(2000);
  std::string list;
  std::size_t blocked = 0, owing = 0;
  for (std::size_t n = 0; n < 60; ++n) {
    list += (list.empty() ? "\"" : " or \"") + SyntheticPatrons::id_of(n) + "\"";
    blocked += SyntheticPatrons::profile(n).blocked ? 1 : 0;
    owing += SyntheticPatrons::profile(n).fee_cents > 0 ? 1 : 0;
  }
  BOOST_TEST(query(*library, Collection::manualblocks, "userId==(" + list + ")")["totalRecords"] ==
             blocked);
  BOOST_TEST(query(*library, Collection::accounts,
                   "status.name==\"Open\" and userId==(" + list + ")")["totalRecords"] == owing);
}

BOOST_AUTO_TEST_CASE(control_changes_bump_updated_date_and_take_effect) {
  auto library = generated(200);
  const std::string barcode = SyntheticPatrons::profile(11).barcode;
  const std::string id = SyntheticPatrons::id_of(11);
  const std::string before = by_barcode(*library, barcode)["metadata"]["updatedDate"];
  library->clock().advance(60);
  const auto changed = library->update_patron(
      {{"barcode", barcode}, {"pin", "9876"}, {"active", false}, {"expirationDate", nullptr}});
  BOOST_TEST_REQUIRE(changed.has_value());
  const json user = by_barcode(*library, barcode);
  BOOST_TEST(user["active"] == false);
  BOOST_TEST(!user.contains("expirationDate"));
  BOOST_TEST(user["metadata"]["updatedDate"] == (*changed)["updatedDate"]);
  BOOST_TEST(user["metadata"]["updatedDate"].get<std::string>() > before);
  BOOST_TEST(library->verify_pin({{"id", id}, {"pin", "9876"}}).has_value());
  BOOST_TEST(!library->verify_pin({{"id", id}, {"pin", barcode.substr(10)}}).has_value());

  const std::string since =
      "metadata.updatedDate>=\"" + (*changed)["updatedDate"].get<std::string>() + "\"";
  const json recent = query(*library, Collection::users, since + " sortby id");
  BOOST_TEST_REQUIRE(recent["totalRecords"] == 1);
  BOOST_TEST(recent["users"][0]["id"] == id);

  library->clock().advance(60);
  const auto blocked = library->block_patron({{"id", id}, {"desc", "Card lost"}});
  BOOST_TEST_REQUIRE(blocked.has_value());
  BOOST_TEST((*blocked)["updatedDate"] != (*changed)["updatedDate"]);
  BOOST_TEST(query(*library, Collection::manualblocks,
                   "userId==\"" + id + "\" and desc==\"Card lost\"")["totalRecords"] == 1);
  const auto unblocked = library->unblock_patron({{"block_id", (*blocked)["block_id"]}});
  BOOST_TEST_REQUIRE(unblocked.has_value());
  BOOST_TEST((*unblocked)["removed"] == 1);

  BOOST_TEST(library->delete_patron({{"barcode", barcode}}).has_value());
  BOOST_TEST(query(*library, Collection::users, "barcode==\"" + barcode + "\"")["totalRecords"] ==
             0);
  BOOST_TEST(!library->verify_pin({{"id", id}, {"pin", "9876"}}).has_value());
  BOOST_TEST(library->update_patron({{"id", id}, {"active", true}}).error().status == 404);
  BOOST_TEST(library->update_patron({{"id", id}, {"active", "yes"}}).error().status == 400);
}

BOOST_AUTO_TEST_CASE(parses_generate_patrons_option) {
  const auto ok = ils_emulator::parse_cli(
      {"--data", "x.json", "--listen", "127.0.0.1:0", "--generate-patrons", "1000000"});
  BOOST_TEST_REQUIRE(ok.has_value());
  BOOST_TEST(ok->generate_patrons == 1000000u);
  BOOST_TEST(!ils_emulator::parse_cli(
                  {"--data", "x.json", "--listen", "127.0.0.1:0", "--generate-patrons", "-1"})
                  .has_value());
  BOOST_TEST(!ils_emulator::parse_cli({"--data", "x.json", "--listen", "127.0.0.1:0",
                                       "--generate-patrons", "99999999999"})
                  .has_value());
}
