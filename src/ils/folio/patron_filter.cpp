// The patron filter: excluded user types and groups, and the identifier fields.
#include "ils/folio/patron_filter.hpp"

#include <algorithm>

namespace ils::folio {
namespace {

bool listed(const std::vector<std::string>& list, std::string_view value) {
  return !value.empty() && std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

bool excluded_user(const Json& user, const FolioConfig& config, std::string_view group_name) {
  return listed(config.excluded_user_types, text(user, "type")) ||
         listed(config.excluded_patron_groups, text(user, "patronGroup")) ||
         listed(config.excluded_patron_groups, group_name);
}

bool reachable_patron(const Json& user, const FolioConfig& config, std::string_view group_name) {
  if (excluded_user(user, config, group_name)) return false;
  return std::any_of(config.patron_identifier_fields.begin(), config.patron_identifier_fields.end(),
                     [&](const std::string& field) { return !text(user, field.c_str()).empty(); });
}

}  // namespace ils::folio
