// Mapping of FOLIO JSON records and values to ils value types; never throws.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "ils/types.hpp"

namespace ils::folio {

using Json = nlohmann::json;

/// The current time at second precision.
[[nodiscard]] Timestamp now_utc();
/// Parses ISO 8601 ("2024-05-01", "...T12:00:00Z", "...T12:00:00.000+00:00", "+0000").
[[nodiscard]] std::optional<Timestamp> parse_timestamp(std::string_view iso);
/// Formats as FOLIO expects: "2024-05-01T12:00:00.000Z".
[[nodiscard]] std::string format_timestamp(Timestamp t);
/// A JSON number or numeric string as cents; nullopt otherwise.
[[nodiscard]] std::optional<Cents> to_cents(const Json& value);
/// Cents as the decimal string FOLIO's pay actions want ("5.00").
[[nodiscard]] std::string format_amount(Cents cents);

/// The member's string value, or "" when missing or not a string.
[[nodiscard]] std::string text(const Json& object, const char* key);
/// The string at object[a][b], or "".
[[nodiscard]] std::string text(const Json& object, const char* a, const char* b);
/// The member's boolean value, or fallback.
[[nodiscard]] bool flag(const Json& object, const char* key, bool fallback = false);
/// The member when it is an array, else an empty array.
[[nodiscard]] const Json& array(const Json& object, const char* key);

/// A mod-users User record.
[[nodiscard]] Patron patron_from_json(const Json& user);
/// A mod-circulation Loan; `now` decides the overdue flag.
[[nodiscard]] Loan loan_from_json(const Json& loan, Timestamp now);
/// A mod-circulation Request.
[[nodiscard]] Hold hold_from_json(const Json& request);
/// A mod-feesfines Account.
[[nodiscard]] Fee fee_from_json(const Json& account);
/// A manual block; `marker` identifies blocks the gateway created.
[[nodiscard]] Block manual_block_from_json(const Json& block, std::string_view marker);
/// An automated patron block.
[[nodiscard]] Block automated_block_from_json(const Json& block);
/// An inventory item (or the item of a check-in/loan response).
[[nodiscard]] Item item_from_json(const Json& item);
/// FOLIO item status name to the neutral status (the table edge-sip2 uses).
[[nodiscard]] ItemStatus map_item_status(std::string_view status_name);

/// The library system's explanation from an error body: errors[].message joined by "; ",
/// errorMessage (fee actions), or short plain text.
[[nodiscard]] std::string error_message(std::string_view body);

/// The Reason of a mod-circulation refusal a replay must recognise, from errors[].code and
/// errors[].message: the item already on loan ("Item is already checked out", ITEM_HAS_OPEN_LOAN,
/// the "has the item status Checked out" refusal) or the requester's open request on the item
/// (ITEM_ALREADY_REQUESTED and its instance-level variants); Reason::unspecified otherwise.
[[nodiscard]] Reason refusal_reason(std::string_view body);

}  // namespace ils::folio
