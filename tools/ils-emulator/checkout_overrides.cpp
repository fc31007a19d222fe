// Reading a check-out's overrideBlocks and loanDate as mod-circulation validates them.
#include "checkout_overrides.hpp"

#include "json_fields.hpp"

namespace ils_emulator {

using nlohmann::json;

tl::expected<CheckoutOverrides, std::vector<ValidationError>> read_overrides(const json& body) {
  CheckoutOverrides o;
  const json& overrides = member(body, "overrideBlocks");
  if (overrides.is_null()) return o;
  if (!overrides.is_object()) {
    return tl::unexpected(std::vector<ValidationError>{
        {"overrideBlocks must be an object", {{"overrideBlocks", overrides.dump()}}, ""}});
  }
  o.requested = true;
  o.patron_block = member(overrides, "patronBlock").is_object();
  o.item_limit_block = member(overrides, "itemLimitBlock").is_object();
  const json& not_loanable = member(overrides, "itemNotLoanableBlock");
  o.item_not_loanable = not_loanable.is_object();
  o.comment = text(overrides, "comment");
  std::vector<ValidationError> errors;
  if (o.item_not_loanable) {
    o.due_date = parse_iso_time(text(not_loanable, "dueDate"));
    if (!o.due_date) {
      errors.push_back({"Override should be performed with due date specified",
                        {{"dueDate", text(not_loanable, "dueDate")}},
                        ""});
    }
  }
  if (o.comment.empty()) {
    errors.push_back(
        {"Override should be performed with the comment specified", {{"comment", ""}}, ""});
  }
  if (!errors.empty()) return tl::unexpected(std::move(errors));
  return o;
}

tl::expected<TimePoint, ValidationError> read_loan_date(const json& body, TimePoint now) {
  if (!body.contains("loanDate")) return now;
  const auto date = parse_iso_time(text(body, "loanDate"));
  if (!date) {
    return tl::unexpected(ValidationError{
        "loanDate is not a valid date-time", {{"loanDate", text(body, "loanDate")}}, ""});
  }
  return *date;
}

}  // namespace ils_emulator
