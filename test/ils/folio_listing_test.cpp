// FolioBackend::list_patrons and patron_summary end to end against the ILS emulator with
// generated patrons (`--generate-patrons`): keyset paging, resumption, changes since a time,
// the non-patron filter and the per-patron summary.
#define BOOST_TEST_MODULE ils_folio_listing
#include <boost/test/unit_test.hpp>

#include <httplib.h>

#include <cstdio>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "emulator_process.hpp"
#include "ils/folio/folio_backend.hpp"

using namespace std::chrono_literals;
using nlohmann::json;

namespace {

std::string env(const char* name, const char* fallback = "") {
  const char* value = std::getenv(name);
  return value ? value : fallback;
}

std::string seed_path() {
  return env("ILS_TEST_DATA", ".") + "/emulator-seed.json";
}

/// Generated patron n's barcode, as the emulator README documents it: "29", n in eleven
/// digits, and a Luhn check digit.
std::string generated_barcode(std::size_t n) {
  char digits[16];
  std::snprintf(digits, sizeof digits, "29%011zu", n);
  int sum = 0;
  bool twice = true;
  for (int i = 12; i >= 0; --i, twice = !twice) {
    int d = digits[i] - '0';
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return std::string(digits) + char('0' + (10 - sum % 10) % 10);
}

ils::PatronPageRequest req(std::string cursor, std::size_t limit,
                           std::optional<ils::Timestamp> since = std::nullopt) {
  return {std::move(cursor), limit, since};
}

/// An emulator with `patrons` generated ones and a FOLIO backend pointed at it.
struct Library {
  emulator::Process process;
  std::unique_ptr<ils::Backend> backend;

  explicit Library(std::size_t patrons, std::vector<std::string> excluded_groups = {})
      : process(env("ILS_EMULATOR"), seed_path(), {"--generate-patrons", std::to_string(patrons)}) {
    BOOST_TEST_REQUIRE(!process.url().empty(), "the emulator did not start");
    ils::folio::FolioConfig config;
    config.base_url = process.url();
    config.tenant = "diku";
    config.username = "sip2gw";
    config.password = "gateway-secret";
    config.service_point_id = "3a40852d-49fd-4df2-a1f9-6e2641a6e91f";
    config.excluded_patron_groups = std::move(excluded_groups);
    backend = ils::folio::make_backend(config);
  }

  static ils::CallContext ctx() { return {"listing-1", std::chrono::steady_clock::now() + 10s}; }

  json control(const std::string& path, const json& body) {
    httplib::Client client(process.url());
    auto res = client.Post(("/_emulator/" + path).c_str(), body.dump(), "application/json");
    BOOST_TEST_REQUIRE(static_cast<bool>(res));
    BOOST_TEST_REQUIRE(res->status == 200, path << ": " << res->body);
    return json::parse(res->body);
  }

  ils::PatronPage page(const ils::PatronPageRequest& request) {
    auto page = backend->list_patrons(ctx(), request);
    BOOST_TEST_REQUIRE(page.has_value(), page.error().message);
    BOOST_TEST_REQUIRE(page->summaries.size() == page->patrons.size());
    return std::move(*page);
  }

  /// Every page from `cursor` on; `pages` counts them.
  std::vector<ils::Patron> all(ils::PatronPageRequest request, std::size_t* pages = nullptr) {
    std::vector<ils::Patron> out;
    for (std::size_t n = 1;; ++n) {
      ils::PatronPage p = page(request);
      BOOST_TEST_REQUIRE(p.patrons.size() <= request.limit);
      out.insert(out.end(), p.patrons.begin(), p.patrons.end());
      if (pages) *pages = n;
      if (p.next_cursor.empty()) return out;
      request.cursor = p.next_cursor;
    }
  }
};

std::set<std::string> barcodes_of(const std::vector<ils::Patron>& patrons) {
  std::set<std::string> out;
  for (const auto& p : patrons)
    out.insert(p.barcode);
  return out;
}

std::vector<std::string> seed_user_ids_of_type(const std::string& type) {
  std::ifstream in(seed_path());
  const json seed = json::parse(in);
  std::vector<std::string> ids;
  for (const auto& user : seed["users"])
    if (user.value("type", "") == type) ids.push_back(user["id"]);
  return ids;
}

}  // namespace

BOOST_AUTO_TEST_CASE(lists_2500_generated_patrons_each_exactly_once_in_pages_of_500) {
  Library lib(2500);
  std::size_t pages = 0;
  const auto patrons = lib.all(req("", 500), &pages);
  std::set<std::string> ids;
  for (const auto& p : patrons) {
    BOOST_TEST(ids.insert(p.id).second, "listed twice: " << p.id);
    BOOST_TEST(p.updated_at.has_value());
    BOOST_TEST(!p.patron_group.empty());
  }
  const auto barcodes = barcodes_of(patrons);
  for (std::size_t n = 0; n < 2500; ++n)
    BOOST_TEST_REQUIRE(barcodes.count(generated_barcode(n)) == 1u, "missing patron " << n);
  // 2,500 generated plus the seed's patrons; staff and system users are left out.
  BOOST_TEST(patrons.size() == 2504u);
  BOOST_TEST(pages == 6u);
  BOOST_TEST(std::is_sorted(patrons.begin(), patrons.end(),
                            [](const auto& a, const auto& b) { return a.id < b.id; }));
}

BOOST_AUTO_TEST_CASE(a_listing_resumed_from_a_middle_cursor_yields_the_rest) {
  Library lib(2500);
  const auto everything = lib.all(req("", 500));
  auto first = lib.page(req("", 500));
  BOOST_TEST_REQUIRE(first.total.has_value());
  BOOST_TEST(*first.total >= everything.size());
  auto second = lib.page(req(first.next_cursor, 500));
  BOOST_TEST(!second.total.has_value());
  const auto rest = lib.all(req(second.next_cursor, 500));
  const std::size_t before = first.patrons.size() + second.patrons.size();
  BOOST_TEST_REQUIRE(before + rest.size() == everything.size());
  for (std::size_t i = 0; i < rest.size(); ++i)
    BOOST_TEST_REQUIRE(rest[i].id == everything[before + i].id);
  BOOST_TEST(lib.backend->list_patrons(Library::ctx(), req("id\" or x", 5)).error().code ==
             ils::errc::invalid_identifier);
}

BOOST_AUTO_TEST_CASE(changes_since_a_time_list_exactly_the_changed_patron) {
  Library lib(2500);
  lib.control("clock", {{"advance_seconds", 120}});
  const std::string barcode = generated_barcode(1234);
  lib.control("patrons/update", {{"barcode", barcode}, {"pin", "8642"}});
  auto changed = lib.backend->lookup_patron(Library::ctx(), barcode);
  BOOST_TEST_REQUIRE(changed.has_value());
  BOOST_TEST_REQUIRE(changed->updated_at.has_value());

  const auto since = lib.all(req("", 500, changed->updated_at));
  BOOST_TEST_REQUIRE(since.size() == 1u);
  BOOST_TEST(since.front().barcode == barcode);
  BOOST_TEST((since.front().updated_at == changed->updated_at));
  auto pin = lib.backend->verify_credential(Library::ctx(), *changed, "8642");
  BOOST_TEST_REQUIRE(pin.has_value());
  BOOST_TEST((*pin == ils::CredentialCheck::valid));
  BOOST_TEST((*lib.backend->verify_credential(Library::ctx(), *changed, barcode.substr(10)) ==
              ils::CredentialCheck::invalid));
}

BOOST_AUTO_TEST_CASE(never_lists_staff_system_or_excluded_group_users) {
  Library lib(600, {"kiosk-test"});
  const auto patrons = lib.all(req("", 100));
  std::set<std::string> ids;
  for (const auto& p : patrons) {
    ids.insert(p.id);
    BOOST_TEST(p.patron_group == "undergrad");
  }
  for (const auto& type : {"staff", "system"})
    for (const auto& id : seed_user_ids_of_type(type))
      BOOST_TEST(ids.count(id) == 0u, type << " user listed: " << id);
  // The generated patrons fall into both groups, so the exclusion removed some of them.
  BOOST_TEST(patrons.size() < 600u);
  BOOST_TEST(patrons.size() > 100u);
}

BOOST_AUTO_TEST_CASE(patron_summary_matches_a_patron_with_a_block_and_a_fee) {
  Library lib(2500);
  const auto first = lib.page(req("", 500));
  std::size_t chosen = first.patrons.size();
  std::size_t blocked = 0;
  for (std::size_t i = 0; i < first.patrons.size(); ++i) {
    blocked += first.summaries[i].blocks.empty() ? 0 : 1;
    BOOST_TEST(!first.summaries[i].complete);
    if (first.summaries[i].fee_balance > 0 && chosen == first.patrons.size()) chosen = i;
  }
  BOOST_TEST(blocked > 0u);
  BOOST_TEST_REQUIRE(chosen < first.patrons.size());
  const ils::Patron& patron = first.patrons[chosen];
  lib.control("patrons/block", {{"id", patron.id}, {"desc", "Lost card"}});

  auto summary = lib.backend->patron_summary(Library::ctx(), patron.ref());
  BOOST_TEST_REQUIRE(summary.has_value(), summary.error().message);
  BOOST_TEST(summary->complete);
  BOOST_TEST(summary->fee_balance == first.summaries[chosen].fee_balance);
  BOOST_TEST(summary->blocks.size() >= first.summaries[chosen].blocks.size() + 1);
  BOOST_TEST(std::any_of(summary->blocks.begin(), summary->blocks.end(),
                         [](const ils::Block& b) { return b.message == "Lost card"; }));
  BOOST_TEST(summary->loans == 0u);

  // The same numbers as the generic summary read through patron_account.
  auto generic = lib.backend->ils::Backend::patron_summary(Library::ctx(), patron.ref());
  BOOST_TEST_REQUIRE(generic.has_value());
  BOOST_TEST(generic->blocks.size() == summary->blocks.size());
  BOOST_TEST(generic->fee_balance == summary->fee_balance);
}

BOOST_AUTO_TEST_CASE(patron_summary_counts_loans_and_overdue_like_the_account) {
  Library lib(10);
  auto patron = lib.backend->lookup_patron(Library::ctx(), "929074568588779");
  BOOST_TEST_REQUIRE(patron.has_value());
  auto fast = lib.backend->patron_summary(Library::ctx(), patron->ref());
  auto generic = lib.backend->ils::Backend::patron_summary(Library::ctx(), patron->ref());
  BOOST_TEST_REQUIRE(fast.has_value(), fast.error().message);
  BOOST_TEST_REQUIRE(generic.has_value());
  BOOST_TEST(fast->loans == 2u);
  BOOST_TEST(fast->overdue == 1u);
  BOOST_TEST(fast->loans == generic->loans);
  BOOST_TEST(fast->overdue == generic->overdue);
  BOOST_TEST(fast->holds_available == generic->holds_available);
  BOOST_TEST(fast->holds_unavailable == generic->holds_unavailable);
  BOOST_TEST(fast->fee_balance == generic->fee_balance);
  BOOST_TEST(fast->blocks.size() == generic->blocks.size());
}
