// Library: check-out by barcode with mod-circulation's validators, errors collected, the block
// overrides of overrideBlocks and a loan date sent by the caller.
#include "checkout_overrides.hpp"
#include "due_date.hpp"
#include "json_fields.hpp"
#include "library.hpp"
#include "patron_blocks.hpp"
#include "record_views.hpp"

namespace ils_emulator {
namespace {

using nlohmann::json;

bool refused_status(std::string_view status) {
  return status == "Missing" || status == "Long missing" || status == "Declared lost" ||
         status == "Claimed returned" || status == "Withdrawn" || status == "Lost and paid" ||
         status == "Aged to lost" || status == "Unavailable" || status == "Unknown";
}

/// The request that reserves the item for someone other than `user_id`, or nullptr.
const json* reserved_for_other(LibraryState& s, const json& item, const std::string& user_id) {
  const auto queue = request_queue(s, text(item, "id"));
  if (queue.empty()) return nullptr;
  const json* first = queue.front();
  return text(*first, "requesterId") == user_id ? nullptr : first;
}

/// Refusals about the item; a not-loanable policy is left to the caller (it can be overridden).
std::vector<ValidationError> item_errors(LibraryState& s, const json& item, const json& user) {
  std::vector<ValidationError> errors;
  const std::string barcode = text(item, "barcode");
  const std::string status = item_status(item);
  if (status == "Checked out" || open_loan_for_item(s, text(item, "id")) != nullptr) {
    errors.push_back({"Item is already checked out", {{"itemBarcode", barcode}}, ""});
  } else if (refused_status(status)) {
    errors.push_back({text(item, "title") + " (" + text(item, "materialType", "name") +
                          ") (Barcode: " + barcode + ") has the item status " + status +
                          " and cannot be checked out",
                      {{"itemBarcode", barcode}},
                      ""});
  }
  if (errors.empty() && reserved_for_other(s, item, text(user, "id")) != nullptr) {
    errors.push_back({text(item, "title") + " (Barcode: " + barcode +
                          ") cannot be checked out to user " + personal_name(user) +
                          " because it has been requested by another patron",
                      {{"userBarcode", text(user, "barcode")}},
                      ""});
  }
  return errors;
}

/// Closes the requester's own request that the check-out fulfils.
void fulfil_own_request(LibraryState& s, const json& item, const std::string& user_id) {
  for (json* r : request_queue(s, text(item, "id"))) {
    if (text(*r, "requesterId") != user_id) continue;
    (*r)["status"] = "Closed - Filled";
    r->erase("position");
    break;
  }
  renumber_queue(s, text(item, "id"));
}

/// Refusals that need no user or item record: missing fields, unknown service point.
std::vector<ValidationError> request_errors(LibraryState& s, const std::string& item_barcode,
                                            const std::string& user_barcode,
                                            const std::string& service_point) {
  std::vector<ValidationError> errors;
  if (item_barcode.empty()) {
    errors.push_back({"Check out request must have an item barcode", {{"itemBarcode", ""}}, ""});
  }
  if (user_barcode.empty()) {
    errors.push_back({"Check out request must have a user barcode", {{"userBarcode", ""}}, ""});
  }
  if (service_point.empty() || s.service_points.find(service_point) == nullptr) {
    errors.push_back({"Check out must be performed at a service point",
                      {{"servicePointId", service_point}},
                      ""});
  }
  return errors;
}

/// Refusals about the user: unknown, inactive or expired (blocks are the caller's: they can be
/// overridden).
void add_user_errors(const json* user, const std::string& user_barcode, TimePoint now,
                     std::vector<ValidationError>& errors) {
  if (user == nullptr) {
    if (!user_barcode.empty()) {
      errors.push_back({"Could not find user with matching barcode",
                        {{"userBarcode", user_barcode}},
                        "USER_BARCODE_NOT_FOUND"});
    }
    return;
  }
  if (!user_is_active(*user, now)) {
    errors.push_back({"Cannot check out to inactive user", {{"userBarcode", user_barcode}}, ""});
  }
}

void append(std::vector<ValidationError>& to, std::vector<ValidationError> more) {
  for (auto& e : more)
    to.push_back(std::move(e));
}

/// What the check-out overrode, and the due date an overridden not-loanable item gets.
struct Overridden {
  json names = json::array();  ///< "patronBlock", "itemNotLoanableBlock"
  std::optional<TimePoint> due_date;
};

/// Adds the block and loan-policy refusals that `o` does not override; notes those it does.
Overridden apply_overrides(LibraryState& s, const json& user, const LoanPolicy& policy,
                           const CheckoutOverrides& o, TimePoint loan_date, TimePoint now,
                           std::vector<ValidationError>& errors) {
  Overridden done;
  auto blocks = block_errors(s, user, PatronAction::borrowing, now);
  if (!blocks.empty() && o.patron_block) {
    done.names.push_back("patronBlock");
  } else {
    append(errors, std::move(blocks));
  }
  if (policy.loanable) return done;
  if (!o.item_not_loanable) {
    errors.push_back({"Item is not loanable",
                      {{"loanPolicyId", policy.id}, {"loanPolicyName", policy.name}},
                      "ITEM_NOT_LOANABLE"});
  } else if (*o.due_date <= loan_date) {
    errors.push_back({"Due date should be later than loan date",
                      {{"dueDate", format_folio_time(*o.due_date)}},
                      ""});
  } else {
    done.names.push_back("itemNotLoanableBlock");
    done.due_date = o.due_date;
  }
  return done;
}

}  // namespace

FolioResult Library::check_out(const json& body) {
  std::lock_guard lock(mutex_);
  const TimePoint now = clock_.now();
  const std::string item_barcode = text(body, "itemBarcode");
  const std::string user_barcode = text(body, "userBarcode");
  const std::string service_point = text(body, "servicePointId");
  auto errors = request_errors(state_, item_barcode, user_barcode, service_point);
  const auto loan_date = read_loan_date(body, now);
  if (!loan_date) errors.push_back(loan_date.error());
  const auto overrides = read_overrides(body);
  if (!overrides) append(errors, overrides.error());
  json* user = user_by_barcode(state_, user_barcode);
  json* item = item_by_barcode(state_, item_barcode);
  if (!item_barcode.empty() && item == nullptr) {
    errors.push_back({"No item with barcode " + item_barcode + " could be found",
                      {{"itemBarcode", item_barcode}},
                      "ITEM_BARCODE_NOT_FOUND"});
  }
  if (user != nullptr && item != nullptr) append(errors, item_errors(state_, *item, *user));
  add_user_errors(user, user_barcode, now, errors);
  Overridden overridden;
  if (user != nullptr && item != nullptr && loan_date && overrides) {
    overridden = apply_overrides(state_, *user, policy_for(state_, *user, *item), *overrides,
                                 *loan_date, now, errors);
  }
  if (!errors.empty()) return tl::unexpected(validation_failure(errors));

  const LoanPolicy& policy = policy_for(state_, *user, *item);
  const TimePoint due = overridden.due_date.value_or(loan_due_date(policy, *loan_date));
  const std::string user_id = text(*user, "id");
  fulfil_own_request(state_, *item, user_id);
  set_item_status(*item, "Checked out", now);
  item->erase("inTransitDestinationServicePointId");
  json record = {{"id", new_uuid()},
                 {"userId", user_id},
                 {"itemId", text(*item, "id")},
                 {"status", {{"name", "Open"}}},
                 {"action", "checkedout"},
                 {"loanDate", format_folio_time(*loan_date)},
                 {"dueDate", format_folio_time(due)},
                 {"renewalCount", 0},
                 {"loanPolicyId", policy.id},
                 {"checkoutServicePointId", service_point},
                 {"patronGroupIdAtCheckout", text(*user, "patronGroup")}};
  json detail = {{"loan_id", text(record, "id")}, {"due_date", text(record, "dueDate")}};
  if (overrides->requested) {
    // As mod-circulation: a check-out sent with overrides is recorded as one, with the comment.
    record["action"] = "checkedOutThroughOverride";
    record["actionComment"] = overrides->comment;
    detail["overridden"] = overridden.names;
    detail["override_comment"] = overrides->comment;
  }
  const json& loan = state_.loans.put(std::move(record));
  json view = loan_view(state_, loan);
  record_mutation(state_, "checkout", ledger_subject(item, user), *loan_date, now,
                  std::move(detail));
  return view;
}

}  // namespace ils_emulator
