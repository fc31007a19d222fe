// Generated patrons: hashing the patron number gives every field; ranks sort the ids.
#include "synthetic_patrons.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>

#include "cql_match.hpp"
#include "record_store.hpp"

namespace ils_emulator {
namespace {

using nlohmann::json;

constexpr std::string_view kBarcodePrefix = "29";
constexpr std::size_t kNumberDigits = 11;

constexpr std::array<std::string_view, 16> kFirstNames = {
    "Alex", "Bea",   "Chen", "Dana", "Emil",  "Fatima", "Goran", "Hiro",
    "Ines", "Jonas", "Kemi", "Lena", "Mateo", "Nora",   "Omar",  "Priya"};
constexpr std::array<std::string_view, 16> kLastNames = {
    "Abbott", "Baker",  "Castro",   "Dubois",    "Eriksen", "Fischer",  "Garcia", "Haddad",
    "Ibsen",  "Jensen", "Kowalski", "Lindqvist", "Moreau",  "Nakamura", "Okafor", "Petrov"};

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

/// The id of patron n as two 64-bit halves, version 4 and RFC 4122 variant bits set.
std::pair<std::uint64_t, std::uint64_t> id_bits(std::size_t n, std::uint64_t salt = 0) {
  const std::uint64_t hi = (splitmix(2 * n + 0x1d5eed + salt) & 0xFFFFFFFFFFFF0FFFULL) | 0x4000ULL;
  const std::uint64_t lo =
      (splitmix(2 * n + 1 + 0x1d5eed + salt) & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  return {hi, lo};
}

std::string format_uuid(std::pair<std::uint64_t, std::uint64_t> id) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-%04llx-%04llx-%012llx",
                static_cast<unsigned long long>(id.first >> 32),
                static_cast<unsigned long long>((id.first >> 16) & 0xFFFF),
                static_cast<unsigned long long>(id.first & 0xFFFF),
                static_cast<unsigned long long>(id.second >> 48),
                static_cast<unsigned long long>(id.second & 0xFFFFFFFFFFFFULL));
  return buf;
}

std::optional<std::pair<std::uint64_t, std::uint64_t>> parse_uuid(std::string_view s) {
  if (s.size() != 36) return std::nullopt;
  std::string hex;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return std::nullopt;
      continue;
    }
    hex.push_back(s[i]);
  }
  std::uint64_t hi = 0, lo = 0;
  const auto a = std::from_chars(hex.data(), hex.data() + 16, hi, 16);
  const auto b = std::from_chars(hex.data() + 16, hex.data() + 32, lo, 16);
  if (a.ec != std::errc{} || a.ptr != hex.data() + 16 || b.ec != std::errc{} ||
      b.ptr != hex.data() + 32)
    return std::nullopt;
  return std::pair{hi, lo};
}

char luhn_digit(std::string_view digits) {
  int sum = 0;
  bool twice = true;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it, twice = !twice) {
    int d = *it - '0';
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return char('0' + (10 - sum % 10) % 10);
}

/// The number after `prefix` in `value` when it is all digits, else nullopt.
std::optional<std::size_t> number_after(std::string_view value, std::string_view prefix) {
  if (!value.starts_with(prefix) || value.size() == prefix.size()) return std::nullopt;
  value.remove_prefix(prefix.size());
  if (value.size() > 1 && value.front() == '0') return std::nullopt;
  std::size_t n = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc{} || end != value.data() + value.size()) return std::nullopt;
  return n;
}

}  // namespace

SyntheticProfile SyntheticPatrons::profile(std::size_t n) {
  SyntheticProfile p;
  char digits[16];
  std::snprintf(digits, sizeof digits, "%0*zu", int(kNumberDigits), n);
  p.barcode = std::string(kBarcodePrefix) + digits;
  p.barcode.push_back(luhn_digit(p.barcode));
  p.pin = p.barcode.substr(p.barcode.size() - 4);
  p.username = "gen" + std::to_string(n);
  p.external_id = "gen-ext-" + std::to_string(n);
  const std::uint64_t h = splitmix(n ^ 0xfeedULL);
  p.first_name = kFirstNames[h % kFirstNames.size()];
  p.last_name = kLastNames[(h >> 8) % kLastNames.size()];
  p.group = (h >> 16) & 0xFFFF;
  p.active = (h >> 32) % 100 != 0;
  p.expires_in_days = int((h >> 40) % 1460) - 30;
  const std::uint64_t extras = splitmix(n ^ 0xb10cfeeULL);
  p.blocked = extras % 100 < 2;
  if ((extras >> 8) % 100 < 3) p.fee_cents = 100 + static_cast<long long>((extras >> 16) % 20) * 75;
  return p;
}

