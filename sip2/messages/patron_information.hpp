// 63 Patron Information, 64 Patron Information Response.
#pragma once

#include "sip2/messages/common.hpp"

namespace sip2 {

struct PatronInformationRequest {
  static constexpr Command kCommand = Command::patron_information_request;
  std::string language = "000";
  Timestamp transaction_date;
  Summary summary;
  std::string institution_id;
  std::string patron_identifier;
  OptText terminal_password;
  OptText patron_password;
  OptText start_item;  ///< 1-based, may carry leading zeros
  OptText end_item;
  std::vector<Field> extra;
  bool operator==(const PatronInformationRequest&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.language), b(m.transaction_date), b(m.summary);
    b(field::institution_id, m.institution_id), b(field::patron_identifier, m.patron_identifier);
    b(field::terminal_password, m.terminal_password), b(field::patron_password, m.patron_password);
    b(field::start_item, m.start_item), b(field::end_item, m.end_item);
  }
};

struct PatronInformationResponse {
  static constexpr Command kCommand = Command::patron_information_response;
  PatronStatus patron_status;
  std::string language = "000";
  Timestamp transaction_date;
  std::optional<std::uint16_t> hold_items_count;  ///< nullopt = blanks (unsupported)
  std::optional<std::uint16_t> overdue_items_count;
  std::optional<std::uint16_t> charged_items_count;
  std::optional<std::uint16_t> fine_items_count;
  std::optional<std::uint16_t> recall_items_count;
  std::optional<std::uint16_t> unavailable_holds_count;
  std::string institution_id;
  std::string patron_identifier;
  std::string personal_name;
  OptText hold_items_limit;
  OptText overdue_items_limit;
  OptText charged_items_limit;
  OptFlag valid_patron;
  OptFlag valid_patron_password;
  OptText currency_type;
  OptText fee_amount;
  OptText fee_limit;
  Lines hold_items;
  Lines overdue_items;
  Lines charged_items;
  Lines fine_items;
  Lines recall_items;
  Lines unavailable_hold_items;
  OptText home_address;
  OptText email_address;
  OptText home_phone_number;
  OptText patron_class;               ///< PC extension
  OptText borrower_type;              ///< FU extension (FOLIO)
  OptText borrower_type_description;  ///< FV extension (FOLIO)
  Lines screen_message;
  Lines print_line;
  std::vector<Field> extra;
  bool operator==(const PatronInformationResponse&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.patron_status), b(m.language), b(m.transaction_date), b(m.hold_items_count);
    b(m.overdue_items_count), b(m.charged_items_count), b(m.fine_items_count);
    b(m.recall_items_count), b(m.unavailable_holds_count);
    b(field::institution_id, m.institution_id), b(field::patron_identifier, m.patron_identifier);
    b(field::personal_name, m.personal_name), b(field::hold_items_limit, m.hold_items_limit);
    b(field::overdue_items_limit, m.overdue_items_limit);
    b(field::charged_items_limit, m.charged_items_limit), b(field::valid_patron, m.valid_patron);
    b(field::valid_patron_password, m.valid_patron_password);
    b(field::currency_type, m.currency_type), b(field::fee_amount, m.fee_amount);
    b(field::fee_limit, m.fee_limit), b(field::hold_items, m.hold_items);
    b(field::overdue_items, m.overdue_items), b(field::charged_items, m.charged_items);
    b(field::fine_items, m.fine_items), b(field::recall_items, m.recall_items);
    b(field::unavailable_hold_items, m.unavailable_hold_items);
    b(field::home_address, m.home_address), b(field::email_address, m.email_address);
    b(field::home_phone_number, m.home_phone_number), b(field::patron_class, m.patron_class);
    b(field::borrower_type, m.borrower_type);
    b(field::borrower_type_description, m.borrower_type_description);
    b(field::screen_message, m.screen_message), b(field::print_line, m.print_line);
  }
};

}  // namespace sip2
