// CQL queries FOLIO is asked, with identifier hygiene and escaping of every value.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ils/errc.hpp"

namespace ils::folio::cql {

/// The longest identifier accepted from a kiosk.
inline constexpr std::size_t max_identifier_length = 255;

/// Trims an identifier; errc::invalid_identifier if empty, overlong, not UTF-8 or with control
/// characters.
[[nodiscard]] Result<std::string> normalize_identifier(std::string_view raw);

/// True for a FOLIO record id (hex digits and dashes, 1..64 characters): safe in a URL path.
[[nodiscard]] bool is_record_id(std::string_view id);

/// Escapes the CQL specials `"` `\` `*` `?` `^` with a backslash.
[[nodiscard]] std::string escape(std::string_view value);

/// An escaped value in double quotes; every value in a query goes through here.
[[nodiscard]] std::string quoted(std::string_view value);

/// `barcode=="X" or externalSystemId=="X"` for /users: the identifier in each of `fields`.
[[nodiscard]] std::string users_by_identifier(std::string_view identifier,
                                              const std::vector<std::string>& fields);
/// `barcode=="B"` for /inventory/items.
[[nodiscard]] std::string item_by_barcode(std::string_view barcode);
/// `(userId=="U" and status.name="Open")` for /circulation/loans.
[[nodiscard]] std::string open_loans_of_user(std::string_view user_id);
/// `(itemId=="I" and status.name="Open")` for /circulation/loans.
[[nodiscard]] std::string open_loan_of_item(std::string_view item_id);
/// `requesterId=="U" and status="Open" and requestType=="Hold"` for /circulation/requests.
[[nodiscard]] std::string open_holds_of_user(std::string_view user_id);
/// `itemId=="I" and status="Open" and requestType=="Recall"`.
[[nodiscard]] std::string open_recalls_of_item(std::string_view item_id);
/// `itemId=="I" and status="Open"`.
[[nodiscard]] std::string open_requests_of_item(std::string_view item_id);
/// `requesterId=="U" and itemId=="I" and status="Open"`.
[[nodiscard]] std::string open_requests_of_user_for_item(std::string_view user_id,
                                                         std::string_view item_id);
/// `userId=="U" and status.name=="Open"` for /accounts.
[[nodiscard]] std::string open_fees_of_user(std::string_view user_id);
/// `userId=="U" and transactionInformation=="T" sortby dateAction` for /feefineactions: the
/// actions one payment (by its transaction id) created, oldest first.
[[nodiscard]] std::string payment_actions(std::string_view user_id,
                                          std::string_view transaction_id);
/// `userId=="U"` for /manualblocks.
[[nodiscard]] std::string manual_blocks_of_user(std::string_view user_id);

/// One page of /users in id order: `cql.allRecords=1`, or `id>"after"` when resuming, and
/// `metadata.updatedDate>="since"` when only changes are wanted; always `sortby id`.
[[nodiscard]] std::string users_page(std::string_view after_id, std::string_view updated_since);
/// `field==("a" or "b" ...)`: any of the values.
[[nodiscard]] std::string any_of(std::string_view field, const std::vector<std::string>& values);
/// `userId==("a" or ...)` for /manualblocks.
[[nodiscard]] std::string manual_blocks_of_users(const std::vector<std::string>& user_ids);
/// `status.name=="Open" and userId==("a" or ...)` for /accounts.
[[nodiscard]] std::string open_fees_of_users(const std::vector<std::string>& user_ids);
/// `(userId=="U" and status.name="Open" and dueDate<"NOW")` for /circulation/loans.
[[nodiscard]] std::string overdue_loans_of_user(std::string_view user_id, std::string_view now);
/// `requesterId=="U" and status=="Open - Awaiting pickup" and requestType=="Hold"`.
[[nodiscard]] std::string available_holds_of_user(std::string_view user_id);

/// `?k=v&k2=v2` with every key and value percent-encoded.
[[nodiscard]] std::string query_string(
    const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace ils::folio::cql
