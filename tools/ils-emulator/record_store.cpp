// RecordStore, its field indexes and CQL paging.
#include "record_store.hpp"

#include <algorithm>
#include <cctype>

#include "cql_match.hpp"
#include "cql_plan.hpp"
#include "json_fields.hpp"

namespace ils_emulator {

std::string fold_case(std::string_view value) {
  std::string out(value);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  return out;
}

RecordStore::RecordStore(std::vector<std::string> indexed_fields) {
  for (auto& field : indexed_fields)
    fields_[std::move(field)];
}

void RecordStore::index_record(std::size_t position) {
  for (auto& [field, values] : fields_) {
    const std::string value = text(records_[position], field);
    if (!value.empty()) values.emplace(fold_case(value), position);
  }
}

void RecordStore::unindex_record(std::size_t position) {
  for (auto& [field, values] : fields_) {
    auto [first, last] = values.equal_range(fold_case(text(records_[position], field)));
    for (auto it = first; it != last; ++it) {
      if (it->second != position) continue;
      values.erase(it);
      break;
    }
  }
}

nlohmann::json& RecordStore::put(nlohmann::json record) {
  const std::string id = text(record, "id");
  if (const auto it = index_.find(id); it != index_.end()) {
    unindex_record(it->second);
    records_[it->second] = std::move(record);
    index_record(it->second);
    return records_[it->second];
  }
  index_.emplace(id, records_.size());
  records_.push_back(std::move(record));
  index_record(records_.size() - 1);
  return records_.back();
}

nlohmann::json* RecordStore::find(std::string_view id) {
  const auto it = index_.find(std::string(id));
  return it == index_.end() ? nullptr : &records_[it->second];
}

const nlohmann::json* RecordStore::find(std::string_view id) const {
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
  for (auto& [field, values] : fields_)
    values.clear();
  for (std::size_t i = 0; i < records_.size(); ++i) {
    index_.emplace(text(records_[i], "id"), i);
    index_record(i);
  }
  return true;
}

std::optional<std::vector<std::size_t>> RecordStore::positions(std::string_view field,
                                                               std::string_view value) const {
  const auto it = fields_.find(field);
  if (it == fields_.end()) return std::nullopt;
  std::vector<std::size_t> out;
  auto [first, last] = it->second.equal_range(fold_case(value));
  for (auto i = first; i != last; ++i)
    out.push_back(i->second);
  return out;
}

std::vector<const nlohmann::json*> RecordStore::with(std::string_view field,
                                                     std::string_view value) const {
  std::vector<const nlohmann::json*> out;
  if (auto found = positions(field, value)) {
    std::sort(found->begin(), found->end());
    for (const std::size_t p : *found)
      out.push_back(&records_[p]);
    return out;
  }
  for (const auto& r : records_)
    if (text(r, field) == value) out.push_back(&r);
  return out;
}

std::vector<const nlohmann::json*> matching_records(const RecordStore& store,
                                                    const CqlQuery* query) {
  std::vector<const nlohmann::json*> out;
  const auto& records = store.all();
  if (query == nullptr) {
    for (const auto& r : records)
      out.push_back(&r);
    return out;
  }
  const auto resolve = [&](const CqlNode& term) -> std::optional<CqlCandidates> {
    if (term.relation != CqlRelation::exact || !literal_values(term)) return std::nullopt;
    std::vector<std::size_t> found;
    for (const auto& value : term.values) {
      auto positions = store.positions(term.index, value.text);
      if (!positions) return std::nullopt;
      found.insert(found.end(), positions->begin(), positions->end());
    }
    return CqlCandidates::positions(std::move(found), true);
  };
  const CqlCandidates candidates = plan_cql(*query, records.size(), resolve);
  candidates.each([&](std::size_t p) {
    if (candidates.exact || cql_matches(*query, records[p])) out.push_back(&records[p]);
    return true;
  });
  return out;
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

Page select_page(const RecordStore& store, const CqlQuery* query, Paging paging) {
  const auto found = matching_records(store, query);
  Page page;
  page.total = found.size();
  if (query == nullptr || query->sort.empty()) {
    for (std::size_t i = paging.offset; i < found.size() && page.records.size() < paging.limit; ++i)
      page.records.push_back(*found[i]);
    return page;
  }
  std::vector<nlohmann::json> matches;
  matches.reserve(found.size());
  for (const auto* r : found)
    matches.push_back(*r);
  cql_sort(*query, matches);
  for (std::size_t i = paging.offset; i < matches.size() && page.records.size() < paging.limit; ++i)
    page.records.push_back(std::move(matches[i]));
  return page;
}

}  // namespace ils_emulator
