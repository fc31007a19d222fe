// CQL strings shaped like edge-sip2's, with every value quoted and escaped, so none can inject.
#include "ils/folio/cql.hpp"

#include "ils/http_client.hpp"
#include "ils/http_util.hpp"

namespace ils::folio::cql {
namespace {

/// Length of the UTF-8 sequence starting with `lead`, 0 if it cannot start one.
std::size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/// Well-formed UTF-8 without overlong forms, surrogates or code points above U+10FFFF.
bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const std::size_t n = sequence_length(lead);
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    if (n > 2) {
      const auto second = static_cast<unsigned char>(s[i + 1]);
      if ((lead == 0xe0 && second < 0xa0) || (lead == 0xed && second > 0x9f) ||
          (lead == 0xf0 && second < 0x90) || (lead == 0xf4 && second > 0x8f))
        return false;
    }
    i += n;
  }
  return true;
}

}  // namespace

Result<std::string> normalize_identifier(std::string_view raw) {
  const std::string_view value = trim(raw);
  if (value.empty()) return fail(errc::invalid_identifier, "empty identifier");
  if (value.size() > max_identifier_length)
    return fail(errc::invalid_identifier, "identifier too long");
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f)
      return fail(errc::invalid_identifier, "control character in identifier");
  }
  if (!valid_utf8(value)) return fail(errc::invalid_identifier, "identifier is not UTF-8");
  return std::string(value);
}

bool is_record_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex && c != '-') return false;
  }
  return true;
}

std::string escape(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '"' || c == '\\' || c == '*' || c == '?' || c == '^') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string quoted(std::string_view value) {
  return "\"" + escape(value) + "\"";
}

std::string users_by_identifier(std::string_view identifier,
                                const std::vector<std::string>& fields) {
  const std::string q = quoted(identifier);
  std::string query;
  for (const auto& field : fields)
    query += (query.empty() ? "" : " or ") + field + "==" + q;
  return query;
}

std::string item_by_barcode(std::string_view barcode) {
  return "barcode==" + quoted(barcode);
}

std::string open_loans_of_user(std::string_view user_id) {
  return "(userId==" + quoted(user_id) + " and status.name=\"Open\")";
}

std::string open_loan_of_item(std::string_view item_id) {
  return "(itemId==" + quoted(item_id) + " and status.name=\"Open\")";
}

std::string open_holds_of_user(std::string_view user_id) {
  return "requesterId==" + quoted(user_id) + " and status=\"Open\" and requestType==\"Hold\"";
}

std::string open_recalls_of_item(std::string_view item_id) {
  return "itemId==" + quoted(item_id) + " and status=\"Open\" and requestType==\"Recall\"";
}

std::string open_requests_of_item(std::string_view item_id) {
  return "itemId==" + quoted(item_id) + " and status=\"Open\"";
}

std::string open_requests_of_user_for_item(std::string_view user_id, std::string_view item_id) {
  return "requesterId==" + quoted(user_id) + " and itemId==" + quoted(item_id) +
         " and status=\"Open\"";
}

std::string open_fees_of_user(std::string_view user_id) {
  return "userId==" + quoted(user_id) + " and status.name==\"Open\"";
}

std::string payment_actions(std::string_view user_id, std::string_view transaction_id) {
  return "userId==" + quoted(user_id) + " and transactionInformation==" + quoted(transaction_id) +
         " sortby dateAction";
}

std::string manual_blocks_of_user(std::string_view user_id) {
  return "userId==" + quoted(user_id);
}

std::string users_page(std::string_view after_id, std::string_view updated_since) {
  std::string query;
  if (!updated_since.empty()) query = "metadata.updatedDate>=" + quoted(updated_since);
  if (!after_id.empty()) query += (query.empty() ? "" : " and ") + ("id>" + quoted(after_id));
  if (query.empty()) query = "(cql.allRecords=1)";
  return query + " sortby id";
}

std::string any_of(std::string_view field, const std::vector<std::string>& values) {
  std::string list;
  for (const auto& value : values)
    list += (list.empty() ? "" : " or ") + quoted(value);
  return std::string(field) + "==(" + list + ")";
}

std::string manual_blocks_of_users(const std::vector<std::string>& user_ids) {
  return any_of("userId", user_ids);
}

std::string open_fees_of_users(const std::vector<std::string>& user_ids) {
  return "status.name==\"Open\" and " + any_of("userId", user_ids);
}

std::string overdue_loans_of_user(std::string_view user_id, std::string_view now) {
  return "(userId==" + quoted(user_id) + " and status.name=\"Open\" and dueDate<" + quoted(now) +
         ")";
}

std::string available_holds_of_user(std::string_view user_id) {
  return "requesterId==" + quoted(user_id) +
         " and status==\"Open - Awaiting pickup\" and requestType==\"Hold\"";
}

std::string query_string(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    out += out.empty() ? '?' : '&';
    out += HttpClient::escape(key);
    out += '=';
    out += HttpClient::escape(value);
  }
  return out;
}

}  // namespace ils::folio::cql
