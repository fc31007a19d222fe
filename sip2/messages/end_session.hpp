// 35 End Patron Session, 36 End Session Response.
#pragma once

#include "sip2/messages/common.hpp"

namespace sip2 {

struct EndPatronSessionRequest {
  static constexpr Command kCommand = Command::end_patron_session_request;
  Timestamp transaction_date;
  std::string institution_id;
  std::string patron_identifier;
  OptText terminal_password;
  OptText patron_password;
  std::vector<Field> extra;
  bool operator==(const EndPatronSessionRequest&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.transaction_date);
    b(field::institution_id, m.institution_id), b(field::patron_identifier, m.patron_identifier);
    b(field::terminal_password, m.terminal_password), b(field::patron_password, m.patron_password);
  }
};

struct EndPatronSessionResponse {
  static constexpr Command kCommand = Command::end_patron_session_response;
  bool end_session = false;
  Timestamp transaction_date;
  std::string institution_id;
  std::string patron_identifier;
  Lines screen_message;
  Lines print_line;
  std::vector<Field> extra;
  bool operator==(const EndPatronSessionResponse&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.end_session), b(m.transaction_date);
    b(field::institution_id, m.institution_id), b(field::patron_identifier, m.patron_identifier);
    b(field::screen_message, m.screen_message), b(field::print_line, m.print_line);
  }
};

}  // namespace sip2
