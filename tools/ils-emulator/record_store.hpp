// An insertion-ordered collection of FOLIO JSON records indexed by `id`, and CQL paging over it.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "cql_query.hpp"

namespace ils_emulator {

/// Records of one kind (users, items, loans, ...), each an object with a string `id`. Adding a
/// record never moves the others, so pointers stay valid until a record is erased.
class RecordStore {
 public:
  RecordStore() = default;
  /// A store that also indexes these top-level string fields for `field==value` searches; the
  /// callers never change an indexed field of a stored record in place.
  explicit RecordStore(std::vector<std::string> indexed_fields);

  /// Adds or replaces the record with the same `id`; returns a reference to the stored copy.
  nlohmann::json& put(nlohmann::json record);
  /// The record with this id, or nullptr.
  [[nodiscard]] nlohmann::json* find(std::string_view id);
  [[nodiscard]] const nlohmann::json* find(std::string_view id) const;
  /// The first record whose `field` equals `value` (string compare), or nullptr.
  [[nodiscard]] nlohmann::json* find_by(std::string_view field, std::string_view value);
  /// Removes the record; false when there was none.
  bool erase(std::string_view id);
  /// All records in insertion order.
  [[nodiscard]] std::deque<nlohmann::json>& all() { return records_; }
  [[nodiscard]] const std::deque<nlohmann::json>& all() const { return records_; }
  /// Records whose `field` equals `value` (case-insensitively when indexed, else exactly), in
  /// insertion order.
  [[nodiscard]] std::vector<const nlohmann::json*> with(std::string_view field,
                                                        std::string_view value) const;
  /// Positions of records whose indexed `field` equals `value` ignoring case; nullopt when the
  /// field is not indexed.
  [[nodiscard]] std::optional<std::vector<std::size_t>> positions(std::string_view field,
                                                                  std::string_view value) const;

 private:
  void index_record(std::size_t position);
  void unindex_record(std::size_t position);

  std::deque<nlohmann::json> records_;
  std::unordered_map<std::string, std::size_t> index_;
  /// field -> case-folded value -> positions
  std::map<std::string, std::unordered_multimap<std::string, std::size_t>, std::less<>> fields_;
};

/// One page of query results plus the number of matches before paging.
struct Page {
  std::vector<nlohmann::json> records;  ///< the page
  std::size_t total = 0;                ///< all matches
};

/// Offset and limit as sent by the client (FOLIO's default limit is 10).
struct Paging {
  std::size_t offset = 0;  ///< records to skip
  std::size_t limit = 10;  ///< records to return at most
};

/// Filters `records` by `query` (null matches all), sorts by its sortBy keys, cuts one page.
[[nodiscard]] Page select_page(const std::vector<nlohmann::json>& records, const CqlQuery* query,
                               Paging paging);

/// The same over a store, using its field indexes for `field==value` terms.
[[nodiscard]] Page select_page(const RecordStore& store, const CqlQuery* query, Paging paging);

/// The matches of `query` in `store`, in insertion order (before sorting).
[[nodiscard]] std::vector<const nlohmann::json*> matching_records(const RecordStore& store,
                                                                  const CqlQuery* query);

/// `value` lower-cased (ASCII), as CQL compares.
[[nodiscard]] std::string fold_case(std::string_view value);

}  // namespace ils_emulator
