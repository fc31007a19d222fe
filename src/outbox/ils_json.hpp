// JSON of the ils request and result types a job carries (its sealed args and result), so that a
// job can be delivered after a restart and its outcome answered to a kiosk that asks again.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "ils/types.hpp"

namespace outbox {

/// The args of an item_status job (SIP 19).
struct ItemStatusArgs {
  std::string item_barcode;
  std::string properties;  ///< SIP CH
};

}  // namespace outbox

namespace ils {

// Requests (a job's args). Optional dates are omitted when empty; times are seconds since the
// epoch. from_json throws nlohmann::json::exception on a missing or mistyped member (a job whose
// args cannot be read becomes an exception).
void to_json(nlohmann::json& j, const PatronRef& v);
void from_json(const nlohmann::json& j, PatronRef& v);
void to_json(nlohmann::json& j, const CheckoutRequest& v);
void from_json(const nlohmann::json& j, CheckoutRequest& v);
void to_json(nlohmann::json& j, const CheckinRequest& v);
void from_json(const nlohmann::json& j, CheckinRequest& v);
void to_json(nlohmann::json& j, const RenewRequest& v);
void from_json(const nlohmann::json& j, RenewRequest& v);
void to_json(nlohmann::json& j, const HoldRequest& v);
void from_json(const nlohmann::json& j, HoldRequest& v);
void to_json(nlohmann::json& j, const CancelHoldRequest& v);
void from_json(const nlohmann::json& j, CancelHoldRequest& v);
void to_json(nlohmann::json& j, const FeePayment& v);
void from_json(const nlohmann::json& j, FeePayment& v);
void to_json(nlohmann::json& j, const BlockRequest& v);
void from_json(const nlohmann::json& j, BlockRequest& v);

// Results (a job's result).
void to_json(nlohmann::json& j, const Item& v);
void from_json(const nlohmann::json& j, Item& v);
void to_json(nlohmann::json& j, const Loan& v);
void from_json(const nlohmann::json& j, Loan& v);
void to_json(nlohmann::json& j, const CheckinResult& v);
void from_json(const nlohmann::json& j, CheckinResult& v);
void to_json(nlohmann::json& j, const Unrenewed& v);
void from_json(const nlohmann::json& j, Unrenewed& v);
void to_json(nlohmann::json& j, const RenewAllResult& v);
void from_json(const nlohmann::json& j, RenewAllResult& v);
void to_json(nlohmann::json& j, const FeeBalance& v);
void from_json(const nlohmann::json& j, FeeBalance& v);
void to_json(nlohmann::json& j, const PaymentResult& v);
void from_json(const nlohmann::json& j, PaymentResult& v);
void to_json(nlohmann::json& j, const Hold& v);
void from_json(const nlohmann::json& j, Hold& v);
void to_json(nlohmann::json& j, const Block& v);
void from_json(const nlohmann::json& j, Block& v);
void to_json(nlohmann::json& j, const EnableResult& v);
void from_json(const nlohmann::json& j, EnableResult& v);

}  // namespace ils

namespace outbox {
void to_json(nlohmann::json& j, const ItemStatusArgs& v);
void from_json(const nlohmann::json& j, ItemStatusArgs& v);
}  // namespace outbox
