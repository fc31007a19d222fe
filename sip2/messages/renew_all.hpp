// 65 Renew All, 66 Renew All Response.
#pragma once

#include "sip2/messages/common.hpp"

namespace sip2 {

struct RenewAllRequest {
  static constexpr Command kCommand = Command::renew_all_request;
  Timestamp transaction_date;
  std::string institution_id;
  std::string patron_identifier;
  OptText patron_password;
  OptText terminal_password;
  OptFlag fee_acknowledged;
  std::vector<Field> extra;
  bool operator==(const RenewAllRequest&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.transaction_date);
    b(field::institution_id, m.institution_id), b(field::patron_identifier, m.patron_identifier);
    b(field::patron_password, m.patron_password), b(field::terminal_password, m.terminal_password);
    b(field::fee_acknowledged, m.fee_acknowledged);
  }
};

struct RenewAllResponse {
  static constexpr Command kCommand = Command::renew_all_response;
  bool ok = false;
  std::uint16_t renewed_count = 0;
  std::uint16_t unrenewed_count = 0;
  Timestamp transaction_date;
  std::string institution_id;
  Lines renewed_items;
  Lines unrenewed_items;
  Lines screen_message;
  Lines print_line;
  std::vector<Field> extra;
  bool operator==(const RenewAllResponse&) const = default;
  template <class B, class M>
  static void describe(B& b, M& m) {
    b(m.ok), b(m.renewed_count), b(m.unrenewed_count), b(m.transaction_date);
    b(field::institution_id, m.institution_id), b(field::renewed_items, m.renewed_items);
    b(field::unrenewed_items, m.unrenewed_items);
    b(field::screen_message, m.screen_message), b(field::print_line, m.print_line);
  }
};

}  // namespace sip2
