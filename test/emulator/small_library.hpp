// A small seeded library for the emulator's model tests, plus request-body helpers.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "library.hpp"

namespace emulator_test {

using nlohmann::json;

/// Patrons: P1 normal (PIN 1111, owes 3.00), P2 manual block, P3 owes 12.00 (over the 10.00
/// limit), P4 expired, P5 inactive, P6 has a hold, P7 two overdue loans (at the limit of 2).
/// Items: I1 book, I2 dvd, I3 reference, I4 missing, I5 branch book, I6 awaiting pickup for P6,
/// I7 on loan to P1 with a hold by P6, I8/I9 overdue loans of P7.
inline json small_seed() {
  return json::parse(R"({
  "serviceUsers": [{"username": "gw", "password": "gw-pass"}],
  "servicePoints": [
    {"id": "sp-main", "name": "Main Desk", "holdShelfExpiryPeriod": {"duration": 7, "intervalId": "Days"}},
    {"id": "sp-east", "name": "East Desk"}],
  "locations": [{"id": "loc-main", "name": "Main Stacks", "primaryServicePoint": "sp-main"},
                {"id": "loc-east", "name": "East Stacks", "primaryServicePoint": "sp-east"}],
  "loanPolicies": [
    {"id": "pol-std", "name": "Standard", "loanable": true, "renewable": true,
     "loansPolicy": {"period": {"duration": 3, "intervalId": "Weeks"}},
     "renewalsPolicy": {"numberAllowed": 2, "renewFromId": "CURRENT_DUE_DATE"}},
    {"id": "pol-short", "name": "Short", "loanable": true, "renewable": true,
     "loansPolicy": {"period": {"duration": 2, "intervalId": "Hours"}},
     "renewalsPolicy": {"numberAllowed": 1, "renewFromId": "SYSTEM_DATE"}},
    {"id": "pol-none", "name": "Non-circulating", "loanable": false}],
  "circulationRules": [{"materialType": "reference", "loanPolicyId": "pol-none"},
                       {"materialType": "dvd", "loanPolicyId": "pol-short"},
                       {"loanPolicyId": "pol-std"}],
  "blockConditions": [
    {"id": "cf7a0d5f-a327-4ca1-aa9e-dc55ec006b8a", "name": "Fee balance", "blockBorrowing": true,
     "blockRenewals": true, "blockRequests": true, "message": "Too much owed"},
    {"id": "584fbd4f-6a34-4730-a6ca-73a6a6a9d845", "name": "Overdue", "blockBorrowing": true,
     "blockRenewals": false, "blockRequests": false, "message": "Too many overdue"}],
  "patronGroups": [{"id": "g1", "group": "patron", "blockLimits": [
    {"conditionId": "cf7a0d5f-a327-4ca1-aa9e-dc55ec006b8a", "value": 10},
    {"conditionId": "584fbd4f-6a34-4730-a6ca-73a6a6a9d845", "value": 2}]}],
  "users": [
    {"id": "u1", "barcode": "P1", "username": "pat1", "password": "pw1", "pin": "1111",
     "active": true, "patronGroup": "g1", "personal": {"lastName": "One", "firstName": "Pat"}},
    {"id": "u2", "barcode": "P2", "active": true, "patronGroup": "g1"},
    {"id": "u3", "barcode": "P3", "active": true, "patronGroup": "g1"},
    {"id": "u4", "barcode": "P4", "active": true, "patronGroup": "g1",
     "expirationDate": "2020-01-01T00:00:00Z"},
    {"id": "u5", "barcode": "P5", "active": false, "patronGroup": "g1"},
    {"id": "u6", "barcode": "P6", "active": true, "patronGroup": "g1"},
    {"id": "u7", "barcode": "P7", "active": true, "patronGroup": "g1"}],
  "instances": [{"id": "in1", "title": "A Book"}],
  "holdings": [{"id": "h1", "instanceId": "in1", "callNumber": "QA 1"}],
  "items": [
    {"id": "i1", "barcode": "I1", "holdingsRecordId": "h1", "status": {"name": "Available"},
     "materialType": {"name": "book"}, "effectiveLocation": {"id": "loc-main", "name": "Main Stacks"}},
    {"id": "i2", "barcode": "I2", "holdingsRecordId": "h1", "status": {"name": "Available"},
     "materialType": {"name": "dvd"}, "effectiveLocation": {"id": "loc-main", "name": "Main Stacks"}},
    {"id": "i3", "barcode": "I3", "holdingsRecordId": "h1", "status": {"name": "Available"},
     "materialType": {"name": "reference"}, "effectiveLocation": {"id": "loc-main", "name": "Main Stacks"}},
    {"id": "i4", "barcode": "I4", "holdingsRecordId": "h1", "status": {"name": "Missing"},
     "materialType": {"name": "book"}, "effectiveLocation": {"id": "loc-main", "name": "Main Stacks"}},
    {"id": "i5", "barcode": "I5", "holdingsRecordId": "h1", "status": {"name": "Available"},
     "materialType": {"name": "book"}, "effectiveLocation": {"id": "loc-east", "name": "East Stacks"}},
    {"id": "i6", "barcode": "I6", "holdingsRecordId": "h1", "status": {"name": "Available"},
     "materialType": {"name": "book"}, "effectiveLocation": {"id": "loc-main", "name": "Main Stacks"}},
    {"id": "i7", "barcode": "I7", "holdingsRecordId": "h1", "status": {"name": "Available"},
     "materialType": {"name": "book"}, "effectiveLocation": {"id": "loc-main", "name": "Main Stacks"}},
    {"id": "i8", "barcode": "I8", "holdingsRecordId": "h1", "status": {"name": "Available"},
     "materialType": {"name": "book"}, "effectiveLocation": {"id": "loc-main", "name": "Main Stacks"}},
    {"id": "i9", "barcode": "I9", "holdingsRecordId": "h1", "status": {"name": "Available"},
     "materialType": {"name": "book"}, "effectiveLocation": {"id": "loc-main", "name": "Main Stacks"}}],
  "loans": [{"itemBarcode": "I7", "userBarcode": "P1", "dueInDays": 10},
            {"itemBarcode": "I8", "userBarcode": "P7", "dueInDays": -5},
            {"itemBarcode": "I9", "userBarcode": "P7", "dueInDays": -2}],
  "requests": [
    {"itemBarcode": "I6", "requesterBarcode": "P6", "requestType": "Hold",
     "status": "Open - Awaiting pickup", "pickupServicePointId": "sp-main"},
    {"itemBarcode": "I7", "requesterBarcode": "P6", "requestType": "Hold",
     "pickupServicePointId": "sp-east"}],
  "accounts": [
    {"id": "a1", "userId": "u1", "amount": 3.0, "remaining": 3.0, "status": {"name": "Open"},
     "paymentStatus": {"name": "Outstanding"}, "dateCreated": "2024-01-01T00:00:00Z"},
    {"id": "a3", "userId": "u3", "amount": 7.0, "remaining": 7.0, "status": {"name": "Open"},
     "paymentStatus": {"name": "Outstanding"}, "dateCreated": "2024-02-01T00:00:00Z"},
    {"id": "a4", "userId": "u3", "amount": 5.0, "remaining": 5.0, "status": {"name": "Open"},
     "paymentStatus": {"name": "Outstanding"}, "dateCreated": "2024-01-15T00:00:00Z"}],
  "manualblocks": [{"id": "b2", "userId": "u2", "desc": "Card stolen", "borrowing": true,
                    "renewals": true, "requests": true}]
})");
}

