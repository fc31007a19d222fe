// Records as CBOR (nlohmann/json), with one-letter keys: a million records stay small.
#include "identity/record.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace identity {

namespace {

using nlohmann::json;
constexpr int kFormat = 1;

json time_or_null(const std::optional<ils::Timestamp>& t) {
  return t ? json(t->time_since_epoch().count()) : json(nullptr);
}

std::optional<ils::Timestamp> time_of(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return ils::Timestamp(std::chrono::seconds(it->get<std::int64_t>()));
}

json block_json(const ils::Block& b) {
  return json{{"i", b.id},
              {"a", b.source == ils::BlockSource::automated},
              {"b", b.borrowing},
              {"r", b.renewals},
              {"q", b.requests},
              {"m", b.message},
              {"e", time_or_null(b.expires_at)},
              {"g", b.created_by_gateway}};
}

ils::Block block_of(const json& j) {
  ils::Block b;
  b.id = j.at("i").get<std::string>();
  b.source = j.at("a").get<bool>() ? ils::BlockSource::automated : ils::BlockSource::manual;
  b.borrowing = j.at("b").get<bool>();
  b.renewals = j.at("r").get<bool>();
  b.requests = j.at("q").get<bool>();
  b.message = j.at("m").get<std::string>();
  b.expires_at = time_of(j, "e");
  b.created_by_gateway = j.at("g").get<bool>();
  return b;
}

}  // namespace

Record make_record(const ils::Patron& patron, const ils::PatronSummary& summary,
                   std::string currency, ils::CredentialMode mode, ils::Timestamp now) {
  Record r;
  r.patron_id = patron.id;
  r.barcode = patron.barcode;
  r.active = patron.active;
  r.expires_at = patron.expires_at;
  r.patron_group = patron.patron_group;
  r.display_name = patron.display_name;
  r.blocks = summary.blocks;
  r.fee_balance = summary.fee_balance;
  r.currency = std::move(currency);
  r.loans = summary.loans;
  r.overdue = summary.overdue;
  r.holds_available = summary.holds_available;
  r.holds_unavailable = summary.holds_unavailable;
  r.summary_complete = summary.complete;
  if (summary.complete) r.summary_at = now;
  r.credential_mode = mode;
  r.source_version = patron.updated_at;
  r.synced_at = now;
  return r;
}

std::string encode(const Record& r) {
  json blocks = json::array();
  for (const auto& b : r.blocks)
    blocks.push_back(block_json(b));
  const json j{{"f", kFormat},
               {"id", r.patron_id},
               {"bc", r.barcode},
               {"a", r.active},
               {"x", time_or_null(r.expires_at)},
               {"g", r.patron_group},
               {"n", r.display_name},
               {"b", std::move(blocks)},
               {"fee", r.fee_balance},
               {"cur", r.currency},
               {"l", r.loans},
               {"o", r.overdue},
               {"ha", r.holds_available},
               {"hu", r.holds_unavailable},
               {"c", r.summary_complete},
               {"ca", time_or_null(r.summary_at)},
               {"m", static_cast<int>(r.credential_mode)},
               {"v", time_or_null(r.source_version)},
               {"s", r.synced_at.time_since_epoch().count()}};
  const auto bytes = json::to_cbor(j);
  return {bytes.begin(), bytes.end()};
}

std::optional<Record> decode(std::string_view bytes) {
  const json j = json::from_cbor(bytes.begin(), bytes.end(), true, false);
  if (!j.is_object() || j.value("f", 0) != kFormat) return std::nullopt;
  try {
    Record r;
    r.patron_id = j.at("id").get<std::string>();
    r.barcode = j.at("bc").get<std::string>();
    r.active = j.at("a").get<bool>();
    r.expires_at = time_of(j, "x");
    r.patron_group = j.at("g").get<std::string>();
    r.display_name = j.at("n").get<std::string>();
    for (const auto& b : j.at("b"))
      r.blocks.push_back(block_of(b));
    r.fee_balance = j.at("fee").get<ils::Cents>();
    r.currency = j.at("cur").get<std::string>();
    r.loans = j.at("l").get<std::size_t>();
    r.overdue = j.at("o").get<std::size_t>();
    r.holds_available = j.at("ha").get<std::size_t>();
    r.holds_unavailable = j.at("hu").get<std::size_t>();
    r.summary_complete = j.at("c").get<bool>();
    r.summary_at = time_of(j, "ca");
    const int mode = j.at("m").get<int>();
    if (mode < 0 || mode > static_cast<int>(ils::CredentialMode::password)) return std::nullopt;
    r.credential_mode = static_cast<ils::CredentialMode>(mode);
    r.source_version = time_of(j, "v");
    r.synced_at = ils::Timestamp(std::chrono::seconds(j.at("s").get<std::int64_t>()));
    return r;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

std::chrono::seconds summary_age(const Record& r, ils::Timestamp now) {
  if (!r.summary_complete || !r.summary_at) return std::chrono::seconds::max();
  return now - std::min(r.synced_at, *r.summary_at);
}

ils::Patron patron_of(const Record& r) {
  ils::Patron p;
  p.id = r.patron_id;
  p.barcode = r.barcode;
  p.active = r.active;
  p.expires_at = r.expires_at;
  p.patron_group = r.patron_group;
  p.display_name = r.display_name;
  p.updated_at = r.source_version;
  return p;
}

ils::PatronAccount account_of(const Record& r, ils::Timestamp now) {
  ils::PatronAccount a;
  for (const auto& b : r.blocks) {
    if (b.expires_at && *b.expires_at < now) continue;  // lapsed since the record was read
    a.blocks.push_back(b);
    a.borrowing_blocked |= b.borrowing;
    a.renewals_blocked |= b.renewals;
    a.requests_blocked |= b.requests;
  }
  a.fee_total = r.fee_balance;
  a.overdue_count = r.overdue;
  return a;
}

}  // namespace identity
