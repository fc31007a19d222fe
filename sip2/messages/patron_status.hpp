// 23 Patron Status Request, 24 Patron Status Response, 01 Block Patron (answered by 24).
#pragma once

#include "sip2/messages/common.hpp"

namespace sip2 {

struct PatronStatusRequest {
  static constexpr Command kCommand = Command::patron_status_request;
  std::string language = "000";
  Timestamp transaction_date;
  std::string institution_id;
  std::string patron_identifier;
  OptText terminal_password;
  OptText patron_password;
  std::vector<Field> extra;
  bool operator==(const PatronStatusRequest&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.language), b(m.transaction_date);
    b(field::institution_id, m.institution_id), b(field::patron_identifier, m.patron_identifier);
    b(field::terminal_password, m.terminal_password), b(field::patron_password, m.patron_password);
  }
};

struct PatronStatusResponse {
  static constexpr Command kCommand = Command::patron_status_response;
  PatronStatus patron_status;
  std::string language = "000";
  Timestamp transaction_date;
  std::string institution_id;
  std::string patron_identifier;
  std::string personal_name;
  OptFlag valid_patron;
  OptFlag valid_patron_password;
  OptText currency_type;
  OptText fee_amount;
  Lines screen_message;
  Lines print_line;
  std::vector<Field> extra;
  bool operator==(const PatronStatusResponse&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.patron_status), b(m.language), b(m.transaction_date);
    b(field::institution_id, m.institution_id), b(field::patron_identifier, m.patron_identifier);
    b(field::personal_name, m.personal_name), b(field::valid_patron, m.valid_patron);
    b(field::valid_patron_password, m.valid_patron_password);
    b(field::currency_type, m.currency_type), b(field::fee_amount, m.fee_amount);
    b(field::screen_message, m.screen_message), b(field::print_line, m.print_line);
  }
};

struct BlockPatronRequest {
  static constexpr Command kCommand = Command::block_patron_request;
  bool card_retained = false;
  Timestamp transaction_date;
  std::string institution_id;
  std::string blocked_card_msg;
  std::string patron_identifier;
  OptText terminal_password;
  std::vector<Field> extra;
  bool operator==(const BlockPatronRequest&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.card_retained), b(m.transaction_date);
    b(field::institution_id, m.institution_id), b(field::blocked_card_msg, m.blocked_card_msg);
    b(field::patron_identifier, m.patron_identifier);
    b(field::terminal_password, m.terminal_password);
  }
};

}  // namespace sip2
