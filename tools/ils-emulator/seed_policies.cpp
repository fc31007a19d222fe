// Seed loading: loan policies (FOLIO's record shape), circulation rules, groups, block limits.
#include <algorithm>

#include "json_fields.hpp"
#include "seed_loader.hpp"
#include "seed_schema.hpp"

namespace ils_emulator {
namespace {

using nlohmann::json;

bool known_interval(std::string_view i) {
  return i == "Minutes" || i == "Hours" || i == "Days" || i == "Weeks" || i == "Months";
}

SeedStatus read_policy(const json& p, const std::string& path, LoanPolicy& policy) {
  if (auto e = check_fields(p, path,
                            {{"id", FieldType::string},
                             {"name", FieldType::string},
                             {"loanable", FieldType::boolean},
                             {"renewable", FieldType::boolean, false},
                             {"loansPolicy", FieldType::object, false},
                             {"renewalsPolicy", FieldType::object, false}})) {
    return seed_error(*e);
  }
  policy.id = text(p, "id");
  policy.name = text(p, "name");
  policy.loanable = flag(p, "loanable");
  policy.renewable = flag(p, "renewable", true);
  const json& period = member(member(p, "loansPolicy"), "period");
  if (policy.loanable) {
    if (auto e =
            check_fields(period, path + ".loansPolicy.period",
                         {{"duration", FieldType::integer}, {"intervalId", FieldType::string}})) {
      return seed_error(*e);
    }
    policy.duration = integer(period, "duration");
    policy.interval = text(period, "intervalId");
    if (policy.duration <= 0 || policy.duration > 100000) {
      return seed_error(path + ".loansPolicy.period.duration: must be between 1 and 100000");
    }
    if (!known_interval(policy.interval)) {
      return seed_error(path +
                        ".loansPolicy.period.intervalId: must be Minutes, Hours, Days, Weeks "
                        "or Months");
    }
  }
  const json& renewals = member(p, "renewalsPolicy");
  const long long allowed = integer(renewals, "numberAllowed", 0);
  if (allowed < 0 || allowed > 1000) {
    return seed_error(path + ".renewalsPolicy.numberAllowed: must be between 0 and 1000");
  }
  policy.renewal_limit = static_cast<int>(allowed);
  policy.unlimited_renewals = flag(renewals, "unlimited");
  policy.renew_from_due_date =
      text_or(renewals, "renewFromId", "CURRENT_DUE_DATE") != "SYSTEM_DATE";
  policy.renewable_with_holds =
      flag(member(member(p, "requestManagement"), "holds"), "renewItemsWithRequest");
  return {};
}

SeedStatus load_loan_policies(const json& seed, LibraryState& state) {
  if (auto e = check_array(seed, "loanPolicies", true)) return seed_error(*e);
  const json& policies = seed["loanPolicies"];
  if (policies.empty()) return seed_error("loanPolicies: must not be empty");
  for (std::size_t i = 0; i < policies.size(); ++i) {
    LoanPolicy policy;
    if (auto s = read_policy(policies[i], element_path("loanPolicies", i), policy); !s) return s;
    state.policies.push_back(std::move(policy));
    state.loan_policies.put(policies[i]);
  }
  if (auto e = check_array(seed, "circulationRules", true)) return seed_error(*e);
  const json& rules = seed["circulationRules"];
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const std::string path = element_path("circulationRules", i);
    if (auto e = check_fields(rules[i], path,
                              {{"loanPolicyId", FieldType::string},
                               {"patronGroupId", FieldType::string, false},
                               {"materialType", FieldType::string, false}})) {
      return seed_error(*e);
    }
    CirculationRule rule{text(rules[i], "patronGroupId"), text(rules[i], "materialType"),
                         text(rules[i], "loanPolicyId")};
    if (state.loan_policies.find(rule.loan_policy_id) == nullptr) {
      return seed_error(path + ".loanPolicyId: no such loan policy");
    }
    state.rules.push_back(std::move(rule));
  }
  if (state.rules.empty() || !state.rules.back().patron_group_id.empty() ||
      !state.rules.back().material_type.empty()) {
    return seed_error(
        "circulationRules: the last rule must name only a loanPolicyId (the fallback)");
  }
  return {};
}

SeedStatus load_conditions(const json& seed, LibraryState& state) {
  if (auto e = check_array(seed, "blockConditions", false)) return seed_error(*e);
  const json conditions = seed.value("blockConditions", json::array());
  for (std::size_t i = 0; i < conditions.size(); ++i) {
    const json& c = conditions[i];
    if (auto e = check_fields(c, element_path("blockConditions", i),
                              {{"id", FieldType::string},
                               {"name", FieldType::string},
                               {"blockBorrowing", FieldType::boolean},
                               {"blockRenewals", FieldType::boolean},
                               {"blockRequests", FieldType::boolean},
                               {"message", FieldType::string, false}})) {
      return seed_error(*e);
    }
    state.conditions.push_back({text(c, "id"), text(c, "name"), flag(c, "blockBorrowing"),
                                flag(c, "blockRenewals"), flag(c, "blockRequests"),
                                text(c, "message")});
  }
  return {};
}

SeedStatus load_groups(const json& seed, LibraryState& state) {
  if (auto e = check_array(seed, "patronGroups", true)) return seed_error(*e);
  const json& groups = seed["patronGroups"];
  if (groups.empty()) return seed_error("patronGroups: must not be empty");
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const json& g = groups[i];
    const std::string path = element_path("patronGroups", i);
    if (auto e = check_fields(g, path,
                              {{"id", FieldType::string},
                               {"group", FieldType::string},
                               {"desc", FieldType::string, false},
                               {"blockLimits", FieldType::array, false}})) {
      return seed_error(*e);
    }
    PatronGroup group{text(g, "id"), text(g, "group"), text(g, "desc"), {}};
    const json limits = g.value("blockLimits", json::array());
    for (std::size_t k = 0; k < limits.size(); ++k) {
      const std::string limit_path = element_path(path + ".blockLimits", k);
      if (auto e =
              check_fields(limits[k], limit_path,
                           {{"conditionId", FieldType::string}, {"value", FieldType::number}})) {
        return seed_error(*e);
      }
      const std::string condition = text(limits[k], "conditionId");
      if (std::none_of(state.conditions.begin(), state.conditions.end(),
                       [&](const BlockCondition& c) { return c.id == condition; })) {
        return seed_error(limit_path + ".conditionId: no such block condition");
      }
      group.limits[condition] = number(limits[k], "value");
    }
    state.groups.push_back(std::move(group));
  }
  return {};
}

}  // namespace

tl::expected<void, std::string> load_policies(const json& seed, LibraryState& state) {
  SeedStatus status = load_loan_policies(seed, state);
  if (status) status = load_conditions(seed, state);
  if (status) status = load_groups(seed, state);
  return status;
}

}  // namespace ils_emulator
