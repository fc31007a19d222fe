// Generated patrons for large-library tests: computed from their number, stored as 8 bytes each.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cql_plan.hpp"
#include "iso_time.hpp"

namespace ils_emulator {

/// What generated patron number `n` is given; every field follows from `n` alone.
struct SyntheticProfile {
  std::string barcode;      ///< "29" + n in 11 digits + a Luhn check digit
  std::string pin;          ///< the barcode's last four digits
  std::string username;     ///< "gen" + n
  std::string external_id;  ///< "gen-ext-" + n
  std::string first_name, last_name;
  std::size_t group = 0;    ///< index into the generator's groups
  bool active = true;       ///< false for about 1 in 100
  int expires_in_days = 0;  ///< from the generation day; negative: already expired
  bool blocked = false;     ///< about 2 in 100 carry a manual block
  long long fee_cents = 0;  ///< about 3 in 100 owe one open fee
};

/// The generated patrons of one library. Generated patrons are immutable: a change first moves
/// the patron into the ordinary user records (`take`), after which it is no longer served here.
/// Positions ("ranks") follow the ids' order, so CQL `id` ranges are rank ranges.
class SyntheticPatrons {
 public:
  /// Generates patrons 0..count-1 in groups `group_ids` (round the hash), dated `now`.
  void generate(std::size_t count, std::vector<std::string> group_ids, TimePoint now);

  /// Patrons generated (including those taken since).
  [[nodiscard]] std::size_t size() const { return order_.size(); }
  /// The profile of patron number `n`.
  [[nodiscard]] static SyntheticProfile profile(std::size_t n);
  /// The id of patron number `n` (a version-4-shaped UUID derived from `n`).
  [[nodiscard]] static std::string id_of(std::size_t n);
  /// The patron number at a rank.
  [[nodiscard]] std::size_t number_at(std::size_t rank) const { return order_[rank]; }
  /// The mod-users record of the patron at a rank.
  [[nodiscard]] nlohmann::json user_at(std::size_t rank) const;
  /// The patron's manual block and open fee, as mod-feesfines records (for the seed).
  [[nodiscard]] nlohmann::json block_of(std::size_t n) const;
  [[nodiscard]] nlohmann::json fee_of(std::size_t n, const nlohmann::json& feefine) const;

  /// The rank of the patron with this id / barcode / username / external id, if generated and
  /// not taken.
  [[nodiscard]] std::optional<std::size_t> rank_of_id(std::string_view id) const;
  [[nodiscard]] std::optional<std::size_t> rank_of_barcode(std::string_view barcode) const;
  [[nodiscard]] std::optional<std::size_t> rank_of_username(std::string_view username) const;
  [[nodiscard]] std::optional<std::size_t> rank_of_external_id(std::string_view id) const;

  /// True once the patron at `rank` was taken (moved to user records, or deleted).
  [[nodiscard]] bool taken(std::size_t rank) const { return taken_[rank]; }
  /// Marks the patron at `rank` taken.
  void take(std::size_t rank);
  /// Taken patrons among the candidates.
  [[nodiscard]] std::size_t taken_among(const CqlCandidates& candidates) const;

  /// Candidate ranks for a query: `id` (==, <, <=, >, >=), `barcode`, `username` and
  /// `externalSystemId` (==) are answered from the numbering, and fields every generated
  /// patron shares (`type`, `metadata.*Date`) are evaluated once.
  [[nodiscard]] CqlCandidates plan(const CqlQuery& query) const;

 private:
  [[nodiscard]] std::optional<std::size_t> rank_of_number(std::size_t n) const;
  [[nodiscard]] std::size_t first_rank_not_below(std::string_view folded_id, bool strictly) const;
  [[nodiscard]] std::optional<CqlCandidates> resolve(const CqlNode& term) const;

  std::vector<std::uint32_t> order_;  ///< rank -> patron number, ascending by id
  std::vector<std::uint32_t> rank_;   ///< patron number -> rank
  std::vector<bool> taken_;           ///< by rank
  std::set<std::size_t> taken_ranks_;
  std::vector<std::string> group_ids_;
  std::string generated_at_;  ///< createdDate and updatedDate of every generated patron
  TimePoint generated_time_{};
};

}  // namespace ils_emulator
