// JSON of the ils types a job carries. Short member names: these are sealed journal values, not
// an interchange format. Times are seconds since the epoch; enums their numeric values.
#include "outbox/ils_json.hpp"

namespace ils {
namespace {

using nlohmann::json;

void put_time(json& j, const char* name, const std::optional<Timestamp>& t) {
  if (t) j[name] = t->time_since_epoch().count();
}

std::optional<Timestamp> get_time(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return Timestamp(std::chrono::seconds(it->get<std::int64_t>()));
}

template <class T>
void get(const json& j, const char* name, T& out) {
  auto it = j.find(name);
  if (it != j.end()) it->get_to(out);
}

template <class E>
E get_enum(const json& j, const char* name) {
  auto it = j.find(name);
  return it == j.end() ? E{} : static_cast<E>(it->get<int>());
}

}  // namespace

void to_json(json& j, const PatronRef& v) {
  j = json{{"id", v.id}, {"bc", v.barcode}};
}
void from_json(const json& j, PatronRef& v) {
  j.at("id").get_to(v.id);
  j.at("bc").get_to(v.barcode);
}

void to_json(json& j, const CheckoutRequest& v) {
  j = json{{"patron", v.patron}, {"item", v.item_barcode}, {"sp", v.service_point_id}};
  put_time(j, "loan", v.loan_date);
  put_time(j, "due", v.due_date);
  if (v.override_blocks) j["override"] = true;
  if (!v.override_comment.empty()) j["comment"] = v.override_comment;
}
void from_json(const json& j, CheckoutRequest& v) {
  j.at("patron").get_to(v.patron);
  j.at("item").get_to(v.item_barcode);
  get(j, "sp", v.service_point_id);
  v.loan_date = get_time(j, "loan");
  v.due_date = get_time(j, "due");
  get(j, "override", v.override_blocks);
  get(j, "comment", v.override_comment);
}

void to_json(json& j, const CheckinRequest& v) {
  j = json{{"item", v.item_barcode},
           {"ret", v.return_date.time_since_epoch().count()},
           {"sp", v.service_point_id},
           {"session", v.session_id}};
  if (!v.refuse_statuses.empty()) j["refuse"] = v.refuse_statuses;
}
void from_json(const json& j, CheckinRequest& v) {
  j.at("item").get_to(v.item_barcode);
  v.return_date = Timestamp(std::chrono::seconds(j.at("ret").get<std::int64_t>()));
  get(j, "sp", v.service_point_id);
  get(j, "session", v.session_id);
  get(j, "refuse", v.refuse_statuses);
}

void to_json(json& j, const RenewRequest& v) {
  j = json{{"patron", v.patron}, {"item", v.item_barcode}, {"sp", v.service_point_id}};
}
void from_json(const json& j, RenewRequest& v) {
  j.at("patron").get_to(v.patron);
  j.at("item").get_to(v.item_barcode);
  get(j, "sp", v.service_point_id);
}

void to_json(json& j, const HoldRequest& v) {
  j = json{{"patron", v.patron}, {"item", v.item_barcode}, {"pickup", v.pickup_location_id}};
  put_time(j, "exp", v.expires_at);
}
void from_json(const json& j, HoldRequest& v) {
  j.at("patron").get_to(v.patron);
  j.at("item").get_to(v.item_barcode);
  get(j, "pickup", v.pickup_location_id);
  v.expires_at = get_time(j, "exp");
}

void to_json(json& j, const CancelHoldRequest& v) {
  j = json{{"patron", v.patron}, {"item", v.item_barcode}, {"hold", v.hold_id}};
}
void from_json(const json& j, CancelHoldRequest& v) {
  j.at("patron").get_to(v.patron);
  j.at("item").get_to(v.item_barcode);
  get(j, "hold", v.hold_id);
}

void to_json(json& j, const FeePayment& v) {
  j = json{{"patron", v.patron},         {"fee", v.fee_id},         {"amount", v.amount},
           {"method", v.payment_method}, {"txn", v.transaction_id}, {"operator", v.operator_name}};
  if (!v.comments.empty()) j["comments"] = v.comments;
}
void from_json(const json& j, FeePayment& v) {
  j.at("patron").get_to(v.patron);
  get(j, "fee", v.fee_id);
  j.at("amount").get_to(v.amount);
  get(j, "method", v.payment_method);
  get(j, "txn", v.transaction_id);
  get(j, "operator", v.operator_name);
  get(j, "comments", v.comments);
}

void to_json(json& j, const BlockRequest& v) {
  j = json{{"patron", v.patron}, {"reason", v.reason}, {"retained", v.card_retained}};
}
void from_json(const json& j, BlockRequest& v) {
  j.at("patron").get_to(v.patron);
  get(j, "reason", v.reason);
  get(j, "retained", v.card_retained);
}

void to_json(json& j, const Item& v) {
  j = json{{"id", v.id},
           {"bc", v.barcode},
           {"title", v.title},
           {"call", v.call_number},
           {"status", static_cast<int>(v.status)},
           {"status_name", v.status_name},
           {"perm", v.permanent_location},
           {"loc", v.current_location},
           {"mt", v.material_type},
           {"hr", v.holdings_record_id},
           {"inst", v.instance_id},
           {"renewals", v.renewal_count},
           {"queue", v.hold_queue_length},
           {"borrower", v.borrower_id},
           {"borrower_bc", v.borrower_barcode},
           {"pickup", v.hold_pickup_location}};
  put_time(j, "due", v.due_date);
  put_time(j, "loan", v.loan_date);
}
void from_json(const json& j, Item& v) {
  get(j, "id", v.id);
  get(j, "bc", v.barcode);
  get(j, "title", v.title);
  get(j, "call", v.call_number);
  v.status = get_enum<ItemStatus>(j, "status");
  get(j, "status_name", v.status_name);
  get(j, "perm", v.permanent_location);
  get(j, "loc", v.current_location);
  get(j, "mt", v.material_type);
  get(j, "hr", v.holdings_record_id);
  get(j, "inst", v.instance_id);
  get(j, "renewals", v.renewal_count);
  get(j, "queue", v.hold_queue_length);
  get(j, "borrower", v.borrower_id);
  get(j, "borrower_bc", v.borrower_barcode);
  get(j, "pickup", v.hold_pickup_location);
  v.due_date = get_time(j, "due");
  v.loan_date = get_time(j, "loan");
}

void to_json(json& j, const Loan& v) {
  j = json{{"id", v.id},        {"item_id", v.item_id},     {"item", v.item_barcode},
           {"title", v.title},  {"call", v.call_number},    {"mt", v.material_type},
           {"loc", v.location}, {"overdue", v.overdue},     {"renewals", v.renewal_count},
           {"user", v.user_id}, {"user_bc", v.user_barcode}};
  put_time(j, "loan", v.loan_date);
  put_time(j, "due", v.due_date);
}
void from_json(const json& j, Loan& v) {
  get(j, "id", v.id);
  get(j, "item_id", v.item_id);
  get(j, "item", v.item_barcode);
  get(j, "title", v.title);
  get(j, "call", v.call_number);
  get(j, "mt", v.material_type);
  get(j, "loc", v.location);
  get(j, "overdue", v.overdue);
  get(j, "renewals", v.renewal_count);
  get(j, "user", v.user_id);
  get(j, "user_bc", v.user_barcode);
  v.loan_date = get_time(j, "loan");
  v.due_date = get_time(j, "due");
}

void to_json(json& j, const CheckinResult& v) {
  j = json{{"item", v.item},
           {"had_loan", v.had_loan},
           {"borrower", v.borrower_id},
           {"borrower_bc", v.borrower_barcode},
           {"trapped", v.hold_trapped},
           {"hold_patron", v.hold_patron_id},
           {"hold_patron_bc", v.hold_patron_barcode},
           {"pickup", v.pickup_location_id},
           {"transit", v.in_transit_destination},
           {"alert", static_cast<int>(v.alert)}};
  if (v.hold_check_failure)
    j["hold_check"] = json{{"code", v.hold_check_failure->code.value()},
                           {"message", v.hold_check_failure->message}};
}
void from_json(const json& j, CheckinResult& v) {
  j.at("item").get_to(v.item);
  get(j, "had_loan", v.had_loan);
  get(j, "borrower", v.borrower_id);
  get(j, "borrower_bc", v.borrower_barcode);
  get(j, "trapped", v.hold_trapped);
  get(j, "hold_patron", v.hold_patron_id);
  get(j, "hold_patron_bc", v.hold_patron_barcode);
  get(j, "pickup", v.pickup_location_id);
  get(j, "transit", v.in_transit_destination);
  v.alert = get_enum<CheckinAlert>(j, "alert");
  if (auto it = j.find("hold_check"); it != j.end()) {
    Failure f;
    f.code = make_error_code(static_cast<errc>(it->at("code").get<int>()));
    it->at("message").get_to(f.message);
    v.hold_check_failure = std::move(f);
  }
}

void to_json(json& j, const Unrenewed& v) {
  j = json{{"item", v.item_barcode}, {"title", v.title}, {"reason", v.reason}};
}
void from_json(const json& j, Unrenewed& v) {
  get(j, "item", v.item_barcode);
  get(j, "title", v.title);
  get(j, "reason", v.reason);
}

void to_json(json& j, const RenewAllResult& v) {
  j = json{{"renewed", v.renewed}, {"unrenewed", v.unrenewed}};
}
void from_json(const json& j, RenewAllResult& v) {
  get(j, "renewed", v.renewed);
  get(j, "unrenewed", v.unrenewed);
}

void to_json(json& j, const FeeBalance& v) {
  j = json{{"fee", v.fee_id}, {"paid", v.paid}, {"remaining", v.remaining}};
}
void from_json(const json& j, FeeBalance& v) {
  get(j, "fee", v.fee_id);
  get(j, "paid", v.paid);
  get(j, "remaining", v.remaining);
}

void to_json(json& j, const PaymentResult& v) {
  j = json{{"paid", v.paid}, {"remaining", v.remaining}, {"fees", v.fees}};
}
void from_json(const json& j, PaymentResult& v) {
  get(j, "paid", v.paid);
  get(j, "remaining", v.remaining);
  get(j, "fees", v.fees);
}

void to_json(json& j, const Hold& v) {
  j = json{{"id", v.id},
           {"kind", static_cast<int>(v.kind)},
           {"available", v.available},
           {"status", v.status},
           {"requester", v.requester_id},
           {"requester_bc", v.requester_barcode},
           {"item_id", v.item_id},
           {"item", v.item_barcode},
           {"inst", v.instance_id},
           {"title", v.title},
           {"position", v.position},
           {"pickup", v.pickup_location_id}};
  put_time(j, "requested", v.request_date);
  put_time(j, "exp", v.expires_at);
  put_time(j, "shelf_exp", v.hold_shelf_expires_at);
}
void from_json(const json& j, Hold& v) {
  get(j, "id", v.id);
  v.kind = get_enum<HoldKind>(j, "kind");
  get(j, "available", v.available);
  get(j, "status", v.status);
  get(j, "requester", v.requester_id);
  get(j, "requester_bc", v.requester_barcode);
  get(j, "item_id", v.item_id);
  get(j, "item", v.item_barcode);
  get(j, "inst", v.instance_id);
  get(j, "title", v.title);
  get(j, "position", v.position);
  get(j, "pickup", v.pickup_location_id);
  v.request_date = get_time(j, "requested");
  v.expires_at = get_time(j, "exp");
  v.hold_shelf_expires_at = get_time(j, "shelf_exp");
}

void to_json(json& j, const Block& v) {
  j = json{{"id", v.id},
           {"source", static_cast<int>(v.source)},
           {"borrowing", v.borrowing},
           {"renewals", v.renewals},
           {"requests", v.requests},
           {"message", v.message},
           {"ours", v.created_by_gateway}};
  put_time(j, "exp", v.expires_at);
}
void from_json(const json& j, Block& v) {
  get(j, "id", v.id);
  v.source = get_enum<BlockSource>(j, "source");
  get(j, "borrowing", v.borrowing);
  get(j, "renewals", v.renewals);
  get(j, "requests", v.requests);
  get(j, "message", v.message);
  get(j, "ours", v.created_by_gateway);
  v.expires_at = get_time(j, "exp");
}

void to_json(json& j, const EnableResult& v) {
  j = json{{"removed", v.removed}, {"remaining", v.remaining}};
}
void from_json(const json& j, EnableResult& v) {
  get(j, "removed", v.removed);
  get(j, "remaining", v.remaining);
}

}  // namespace ils

namespace outbox {

void to_json(nlohmann::json& j, const ItemStatusArgs& v) {
  j = nlohmann::json{{"item", v.item_barcode}, {"properties", v.properties}};
}
void from_json(const nlohmann::json& j, ItemStatusArgs& v) {
  j.at("item").get_to(v.item_barcode);
  j.at("properties").get_to(v.properties);
}

}  // namespace outbox