std::string SyntheticPatrons::id_of(std::size_t n) {
  return format_uuid(id_bits(n));
}

void SyntheticPatrons::generate(std::size_t count, std::vector<std::string> group_ids,
                                TimePoint now) {
  group_ids_ = std::move(group_ids);
  generated_time_ = now;
  generated_at_ = format_folio_time(now);
  std::vector<std::pair<std::pair<std::uint64_t, std::uint64_t>, std::uint32_t>> keyed(count);
  for (std::size_t n = 0; n < count; ++n)
    keyed[n] = {id_bits(n), static_cast<std::uint32_t>(n)};
  std::sort(keyed.begin(), keyed.end());
  order_.resize(count);
  rank_.resize(count);
  for (std::size_t r = 0; r < count; ++r) {
    order_[r] = keyed[r].second;
    rank_[keyed[r].second] = static_cast<std::uint32_t>(r);
  }
  taken_.assign(count, false);
  taken_ranks_.clear();
}

json SyntheticPatrons::user_at(std::size_t rank) const {
  const std::size_t n = order_[rank];
  const SyntheticProfile p = profile(n);
  const auto expires = std::chrono::floor<std::chrono::days>(generated_time_) +
                       std::chrono::days(p.expires_in_days) + std::chrono::hours(23) +
                       std::chrono::minutes(59) + std::chrono::seconds(59);
  json user = {{"id", id_of(n)},
               {"username", p.username},
               {"externalSystemId", p.external_id},
               {"barcode", p.barcode},
               {"active", p.active},
               {"type", "patron"},
               {"patronGroup", group_ids_.empty() ? "" : group_ids_[p.group % group_ids_.size()]},
               {"enrollmentDate", generated_at_},
               {"expirationDate", format_folio_time(expires)},
               {"personal",
                {{"lastName", p.last_name},
                 {"firstName", p.first_name},
                 {"email", p.username + "@example.org"},
                 {"preferredContactTypeId", "002"}}},
               {"metadata", {{"createdDate", generated_at_}, {"updatedDate", generated_at_}}}};
  return user;
}

json SyntheticPatrons::block_of(std::size_t n) const {
  return {{"id", format_uuid(id_bits(n, 0xb10c))},
          {"userId", id_of(n)},
          {"type", "Manual"},
          {"desc", "Generated block: items long overdue"},
          {"patronMessage", "Please contact the circulation desk."},
          {"staffInformation", "Generated by ils-emulator --generate-patrons"},
          {"borrowing", true},
          {"renewals", true},
          {"requests", false},
          {"metadata", {{"createdDate", generated_at_}, {"updatedDate", generated_at_}}}};
}

json SyntheticPatrons::fee_of(std::size_t n, const json& feefine) const {
  const double amount = double(profile(n).fee_cents) / 100.0;
  const auto text_of = [&](const char* key, const char* fallback) {
    return feefine.is_object() && feefine.contains(key) && feefine[key].is_string()
               ? feefine[key].get<std::string>()
               : std::string(fallback);
  };
  return {{"id", format_uuid(id_bits(n, 0xfee))},
          {"userId", id_of(n)},
          {"feeFineId", text_of("id", "")},
          {"ownerId", text_of("ownerId", "")},
          {"feeFineType", text_of("feeFineType", "Overdue fine")},
          {"amount", amount},
          {"remaining", amount},
          {"status", {{"name", "Open"}}},
          {"paymentStatus", {{"name", "Outstanding"}}},
          {"dateCreated", generated_at_}};
}

std::optional<std::size_t> SyntheticPatrons::rank_of_number(std::size_t n) const {
  if (n >= order_.size() || taken_[rank_[n]]) return std::nullopt;
  return rank_[n];
}

std::optional<std::size_t> SyntheticPatrons::rank_of_id(std::string_view id) const {
  const auto bits = parse_uuid(id);
  if (!bits || order_.empty()) return std::nullopt;
  const auto it =
      std::lower_bound(order_.begin(), order_.end(), *bits,
                       [](std::uint32_t n, const auto& key) { return id_bits(n) < key; });
  if (it == order_.end() || id_bits(*it) != *bits) return std::nullopt;
  return rank_of_number(*it);
}

