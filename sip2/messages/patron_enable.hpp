// 25 Patron Enable, 26 Patron Enable Response.
#pragma once

#include "sip2/messages/common.hpp"

namespace sip2 {

struct PatronEnableRequest {
  static constexpr Command kCommand = Command::patron_enable_request;
  Timestamp transaction_date;
  std::string institution_id;
  std::string patron_identifier;
  OptText terminal_password;
  OptText patron_password;
  std::vector<Field> extra;
  bool operator==(const PatronEnableRequest&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.transaction_date);
    b(field::institution_id, m.institution_id), b(field::patron_identifier, m.patron_identifier);
    b(field::terminal_password, m.terminal_password), b(field::patron_password, m.patron_password);
  }
};

struct PatronEnableResponse {
  static constexpr Command kCommand = Command::patron_enable_response;
  PatronStatus patron_status;
  std::string language = "000";
  Timestamp transaction_date;
  std::string institution_id;
  std::string patron_identifier;
  std::string personal_name;
  OptFlag valid_patron;
  OptFlag valid_patron_password;
  Lines screen_message;
  Lines print_line;
  std::vector<Field> extra;
  bool operator==(const PatronEnableResponse&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.patron_status), b(m.language), b(m.transaction_date);
    b(field::institution_id, m.institution_id), b(field::patron_identifier, m.patron_identifier);
    b(field::personal_name, m.personal_name), b(field::valid_patron, m.valid_patron);
    b(field::valid_patron_password, m.valid_patron_password);
    b(field::screen_message, m.screen_message), b(field::print_line, m.print_line);
  }
};

}  // namespace sip2