/// A fresh library from small_seed().
inline std::unique_ptr<ils_emulator::Library> small_library() {
  auto library = ils_emulator::Library::from_seed(small_seed());
  return library ? std::move(*library) : nullptr;
}

/// A check-out body at the main desk.
inline json checkout_body(const std::string& item, const std::string& user) {
  return {{"itemBarcode", item}, {"userBarcode", user}, {"servicePointId", "sp-main"}};
}

/// A check-in body at `service_point`.
inline json checkin_body(const std::string& item, const std::string& service_point = "sp-main") {
  return {{"itemBarcode", item}, {"servicePointId", service_point}};
}

/// A pay body for `amount` (FOLIO sends a decimal string).
inline json pay_body(const std::string& amount) {
  return {{"amount", amount},
          {"paymentMethod", "Cash"},
          {"notifyPatron", false},
          {"servicePointId", "sp-main"},
          {"userName", "gw"}};
}

/// The first error message of a failed result.
inline std::string first_error(const ils_emulator::FolioResult& result) {
  if (result) return "(succeeded)";
  const json& body = result.error().body;
  if (body.contains("errorMessage")) return body["errorMessage"].get<std::string>();
  if (body.contains("errors") && !body["errors"].empty()) {
    return body["errors"][0].value("message", "");
  }
  return result.error().text;
}

}  // namespace emulator_test
