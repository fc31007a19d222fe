// RecordStore and CQL paging.
#include "record_store.hpp"

#include "cql_match.hpp"
#include "json_fields.hpp"

namespace ils_emulator {

nlohmann::json& RecordStore::put(nlohmann::json record) {
  const std::string id = text(record, "id");
  if (const auto it = index_.find(id); it != index_.end()) {
    records_[it->second] = std::move(record);
    return records_[it->second];
  }
  index_.emplace(id, records_.size());
  records_.push_back(std::move(record));
  return records_.back();
}

nlohmann::json* RecordStore::find(std::string_view id) {
  const auto it = index_.find(std::string(id));
  return it == index_.end() ? nullptr : &records_[it->second];
}

nlohmann::json* RecordStore::find_by(std::string_view field, std::string_view value) {
  for (auto& r : records_) {
    const auto it = r.find(std::string(field));
    if (it != r.end() && it->is_string() && it->get_ref<const std::string&>() == value) return &r;
  }
  return nullptr;
}

bool RecordStore::erase(std::string_view id) {
  const auto it = index_.find(std::string(id));
  if (it == index_.end()) return false;
  records_.erase(records_.begin() + static_cast<std::ptrdiff_t>(it->second));
  index_.clear();
  for (std::size_t i = 0; i < records_.size(); ++i) {
    index_.emplace(text(records_[i], "id"), i);
  }
  return true;
}

Page select_page(const std::vector<nlohmann::json>& records, const CqlQuery* query, Paging paging) {
  std::vector<nlohmann::json> matches;
  for (const auto& r : records) {
    if (query == nullptr || cql_matches(*query, r)) matches.push_back(r);
  }
  if (query != nullptr) cql_sort(*query, matches);
  Page page;
  page.total = matches.size();
  for (std::size_t i = paging.offset; i < matches.size() && page.records.size() < paging.limit;
       ++i) {
    page.records.push_back(std::move(matches[i]));
  }
  return page;
}

}  // namespace ils_emulator
