// Lookups and small mutations over LibraryState.
#include "library_state.hpp"

#include <algorithm>
#include <cstdio>
#include <random>

#include "json_fields.hpp"

namespace ils_emulator {

using nlohmann::json;

namespace {

/// Moves the generated patron at `rank` into the user records, with its PIN.
json& take_generated(LibraryState& s, std::size_t rank) {
  json user = s.synthetic.user_at(rank);
  s.pins[text(user, "id")] = SyntheticPatrons::profile(s.synthetic.number_at(rank)).pin;
  s.synthetic.take(rank);
  return s.users.put(std::move(user));
}

}  // namespace

json* user_by_barcode(LibraryState& s, std::string_view barcode) {
  if (barcode.empty()) return nullptr;
  if (json* user = s.users.find_by("barcode", barcode)) return user;
  const auto rank = s.synthetic.rank_of_barcode(barcode);
  return rank ? &take_generated(s, *rank) : nullptr;
}

json* find_user(LibraryState& s, std::string_view id) {
  if (json* user = s.users.find(id)) return user;
  const auto rank = s.synthetic.rank_of_id(id);
  return rank ? &take_generated(s, *rank) : nullptr;
}

json user_record(const LibraryState& s, std::string_view id) {
  if (const json* user = s.users.find(id)) return *user;
  const auto rank = s.synthetic.rank_of_id(id);
  return rank ? s.synthetic.user_at(*rank) : json();
}

void touch_record(json& record, TimePoint now) {
  json& metadata = record["metadata"];
  if (!metadata.is_object()) metadata = json::object();
  const std::string at = format_folio_time(now);
  if (!metadata.contains("createdDate")) metadata["createdDate"] = at;
  metadata["updatedDate"] = at;
}

json* item_by_barcode(LibraryState& s, std::string_view barcode) {
  return barcode.empty() ? nullptr : s.items.find_by("barcode", barcode);
}

json* open_loan_for_item(LibraryState& s, std::string_view item_id) {
  for (auto& loan : s.loans.all()) {
    if (text(loan, "itemId") == item_id && text(loan, "status", "name") == "Open") return &loan;
  }
  return nullptr;
}

std::vector<json*> request_queue(LibraryState& s, std::string_view item_id) {
  std::vector<json*> queue;
  for (auto& r : s.requests.all()) {
    if (text(r, "itemId") == item_id && text(r, "status").starts_with("Open")) {
      queue.push_back(&r);
    }
  }
  std::stable_sort(queue.begin(), queue.end(), [](const json* a, const json* b) {
    return integer(*a, "position") < integer(*b, "position");
  });
  return queue;
}

void renumber_queue(LibraryState& s, std::string_view item_id) {
  int position = 1;
  for (json* r : request_queue(s, item_id))
    (*r)["position"] = position++;
}

const PatronGroup* group_for(const LibraryState& s, const json& user) {
  const std::string id = text(user, "patronGroup");
  const auto it = std::find_if(s.groups.begin(), s.groups.end(),
                               [&](const PatronGroup& g) { return g.id == id; });
  return it == s.groups.end() ? nullptr : &*it;
}

const LoanPolicy& policy_for(const LibraryState& s, const json& user, const json& item) {
  const std::string group = text(user, "patronGroup");
  const std::string material = text(item, "materialType", "name");
  std::string policy_id;
  for (const auto& rule : s.rules) {
    if ((rule.patron_group_id.empty() || rule.patron_group_id == group) &&
        (rule.material_type.empty() || rule.material_type == material)) {
      policy_id = rule.loan_policy_id;
      break;
    }
  }
  const auto it = std::find_if(s.policies.begin(), s.policies.end(),
                               [&](const LoanPolicy& p) { return p.id == policy_id; });
  // The seed loader guarantees a catch-all rule naming a known policy.
  return it != s.policies.end() ? *it : s.policies.front();
}

bool user_is_expired(const json& user, TimePoint now) {
  const auto expires = parse_iso_time(text(user, "expirationDate"));
  return expires && *expires < now;
}

bool user_is_active(const json& user, TimePoint now) {
  return flag(user, "active") && !user_is_expired(user, now);
}

std::string personal_name(const json& user) {
  const json& personal = member(user, "personal");
  return text(personal, "lastName") + ", " + text(personal, "firstName");
}

std::string item_status(const json& item) {
  return text(item, "status", "name");
}

void set_item_status(json& item, std::string_view status, TimePoint now) {
  item["status"] = {{"name", std::string(status)}, {"date", format_folio_time(now)}};
}

LedgerSubject ledger_subject(const json* item, const json* user) {
  LedgerSubject subject;
  if (item != nullptr) {
    subject.item_barcode = text(*item, "barcode");
    subject.item_id = text(*item, "id");
  }
  if (user != nullptr) {
    subject.user_barcode = text(*user, "barcode");
    subject.user_id = text(*user, "id");
  }
  return subject;
}

void record_mutation(LibraryState& s, std::string action, LedgerSubject subject, TimePoint at,
                     TimePoint now, json detail) {
  const long long seq = static_cast<long long>(s.ledger.size()) + 1;
  s.ledger.push_back(LedgerEntry{seq, std::move(action), std::move(subject), format_folio_time(at),
                                 format_folio_time(now), std::move(detail)});
}

std::string new_uuid() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::uint64_t hi = (rng() & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  const std::uint64_t lo = (rng() & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(hi >> 32),
                static_cast<unsigned long long>((hi >> 16) & 0xFFFF),
                static_cast<unsigned long long>(hi & 0xFFFF),
                static_cast<unsigned long long>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFULL));
  return buf;
}

}  // namespace ils_emulator
