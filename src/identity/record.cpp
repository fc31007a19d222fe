// Records as CBOR with one-letter keys (a million records stay small): written with nlohmann/json,
// read field by field (cbor_reader.hpp), since every validation reads one.
#include "identity/record.hpp"

#include <algorithm>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>

#include "identity/cbor_reader.hpp"

namespace identity {

namespace {

using nlohmann::json;
constexpr int kFormat = 1;

json time_or_null(const std::optional<ils::Timestamp>& t) {
  return t ? json(t->time_since_epoch().count()) : json(nullptr);
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

/// Reads a time or a null into `out`.
bool read_time(cbor::Reader& in, std::optional<ils::Timestamp>& out) {
  if (in.null()) {
    out.reset();
    return true;
  }
  const auto v = in.integer();
  if (!v) return false;
  out = ils::Timestamp(std::chrono::seconds(*v));
  return true;
}

template <class T>
bool read_count(cbor::Reader& in, T& out) {
  const auto v = in.integer();
  if (!v || *v < 0) return false;
  out = static_cast<T>(*v);
  return true;
}

bool read_text(cbor::Reader& in, std::string& out) {
  const auto v = in.text();
  if (!v) return false;
  out.assign(*v);
  return true;
}

bool read_bool(cbor::Reader& in, bool& out) {
  const auto v = in.boolean();
  if (!v) return false;
  out = *v;
  return true;
}

bool read_source(cbor::Reader& in, ils::Block& b) {
  bool automated = false;
  if (!read_bool(in, automated)) return false;
  b.source = automated ? ils::BlockSource::automated : ils::BlockSource::manual;
  return true;
}

/// The fields of a block (see block_json); all but "e" must be present.
struct BlockField {
  std::string_view key;
  bool required;
  bool (*read)(cbor::Reader&, ils::Block&);
};
constexpr BlockField kBlockFields[] = {
    {"i", true, [](cbor::Reader& in, ils::Block& b) { return read_text(in, b.id); }},
    {"a", true, read_source},
    {"b", true, [](cbor::Reader& in, ils::Block& b) { return read_bool(in, b.borrowing); }},
    {"r", true, [](cbor::Reader& in, ils::Block& b) { return read_bool(in, b.renewals); }},
    {"q", true, [](cbor::Reader& in, ils::Block& b) { return read_bool(in, b.requests); }},
    {"m", true, [](cbor::Reader& in, ils::Block& b) { return read_text(in, b.message); }},
    {"e", false, [](cbor::Reader& in, ils::Block& b) { return read_time(in, b.expires_at); }},
    {"g", true,
     [](cbor::Reader& in, ils::Block& b) { return read_bool(in, b.created_by_gateway); }},
};

/// Reads a map whose fields `fields` describes into `out`: true when every required one came
/// and nothing was malformed (unknown fields, of a later format, are skipped).
template <class T, std::size_t N, class F>
bool read_map(cbor::Reader& in, T& out, const F (&fields)[N],
              const std::function<bool(std::string_view)>& other = {}) {
  const auto n = in.map();
  if (!n) return false;
  std::uint32_t present = 0;
  for (std::size_t i = 0; i < *n; ++i) {
    const auto key = in.text();
    if (!key) return false;
    const auto* f = std::find_if(std::begin(fields), std::end(fields),
                                 [&](const F& x) { return x.key == *key; });
    if (f != std::end(fields)) {
      if (!f->read(in, out)) return false;
      present |= 1u << (f - std::begin(fields));
    } else if (other ? !other(*key) : !in.skip()) {
      return false;
    }
  }
  for (std::size_t i = 0; i < N; ++i)
    if (fields[i].required && (present & (1u << i)) == 0) return false;
  return true;
}

bool read_blocks(cbor::Reader& in, std::vector<ils::Block>& out) {
  const auto n = in.array();
  if (!n) return false;
  out.clear();
  out.reserve(*n);
  for (std::size_t i = 0; i < *n; ++i)
    if (!read_map(in, out.emplace_back(), kBlockFields)) return false;
  return true;
}

bool read_fee(cbor::Reader& in, Record& r) {
  const auto v = in.integer();
  if (v) r.fee_balance = *v;
  return v.has_value();
}

bool read_mode(cbor::Reader& in, Record& r) {
  int mode = 0;
  if (!read_count(in, mode) || mode > static_cast<int>(ils::CredentialMode::password)) return false;
  r.credential_mode = static_cast<ils::CredentialMode>(mode);
  return true;
}

bool read_synced(cbor::Reader& in, Record& r) {
  std::optional<ils::Timestamp> t;
  if (!read_time(in, t) || !t) return false;
  r.synced_at = *t;
  return true;
}

/// The fields of format 1 (see encode); all but the optional times must be present.
struct Field {
  std::string_view key;
  bool required;
  bool (*read)(cbor::Reader&, Record&);
};
constexpr Field kFields[] = {
    {"id", true, [](cbor::Reader& in, Record& r) { return read_text(in, r.patron_id); }},
    {"bc", true, [](cbor::Reader& in, Record& r) { return read_text(in, r.barcode); }},
    {"a", true, [](cbor::Reader& in, Record& r) { return read_bool(in, r.active); }},
    {"x", false, [](cbor::Reader& in, Record& r) { return read_time(in, r.expires_at); }},
    {"g", true, [](cbor::Reader& in, Record& r) { return read_text(in, r.patron_group); }},
    {"n", true, [](cbor::Reader& in, Record& r) { return read_text(in, r.display_name); }},
    {"b", true, [](cbor::Reader& in, Record& r) { return read_blocks(in, r.blocks); }},
    {"fee", true, read_fee},
    {"cur", true, [](cbor::Reader& in, Record& r) { return read_text(in, r.currency); }},
    {"l", true, [](cbor::Reader& in, Record& r) { return read_count(in, r.loans); }},
    {"o", true, [](cbor::Reader& in, Record& r) { return read_count(in, r.overdue); }},
    {"ha", true, [](cbor::Reader& in, Record& r) { return read_count(in, r.holds_available); }},
    {"hu", true, [](cbor::Reader& in, Record& r) { return read_count(in, r.holds_unavailable); }},
    {"c", true, [](cbor::Reader& in, Record& r) { return read_bool(in, r.summary_complete); }},
    {"ca", false, [](cbor::Reader& in, Record& r) { return read_time(in, r.summary_at); }},
    {"m", true, read_mode},
    {"v", false, [](cbor::Reader& in, Record& r) { return read_time(in, r.source_version); }},
    {"s", true, read_synced},
};

/// A whole record of format kFormat.
bool read_record(cbor::Reader& in, Record& r) {
  int format = 0;
  const auto read_format = [&](std::string_view key) {
    return key == "f" ? read_count(in, format) : in.skip();
  };
  return read_map(in, r, kFields, read_format) && format == kFormat;
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
  cbor::Reader in(bytes);
  Record r;
  if (!read_record(in, r) || !in.at_end()) return std::nullopt;
  return r;
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
