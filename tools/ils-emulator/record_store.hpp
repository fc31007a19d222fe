// An insertion-ordered collection of FOLIO JSON records indexed by `id`, and CQL paging over it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "cql_query.hpp"

namespace ils_emulator {

/// Records of one kind (users, items, loans, ...), each an object with a string `id`.
class RecordStore {
 public:
  /// Adds or replaces the record with the same `id`; returns a reference to the stored copy.
  nlohmann::json& put(nlohmann::json record);
  /// The record with this id, or nullptr.
  [[nodiscard]] nlohmann::json* find(std::string_view id);
  /// The first record whose `field` equals `value` (string compare), or nullptr.
  [[nodiscard]] nlohmann::json* find_by(std::string_view field, std::string_view value);
  /// Removes the record; false when there was none.
  bool erase(std::string_view id);
  /// All records in insertion order.
  [[nodiscard]] std::vector<nlohmann::json>& all() { return records_; }
  [[nodiscard]] const std::vector<nlohmann::json>& all() const { return records_; }

 private:
  std::vector<nlohmann::json> records_;
  std::unordered_map<std::string, std::size_t> index_;
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

}  // namespace ils_emulator