std::optional<std::size_t> SyntheticPatrons::rank_of_barcode(std::string_view barcode) const {
  if (barcode.size() != kBarcodePrefix.size() + kNumberDigits + 1 ||
      !barcode.starts_with(kBarcodePrefix))
    return std::nullopt;
  std::size_t n = 0;
  const char* first = barcode.data() + kBarcodePrefix.size();
  const auto [end, ec] = std::from_chars(first, first + kNumberDigits, n);
  if (ec != std::errc{} || end != first + kNumberDigits) return std::nullopt;
  if (n >= order_.size() || profile(n).barcode != barcode) return std::nullopt;
  return rank_of_number(n);
}

std::optional<std::size_t> SyntheticPatrons::rank_of_username(std::string_view username) const {
  const auto n = number_after(username, "gen");
  return n ? rank_of_number(*n) : std::nullopt;
}

std::optional<std::size_t> SyntheticPatrons::rank_of_external_id(std::string_view id) const {
  const auto n = number_after(id, "gen-ext-");
  return n ? rank_of_number(*n) : std::nullopt;
}

void SyntheticPatrons::take(std::size_t rank) {
  taken_[rank] = true;
  taken_ranks_.insert(rank);
}

std::size_t SyntheticPatrons::taken_among(const CqlCandidates& candidates) const {
  if (!candidates.is_range) {
    return std::size_t(std::count_if(candidates.list.begin(), candidates.list.end(),
                                     [&](std::size_t r) { return taken_[r]; }));
  }
  return std::size_t(std::distance(taken_ranks_.lower_bound(candidates.lo),
                                   taken_ranks_.lower_bound(candidates.hi)));
}

std::size_t SyntheticPatrons::first_rank_not_below(std::string_view folded_id,
                                                   bool strictly) const {
  const auto it = std::partition_point(order_.begin(), order_.end(), [&](std::uint32_t n) {
    const std::string id = id_of(n);
    return strictly ? id <= folded_id : id < folded_id;
  });
  return std::size_t(it - order_.begin());
}

std::optional<CqlCandidates> SyntheticPatrons::resolve(const CqlNode& term) const {
  const std::size_t n = order_.size();
  if (term.index == "type" || term.index == "metadata.createdDate" ||
      term.index == "metadata.updatedDate") {
    const bool all = cql_term_matches(term, term.index == "type" ? "patron" : generated_at_);
    return all ? CqlCandidates::range(0, n, true) : CqlCandidates::positions({}, true);
  }
  if (!literal_values(term)) return std::nullopt;
  if (term.relation == CqlRelation::exact) {
    using Lookup = std::optional<std::size_t> (SyntheticPatrons::*)(std::string_view) const;
    Lookup lookup = term.index == "id"                 ? &SyntheticPatrons::rank_of_id
                    : term.index == "barcode"          ? &SyntheticPatrons::rank_of_barcode
                    : term.index == "username"         ? &SyntheticPatrons::rank_of_username
                    : term.index == "externalSystemId" ? &SyntheticPatrons::rank_of_external_id
                                                       : nullptr;
    if (lookup == nullptr) return std::nullopt;
    std::vector<std::size_t> ranks;
    for (const auto& value : term.values)
      if (const auto rank = (this->*lookup)(fold_case(value.text))) ranks.push_back(*rank);
    return CqlCandidates::positions(std::move(ranks), true);
  }
  if (term.index != "id" || term.values.size() != 1) return std::nullopt;
  const std::string value = fold_case(term.values.front().text);
  switch (term.relation) {
    case CqlRelation::greater:
      return CqlCandidates::range(first_rank_not_below(value, true), n, true);
    case CqlRelation::greater_equal:
      return CqlCandidates::range(first_rank_not_below(value, false), n, true);
    case CqlRelation::less:
      return CqlCandidates::range(0, first_rank_not_below(value, false), true);
    case CqlRelation::less_equal:
      return CqlCandidates::range(0, first_rank_not_below(value, true), true);
    default:
      return std::nullopt;
  }
}

CqlCandidates SyntheticPatrons::plan(const CqlQuery& query) const {
  return plan_cql(query, order_.size(), [this](const CqlNode& term) { return resolve(term); });
}

}  // namespace ils_emulator
